/** A mistake in a command line's options. */
export class UsageError extends Error {}

/**
 * A command line read argument by argument, as `flowlog-watch replay` and `flowlog-watch cost` read
 * theirs: `value()` is the value of the option just read, never the next option, and `once()`
 * refuses an option that takes one value given twice (the last would otherwise silently win).
 */
export class CommandLine {
  private position = -1;
  private readonly given: Record<string, string> = {};

  /**
   * @param argv the arguments
   * @param valueOf what each option that takes a value takes (`--template`: `a FILE`), for the message when it is missing
   */
  constructor(private readonly argv: readonly string[], private readonly valueOf: Readonly<Record<string, string>>) {}

  /** The next argument, or undefined after the last. */
  public next(): string | undefined {
    this.position++;
    return this.argv[this.position];
  }

  /** The value of the option just read: the argument after it, which must not be an option. */
  public value(): string {
    const option = this.argv[this.position];
    const what = this.valueOf[option];
    const next = this.argv[this.position + 1];
    if (next === undefined) throw new UsageError(`${option} needs a value (${what})`);
    if (next.startsWith('--')) throw new UsageError(`${option} needs a value (${what}), got the option '${next}'`);
    this.position++;
    return next;
  }

  /** `text`, as the one value of `option`: an error if `option` was given before. */
  public once(option: string, text: string): string {
    if (Object.prototype.hasOwnProperty.call(this.given, option)) {
      throw new UsageError(`${option} is given twice ('${this.given[option]}', '${text}'); give it once`);
    }
    this.given[option] = text;
    return text;
  }
}
