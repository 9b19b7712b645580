/**
 * Checks of what JavaScript callers (no type checker) pass where the types say a construct,
 * an enum-like instance or a Duration: a clear error instead of a TypeError further down.
 */

/**
 * Throws unless the value is an instance of the class (an enum-like class of this library).
 *
 * @param prop the prop, as the message names it
 * @param expected what is allowed, in words (`SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED`)
 */
export function requireInstance(prop: string, value: unknown, type: Function, expected: string): void {
  if (!(value instanceof type)) {
    throw new Error(`\`${prop}\` must be ${expected}, got ${describeValue(value)}`);
  }
}

/**
 * Throws unless the value is a Duration (duck-typed: a second copy of aws-cdk-lib has Durations
 * that are not `instanceof` this one's).
 */
export function requireDuration(prop: string, value: unknown): void {
  const duration = value as { toSeconds?: unknown; toHumanString?: unknown } | undefined;
  if (typeof duration?.toSeconds !== 'function' || typeof duration.toHumanString !== 'function') {
    throw new Error(`\`${prop}\` must be a Duration (e.g. Duration.minutes(5)), got ${describeValue(value)}`);
  }
}

/**
 * Throws unless the value is an array.
 */
export function requireArray(prop: string, value: unknown, ofWhat: string): void {
  if (!Array.isArray(value)) {
    throw new Error(`\`${prop}\` must be a list of ${ofWhat}, got ${describeValue(value)}`);
  }
}

/**
 * A value, as a message shows it: strings quoted, objects by their class.
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : `an object (${plain(value)})`;
  }
  return String(value);
}

function plain(value: object): string {
  try {
    return JSON.stringify(value).slice(0, 80);
  } catch {
    return Object.keys(value).join(', ');
  }
}
