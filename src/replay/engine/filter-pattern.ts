/**
 * Evaluator for CloudWatch Logs filter patterns over SPACE-DELIMITED log events,
 * the `[ip, user, ..., status_code = 4*, bytes > 1000]` syntax.
 *
 * Source of truth: "Using filter patterns to match terms in space-delimited log events",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events
 * (and the earlier revision of the same page, "Using Metric Filters to Extract Values from Space-Delimited Log Events",
 * https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/1487b9496d8366bf7039a1efbeeb3a0702b42c50/doc_source/FilterAndPatternSyntax.md).
 *
 * What the documentation states, and this module follows:
 * - The pattern is enclosed in `[` `]`; columns are named and separated by `,`.
 * - `...` stands for any number of unnamed fields.
 * - Conditions use `=`, `!=`, `<`, `<=`, `>`, `>=`; `*` is a wildcard; `%regex%` is a regular expression
 *   (supported subset only, at most 2 per pattern; no parentheses; ASCII only).
 * - `&&` and `||` combine conditions of one column, each operand naming the column again
 *   (`status_code = 404 || status_code = 410`).
 * - In the event, text between `[` `]` or between double quotes is one field.
 * - `[w1=ERROR, w2]` matches `ERROR 09/25/2014 12:00:02 Failed to process request`: the last column takes the
 *   rest of the event (the docs tell you to add the "blank" `w2` column for this).
 * - A trailing comma, as in the documented `[..., request=*.html*, status_code=4*,]`, adds one unnamed column.
 * - A metric value is a literal number or `$column` (the value of a matched column).
 *
 * Choices made where the documentation is silent (each is repeated at the code it concerns):
 * - At most one `...` per pattern (aws-cdk's `FilterPattern.spaceDelimited` enforces the same; a second
 *   ellipsis would make the columns between them float).
 * - `&&` binds tighter than `||` (the order the JSON-pattern section documents). Parentheses are not
 *   documented for space-delimited patterns and are rejected.
 * - A condition naming another column (`status_code = 4* && bytes > 1000`, an example once on the page) is
 *   rejected: CloudWatch answers "Invalid filter pattern" for it
 *   (https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/issues/21).
 * - Value typing: an UNQUOTED value that is a number (`404`, `-1.5`, `1e3`) is numeric, for every operator,
 *   including `=` and `!=`. Any other unquoted value (`ACCEPT`, `4*`, `-`) and every QUOTED value (`"404"`) is a
 *   string. This is how aws-cdk renders `whereNumber` (bare) and `whereString` (quoted).
 * - Numeric comparisons compare numerically (`404.0 = 404`) and are false, for EVERY operator including `!=`,
 *   when the field is not a number (`-` in flow-log NODATA records, `ACCEPT`, the empty string).
 * - Numbers (pattern and field): optional sign, digits with an optional fraction, optional exponent
 *   (`+5`, `-1.5`, `.5`, `5.`, `1e3`). Not numbers: `-`, ``, `0x1F`, `Infinity`, `NaN`, ` 5`.
 * - Strings compare exactly and case-sensitively. `*` is a wildcard for any run of characters (also empty),
 *   quoted or not; inside quotes `\*` is a literal star, `\"` a quote, `\\` a backslash (aws-cdk escapes `\` and `"`).
 * - `%regex%` matches when the regex is found anywhere in the field (as `%AUTHORIZED%` finds "UNAUTHORIZED");
 *   anchor with `^`/`$`. It takes `=` and `!=`; `{,n}` means `{0,n}`.
 * - `==`, `=<`, `<>`, `!` and the like are rejected as unknown operators.
 * - Column names: letters, digits, `_` and `-` (aws-cdk's rule); a name may not appear twice.
 * - Event tokenization: only the space character separates fields, and a run of spaces counts as ONE
 *   separator (leading and trailing spaces are ignored), so no field is ever empty unless quoted (`""`, `[]`).
 *   A field is quoted only when it STARTS with `"` or `[`; it then ends at the first `"` (resp. `]`) that is
 *   followed by a space or the end of the event, and the delimiters are stripped (the docs' extracted fields
 *   show `10/Oct/2000:13:25:15 -0700`, no brackets). Without such a closing delimiter the `"`/`[` is an ordinary
 *   character. There are no escapes in events.
 * - Field count: with an ellipsis the event needs at least as many fields as there are other columns; the
 *   columns before the ellipsis bind from the left, those after it from the right. Without an ellipsis the
 *   event needs at least as many fields as columns; the last column receives the remaining fields joined by
 *   single spaces (so a condition on it fails when there are extra fields, and a plain last column absorbs them).
 * - Metric values: `$name` must be numeric after matching, else no datapoint (`undefined`); `$N` (N = 1, 2, ...)
 *   is the N-th event field when no column is named N (the docs' extracted fields name unnamed fields `$1`,
 *   `$7`, ...). A literal must be a number. Anything else throws.
 */

/** A compiled condition leaf: gets the field and its numeric value (NaN when not a number). */
type Leaf = (field: string, num: number) => boolean;

/** A compiled column condition. */
type FieldTest = (field: string) => boolean;

/**
 * A pattern compiled for events of a fixed field count (see `SpaceDelimitedPattern.fixedLayout`).
 */
export interface FixedLayout {
  /** The indexes of the fields tested, in testing order. */
  readonly indexes: readonly number[];
  /** The test of each of those fields, applied in place (see `numberAt` for the metric value). */
  readonly tests: readonly InPlaceTest[];
  /** A key for each test: equal keys (field index and condition text) are the same test, on any pattern. */
  readonly keys: readonly string[];
  /** The field the metric value reads; -1 for a literal value, -2 for a field the events do not have (no datapoint). */
  readonly valueIndex: number;
  /** The literal metric value, when valueIndex is -1. */
  readonly literalValue: number;
}

/** Resolves a metric value from the fields of a matching event. */
type MetricResolver = (fields: readonly string[]) => number | undefined;

/**
 * A column condition in a form a caller can apply without cutting the field out of the event:
 * `oneOf` when set, else `ofNumber` when set, else `ofText`.
 */
export interface InPlaceTest {
  /** The condition holds when the field is one of these strings. */
  readonly oneOf?: readonly string[];
  /** The condition on the field's number (NaN when it is not one), for conditions that compare numbers only. */
  readonly ofNumber?: (num: number) => boolean;
  /** The condition on the field's text. */
  readonly ofText: (field: string) => boolean;
}

interface ParsedColumn {
  /** Column name, `...` for the ellipsis, '' for the unnamed column a trailing comma adds. */
  readonly name: string;
  readonly test: FieldTest | undefined;
  /** The same condition as `test`, in place. */
  readonly inPlace?: InPlaceTest;
  /** The condition's text, from its first operator: the same text is the same test. */
  readonly condition?: string;
}

const ELLIPSIS = '...';
const SPACE = 32;
const QUOTE = 34;
const OPEN_BRACKET = 91;

/** Number grammar shared by pattern values, event fields and literal metric values. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const COLUMN_NAME_CHAR = /[A-Za-z0-9_-]/;
const OPERATOR_CHAR = /[=!<>]/;
/** Characters that end an unquoted value. */
const VALUE_END = /[\s,\]["&|()%=!<>]/;
/** What a `%regex%` may contain, per the documentation's "Supported regular expressions (regex) syntax". */
const REGEX_CHAR = /[A-Za-z0-9 :_#=@/;,\-^$?[\]{}|\\*+.]/;
const MAX_REGEXES = 2;
const OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);

/**
 * A parsed and compiled space-delimited filter pattern. Parse once, then match any number of events.
 * `matchesFields` does no parsing and allocates nothing, except when an event has more fields than a pattern
 * without ellipsis has columns and the last column has a condition (the remaining fields are joined).
 * `matchesEvent` cuts out only the fields that have conditions when the event has no quotes, brackets or
 * runs of spaces, and otherwise splits it with `splitSpaceDelimited`.
 */
export class SpaceDelimitedPattern {
  /**
   * Parses a space-delimited filter pattern such as `[ip, user, ..., status_code = 4*, bytes > 1000]`.
   * @throws Error naming the position and the reason on bad syntax
   */
  public static parse(pattern: string): SpaceDelimitedPattern {
    return new SpaceDelimitedPattern(new PatternParser(pattern).parse());
  }

  /** Column names in order: `...` for the ellipsis, '' for the unnamed column a trailing comma adds. */
  public readonly columns: readonly string[];
  /** Index of the ellipsis in `columns`, -1 without one. */
  private readonly ellipsisAt: number;
  /** Fewest fields an event may have. Without ellipsis: the column count. */
  private readonly minFields: number;
  /** Field indexes (from the left) of the constrained columns before the ellipsis (all but the last without one). */
  private readonly headIndexes: number[] = [];
  private readonly headTests: FieldTest[] = [];
  private readonly headInPlace: InPlaceTest[] = [];
  private readonly headConditions: string[] = [];
  /** Offsets from the end (1 = last field) of the constrained columns after the ellipsis (the last column without one). */
  private readonly tailOffsets: number[] = [];
  private readonly tailTests: FieldTest[] = [];
  private readonly tailInPlace: InPlaceTest[] = [];
  private readonly tailConditions: string[] = [];
  /** Without ellipsis: the last column's condition, applied to the joined remaining fields when there are extra fields. */
  private readonly restTest: FieldTest | undefined;
  private readonly metricResolvers = new Map<string, MetricResolver>();
  /** Scratch space for matchesEvent: start and end offsets of the fields of the event being matched. */
  private readonly fieldStarts: number[] = [];
  private readonly fieldEnds: number[] = [];

  private constructor(parsed: readonly ParsedColumn[]) {
    this.columns = Object.freeze(parsed.map(c => c.name));
    this.ellipsisAt = this.columns.indexOf(ELLIPSIS);
    const count = parsed.length;
    if (this.ellipsisAt === -1) {
      this.minFields = count;
      for (let i = 0; i < count - 1; i++) {
        this.addHead(i, parsed[i]);
      }
      this.addTail(1, parsed[count - 1]);
      this.restTest = parsed[count - 1].test;
    } else {
      this.minFields = count - 1;
      for (let i = 0; i < this.ellipsisAt; i++) {
        this.addHead(i, parsed[i]);
      }
      for (let i = this.ellipsisAt + 1; i < count; i++) {
        this.addTail(count - i, parsed[i]);
      }
      this.restTest = undefined;
    }
  }

  /**
   * Matches the event as `matchesFields(splitSpaceDelimited(event))` would. Events without quotes, brackets or
   * runs of spaces (VPC flow-log records) take a path that only cuts out the fields that have conditions.
   */
  public matchesEvent(event: string): boolean {
    if (event.indexOf('"') !== -1 || event.indexOf('[') !== -1 || event.indexOf('  ') !== -1) {
      return this.matchesFields(splitSpaceDelimited(event));
    }
    // Field offsets, leading and trailing spaces skipped (at most one each, runs of spaces were excluded above).
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    let begin = event.charCodeAt(0) === SPACE ? 1 : 0;
    let stop = event.length;
    if (stop > begin && event.charCodeAt(stop - 1) === SPACE) {
      stop--;
    }
    // Conditions on the left are tested as soon as their field is found: failing early does not change the
    // answer (an event with too few fields fails anyway), and most records fail.
    const headIndexes = this.headIndexes;
    const headTests = this.headTests;
    let nextHead = 0;
    let length = 0;
    while (begin < stop) {
      let end = event.indexOf(' ', begin);
      if (end === -1 || end > stop) {
        end = stop;
      }
      if (nextHead < headIndexes.length && headIndexes[nextHead] === length) {
        if (!headTests[nextHead](event.slice(begin, end))) {
          return false;
        }
        nextHead++;
      }
      starts[length] = begin;
      ends[length] = end;
      length++;
      begin = end + 1;
    }
    if (length < this.minFields) {
      return false;
    }
    if (this.restTest !== undefined && length > this.minFields) {
      // Single spaces only here, so the raw rest of the event is the remaining fields joined by one space.
      return this.restTest(event.slice(starts[this.minFields - 1], stop));
    }
    const tailOffsets = this.tailOffsets;
    const tailTests = this.tailTests;
    for (let k = 0; k < tailOffsets.length; k++) {
      const i = length - tailOffsets[k];
      if (!tailTests[k](event.slice(starts[i], ends[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Matches already tokenized fields (as `splitSpaceDelimited` returns them: no quotes or brackets). */
  public matchesFields(fields: readonly string[]): boolean {
    const length = fields.length;
    if (length < this.minFields) {
      return false;
    }
    const headIndexes = this.headIndexes;
    const headTests = this.headTests;
    for (let k = 0; k < headIndexes.length; k++) {
      if (!headTests[k](fields[headIndexes[k]])) {
        return false;
      }
    }
    if (this.restTest !== undefined && length > this.minFields) {
      // No ellipsis and extra fields: the last column takes the rest of the event.
      return this.restTest(joinFrom(fields, this.minFields - 1));
    }
    const tailOffsets = this.tailOffsets;
    const tailTests = this.tailTests;
    for (let k = 0; k < tailOffsets.length; k++) {
      if (!tailTests[k](fields[length - tailOffsets[k]])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value a metric filter with this pattern emits for the event: undefined when the event does not
   * match, or when `$column` is not numeric in it (no datapoint).
   * @param metricValue a literal number (`1`, `0.5`) or `$column`; `$N` is the N-th field (1-based) when no column is named N
   * @throws Error when metricValue is neither a number nor `$` followed by a column name or a field position
   */
  public metricValue(metricValue: string, event: string): number | undefined {
    const resolve = this.metricResolver(metricValue);
    return this.matchesEvent(event) ? resolve(splitSpaceDelimited(event)) : undefined;
  }

  /**
   * This pattern as a metric filter on events of exactly `fieldCount` plain fields (no quotes,
   * brackets or runs of spaces): which fields it tests, how, and which field its metric value
   * reads. Lets a caller that splits each event once run many patterns over the same fields.
   * Undefined when no such event can match (fewer fields than the columns need), or when the
   * last column would take several fields (more fields than a pattern without ellipsis has columns).
   */
  public fixedLayout(fieldCount: number, metricValue: string): FixedLayout | undefined {
    if (fieldCount < this.minFields || (this.ellipsisAt === -1 && fieldCount > this.minFields)) {
      return undefined;
    }
    this.metricResolver(metricValue); // throws on a bad metric value
    const indexes = [...this.headIndexes, ...this.tailOffsets.map(offset => fieldCount - offset)];
    const tests = [...this.headInPlace, ...this.tailInPlace];
    const keys = [...this.headConditions, ...this.tailConditions].map((condition, k) => `${indexes[k]} ${condition}`);
    if (NUMBER.test(metricValue)) {
      return { indexes, tests, keys, valueIndex: -1, literalValue: Number(metricValue) };
    }
    const name = metricValue.slice(1);
    const column = this.columns.indexOf(name);
    const valueIndex = column === -1 ? Number(name) - 1
      : this.ellipsisAt === -1 || column < this.ellipsisAt ? column : fieldCount - (this.columns.length - column);
    return { indexes, tests, keys, valueIndex: valueIndex < fieldCount ? valueIndex : -2, literalValue: 0 };
  }

  private addHead(index: number, column: ParsedColumn): void {
    if (column.test !== undefined) {
      this.headIndexes.push(index);
      this.headTests.push(column.test);
      this.headInPlace.push(inPlaceOf(column.test, column.inPlace));
      this.headConditions.push(column.condition ?? '');
    }
  }

  private addTail(offset: number, column: ParsedColumn): void {
    if (column.test !== undefined) {
      this.tailOffsets.push(offset);
      this.tailTests.push(column.test);
      this.tailInPlace.push(inPlaceOf(column.test, column.inPlace));
      this.tailConditions.push(column.condition ?? '');
    }
  }

  private metricResolver(metricValue: string): MetricResolver {
    let resolver = this.metricResolvers.get(metricValue);
    if (resolver === undefined) {
      resolver = this.compileMetricValue(metricValue);
      this.metricResolvers.set(metricValue, resolver);
    }
    return resolver;
  }

  private compileMetricValue(metricValue: string): MetricResolver {
    if (NUMBER.test(metricValue)) {
      const value = Number(metricValue);
      return () => value;
    }
    if (metricValue.startsWith('$')) {
      const name = metricValue.slice(1);
      const column = name === ELLIPSIS || name === '' ? -1 : this.columns.indexOf(name);
      if (column !== -1) {
        return fields => numberOrUndefined(this.columnValue(column, fields));
      }
      if (/^[1-9]\d*$/.test(name)) {
        // `$N`: the N-th field, the name CloudWatch gives unnamed fields among extracted values.
        const index = Number(name) - 1;
        return fields => (index < fields.length ? numberOrUndefined(fields[index]) : undefined);
      }
    }
    throw new Error(
      `Invalid metric value ${JSON.stringify(metricValue)}: use a number or '$' followed by one of the columns `
      + `${this.columns.filter(c => c !== ELLIPSIS && c !== '').join(', ')} or by a field position (1, 2, ...)`,
    );
  }

  /** The field a column binds to in a matching event. */
  private columnValue(column: number, fields: readonly string[]): string {
    const count = this.columns.length;
    if (this.ellipsisAt === -1) {
      if (column === count - 1 && fields.length > count) {
        return joinFrom(fields, count - 1);
      }
      return fields[column];
    }
    return column < this.ellipsisAt ? fields[column] : fields[fields.length - (count - column)];
  }
}

/**
 * Splits a log event into fields the way space-delimited filter patterns see it.
 *
 * Fields are separated by spaces (U+0020 only; a run of spaces is one separator, leading and trailing spaces
 * are ignored). A field starting with `"` or `[` runs to the first `"` (resp. `]`) followed by a space or the
 * end of the event, and is returned without the delimiters; with no such closing delimiter the `"`/`[` is an
 * ordinary character.
 */
export function splitSpaceDelimited(event: string): string[] {
  const length = event.length;
  if (length === 0) {
    return [];
  }
  if (event.indexOf('"') === -1 && event.indexOf('[') === -1 && event.indexOf('  ') === -1
    && event.charCodeAt(0) !== SPACE && event.charCodeAt(length - 1) !== SPACE) {
    return event.split(' '); // the common case (VPC flow-log records): native split
  }
  const fields: string[] = [];
  let i = 0;
  while (i < length) {
    const c = event.charCodeAt(i);
    if (c === SPACE) {
      i++;
      continue;
    }
    if (c === QUOTE || c === OPEN_BRACKET) {
      const close = closingDelimiter(event, i + 1, c === QUOTE ? '"' : ']');
      if (close !== -1) {
        fields.push(event.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let end = event.indexOf(' ', i);
    if (end === -1) {
      end = length;
    }
    fields.push(event.slice(i, end));
    i = end;
  }
  return fields;
}

/** The index of the first `delimiter` at or after `from` that ends the event or is followed by a space, else -1. */
function closingDelimiter(event: string, from: number, delimiter: string): number {
  let at = event.indexOf(delimiter, from);
  while (at !== -1 && at + 1 < event.length && event.charCodeAt(at + 1) !== SPACE) {
    at = event.indexOf(delimiter, at + 1);
  }
  return at;
}

function joinFrom(fields: readonly string[], start: number): string {
  let joined = fields[start];
  for (let i = start + 1; i < fields.length; i++) {
    joined += ' ' + fields[i];
  }
  return joined;
}

function exactOf(operator: string, parts: readonly string[]): { exact?: string } {
  return operator === '=' && parts.length === 1 ? { exact: parts[0] } : {};
}

/** text[start, end) === value, compared from the end (IDs share prefixes); no `startsWith`, which is slow on sliced strings. */
export function sameAt(text: string, start: number, end: number, value: string): boolean {
  let j = value.length;
  if (end - start !== j) {
    return false;
  }
  for (let i = end - 1; i >= start; i--) {
    if (text.charCodeAt(i) !== value.charCodeAt(--j)) {
      return false;
    }
  }
  return true;
}

function inPlaceOf(test: FieldTest, inPlace: InPlaceTest | undefined): InPlaceTest {
  return inPlace ?? { ofText: test };
}

/** The number written in text[start, end) as `toNumber` reads a field, NaN when it is not one; plain digits are read in place. */
export function numberAt(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) {
    return end <= start ? NaN : toNumber(text.slice(start, end));
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return toNumber(text.slice(start, end));
    }
    value = value * 10 + (c - 48);
  }
  return value;
}

function numberOrUndefined(field: string): number | undefined {
  const value = toNumber(field);
  return value === value ? value : undefined; // NaN !== NaN
}

/** The field as a number, NaN when it is not one. Plain integers take a fast path without a regex. */
function toNumber(field: string): number {
  const length = field.length;
  if (length === 0 || length > 15) {
    return length === 0 ? NaN : slowNumber(field);
  }
  let i = 0;
  let c = field.charCodeAt(0);
  const negative = c === 45; // '-'
  if (negative || c === 43) { // '+'
    if (length === 1) {
      return NaN;
    }
    i = 1;
  }
  let value = 0;
  for (; i < length; i++) {
    c = field.charCodeAt(i);
    if (c < 48 || c > 57) {
      return slowNumber(field);
    }
    value = value * 10 + (c - 48);
  }
  return negative ? -value : value;
}

function slowNumber(field: string): number {
  return NUMBER.test(field) ? Number(field) : NaN;
}

/** Matcher for a string value split at its `*` wildcards. */
function compileWildcard(parts: readonly string[]): (field: string) => boolean {
  if (parts.length === 1) {
    const exact = parts[0];
    return field => field === exact;
  }
  const prefix = parts[0];
  const suffix = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter(p => p !== '');
  const fixed = prefix.length + suffix.length + middle.reduce((sum, p) => sum + p.length, 0);
  if (middle.length === 0) {
    if (prefix === '' && suffix === '') {
      return () => true;
    }
    if (prefix === '') {
      return field => field.endsWith(suffix);
    }
    if (suffix === '') {
      return field => field.startsWith(prefix);
    }
    return field => field.length >= fixed && field.startsWith(prefix) && field.endsWith(suffix);
  }
  if (prefix === '' && suffix === '' && middle.length === 1) {
    const infix = middle[0];
    return field => field.includes(infix);
  }
  return field => {
    if (field.length < fixed || !field.startsWith(prefix) || !field.endsWith(suffix)) {
      return false;
    }
    const end = field.length - suffix.length;
    let at = prefix.length;
    for (let k = 0; k < middle.length; k++) {
      const found = field.indexOf(middle[k], at);
      if (found === -1 || found + middle[k].length > end) {
        return false;
      }
      at = found + middle[k].length;
    }
    return true;
  };
}

function numericLeaf(operator: string, value: number): Leaf {
  // NaN (a non-numeric field) fails every comparison; `!=` needs the explicit check.
  switch (operator) {
    case '=': return (_field, num) => num === value;
    case '!=': return (_field, num) => num === num && num !== value;
    case '<': return (_field, num) => num < value;
    case '<=': return (_field, num) => num <= value;
    case '>': return (_field, num) => num > value;
    default: return (_field, num) => num >= value;
  }
}

function stringLeaf(operator: string, matches: (field: string) => boolean): Leaf {
  return operator === '=' ? field => matches(field) : field => !matches(field);
}

function allOf(leaves: readonly Leaf[]): Leaf {
  if (leaves.length === 1) {
    return leaves[0];
  }
  if (leaves.length === 2) {
    const [a, b] = leaves;
    return (field, num) => a(field, num) && b(field, num);
  }
  return (field, num) => {
    for (let k = 0; k < leaves.length; k++) {
      if (!leaves[k](field, num)) {
        return false;
      }
    }
    return true;
  };
}

function anyOf(alternatives: readonly Leaf[]): Leaf {
  if (alternatives.length === 1) {
    return alternatives[0];
  }
  if (alternatives.length === 2) {
    const [a, b] = alternatives;
    return (field, num) => a(field, num) || b(field, num);
  }
  return (field, num) => {
    for (let k = 0; k < alternatives.length; k++) {
      if (alternatives[k](field, num)) {
        return true;
      }
    }
    return false;
  };
}

/** Recursive-descent parser for one pattern; compiles each column's conditions into a closure. */
class PatternParser {
  private pos = 0;
  private regexes = 0;

  constructor(private readonly src: string) {}

  public parse(): ParsedColumn[] {
    this.skipSpace();
    if (this.peek() !== '[') {
      throw this.error(`expected '[' to open the pattern, found ${this.describe(this.pos)}`);
    }
    this.pos++;
    const columns: ParsedColumn[] = [];
    const starts: number[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) {
        throw this.error("missing ']' at the end of the pattern");
      }
      if (c === ']') {
        if (columns.length === 0) {
          throw this.error('the pattern has no columns');
        }
        // Only reachable after a comma: the documented `[..., request=*.html*, status_code=4*,]` has
        // one unnamed, unconstrained column after the trailing comma.
        columns.push({ name: '', test: undefined });
        this.pos++;
        break;
      }
      if (c === ',') {
        throw this.error("empty column: expected a column name or '...'");
      }
      starts.push(this.pos);
      const column = this.parseColumn();
      columns.push(column.parsed);
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        break;
      }
      if (next === undefined) {
        throw this.error("missing ']' at the end of the pattern");
      }
      throw this.error(column.conditional
        ? `unexpected ${this.describe(this.pos)}: expected '&&', '||', ',' or ']'`
        : `unexpected ${this.describe(this.pos)}: expected a comparison operator, ',' or ']'`);
    }
    this.skipSpace();
    if (this.pos < this.src.length) {
      throw this.error(`unexpected ${this.describe(this.pos)} after the closing ']'`);
    }
    this.checkColumns(columns, starts);
    return columns;
  }

  private checkColumns(columns: readonly ParsedColumn[], starts: readonly number[]): void {
    const seen = new Set<string>();
    for (let i = 0; i < starts.length; i++) {
      const name = columns[i].name;
      if (seen.has(name)) {
        // One ellipsis at most: aws-cdk enforces the same, and a second one would leave the columns between them unbound.
        throw this.error(name === ELLIPSIS
          ? "at most one '...' is allowed in a pattern"
          : `column '${name}' appears more than once`, starts[i]);
      }
      seen.add(name);
    }
  }

  private parseColumn(): { parsed: ParsedColumn; conditional: boolean } {
    if (this.peek() === '.') {
      const start = this.pos;
      while (this.peek() === '.') {
        this.pos++;
      }
      if (this.pos - start !== 3) {
        throw this.error(`'${this.src.slice(start, this.pos)}' is not a column: an ellipsis is exactly '...'`, start);
      }
      this.skipSpace();
      if (this.isOperatorStart()) {
        throw this.error("'...' cannot have conditions");
      }
      return { parsed: { name: ELLIPSIS, test: undefined }, conditional: false };
    }
    const name = this.readName();
    this.skipSpace();
    if (!this.isOperatorStart()) {
      return { parsed: { name, test: undefined }, conditional: false };
    }
    const conditionStart = this.pos;
    // OR of ANDs: `&&` binds tighter than `||` (the documented order for JSON patterns; parentheses are not
    // documented for space-delimited patterns and are rejected).
    const alternatives: Leaf[][] = [[]];
    let numeric = false;
    let allNumeric = true;
    // When every alternative is one `= exact string`: those strings (compared in place, without a cut-out field).
    let exactValues: string[] | undefined = [];
    for (;;) {
      const leaf = this.parseComparison();
      numeric = numeric || leaf.numeric;
      allNumeric = allNumeric && leaf.numeric;
      const alternative = alternatives[alternatives.length - 1];
      exactValues = exactValues && leaf.exact !== undefined && alternative.length === 0 ? [...exactValues, leaf.exact] : undefined;
      alternative.push(leaf.leaf);
      this.skipSpace();
      const logical = this.src.slice(this.pos, this.pos + 2);
      if (logical !== '&&' && logical !== '||') {
        const c = this.peek();
        if (c === '&' || c === '|') {
          throw this.error(`unknown logical operator '${c}': use '&&' or '||'`);
        }
        break;
      }
      this.pos += 2;
      if (logical === '||') {
        alternatives.push([]);
      }
      this.skipSpace();
      const c = this.peek();
      if (c === undefined || c === ',' || c === ']') {
        throw this.error(`dangling '${logical}': expected a condition on '${name}' after it`);
      }
      const operandStart = this.pos;
      const operand = this.readName();
      if (operand !== name) {
        // CloudWatch rejects `[..., status_code = 4* && bytes > 1000]` (awsdocs/amazon-cloudwatch-logs-user-guide#21).
        throw this.error(
          `the condition names '${operand}' inside column '${name}': each condition must name its own column`,
          operandStart);
      }
      this.skipSpace();
      if (!this.isOperatorStart()) {
        throw this.error(`expected a comparison operator after '${name}', found ${this.describe(this.pos)}`);
      }
    }
    const expression = anyOf(alternatives.map(allOf));
    const test: FieldTest = numeric
      ? field => expression(field, toNumber(field))
      : field => expression(field, NaN);
    let inPlace: InPlaceTest | undefined;
    if (exactValues !== undefined) {
      inPlace = { oneOf: exactValues, ofText: test };
    } else if (allNumeric) {
      // Numeric leaves read only the number, never the field's text.
      inPlace = { ofNumber: num => expression('', num), ofText: test };
    }
    return { parsed: { name, test, inPlace, condition: this.src.slice(conditionStart, this.pos).trimEnd() }, conditional: true };
  }

  /** One comparison; `exact` is its string when it is `=` a string without wildcards. */
  private parseComparison(): { leaf: Leaf; numeric: boolean; exact?: string } {
    const operatorStart = this.pos;
    while (this.isOperatorStart()) {
      this.pos++;
    }
    const operator = this.src.slice(operatorStart, this.pos);
    if (!OPERATORS.has(operator)) {
      throw this.error(`unknown operator '${operator}': use =, !=, <, <=, > or >=`, operatorStart);
    }
    const equality = operator === '=' || operator === '!=';
    this.skipSpace();
    const valueStart = this.pos;
    const c = this.peek();
    const logical = this.src.slice(this.pos, this.pos + 2);
    if (c === undefined || c === ',' || c === ']' || logical === '&&' || logical === '||') {
      throw this.error(`empty condition: expected a value after '${operator}'`);
    }
    if (c === '"') {
      const parts = this.readQuoted();
      if (!equality) {
        throw this.error(`'${operator}' compares numbers, but the value is a quoted string`, valueStart);
      }
      return { leaf: stringLeaf(operator, compileWildcard(parts)), numeric: false, ...exactOf(operator, parts) };
    }
    if (c === '%') {
      const regex = this.readRegex();
      if (!equality) {
        throw this.error(`'${operator}' compares numbers, but the value is a regular expression`, valueStart);
      }
      return { leaf: stringLeaf(operator, field => regex.test(field)), numeric: false };
    }
    while (this.pos < this.src.length && !VALUE_END.test(this.src[this.pos])) {
      this.pos++;
    }
    const text = this.src.slice(valueStart, this.pos);
    if (text === '') {
      throw this.error(`expected a value after '${operator}', found ${this.describe(valueStart)}`);
    }
    if (NUMBER.test(text)) {
      // An unquoted number is compared as a number, for `=` and `!=` too (aws-cdk's whereNumber renders it so).
      return { leaf: numericLeaf(operator, Number(text)), numeric: true };
    }
    if (!equality) {
      throw this.error(`'${operator}' compares numbers, but '${text}' is not a number`, valueStart);
    }
    const parts = text.split('*');
    return { leaf: stringLeaf(operator, compileWildcard(parts)), numeric: false, ...exactOf(operator, parts) };
  }

  /** Reads `"..."`; returns the content split at unescaped `*`. `\x` stands for x (so `\"`, `\\`, `\*`). */
  private readQuoted(): string[] {
    const start = this.pos;
    this.pos++;
    const parts: string[] = [];
    let current = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) {
        throw this.error("unterminated string: missing the closing '\"'", start);
      }
      this.pos++;
      if (c === '"') {
        break;
      }
      if (c === '\\') {
        const escaped = this.src[this.pos];
        if (escaped === undefined) {
          throw this.error("unterminated string: missing the closing '\"'", start);
        }
        current += escaped;
        this.pos++;
      } else if (c === '*') {
        parts.push(current);
        current = '';
      } else {
        current += c;
      }
    }
    parts.push(current);
    return parts;
  }

  /** Reads `%regex%` with the documented subset and returns it as a JavaScript RegExp (unanchored search). */
  private readRegex(): RegExp {
    const start = this.pos;
    const end = this.src.indexOf('%', start + 1);
    if (end === -1) {
      throw this.error("unterminated regular expression: missing the closing '%'", start);
    }
    const body = this.src.slice(start + 1, end);
    this.pos = end + 1;
    if (body === '') {
      throw this.error('empty regular expression', start);
    }
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (!REGEX_CHAR.test(c)) {
        const why = c === '(' || c === ')'
          ? 'parentheses are not supported in regular expressions'
          : 'use \\xhh for characters outside the supported set';
        throw this.error(`unsupported character '${c}' in a regular expression: ${why}`, start + 1 + i);
      }
    }
    this.regexes++;
    if (this.regexes > MAX_REGEXES) {
      throw this.error(`at most ${MAX_REGEXES} regular expressions are allowed in a pattern`, start);
    }
    // `{,n}` (minimum omitted, documented) is not a quantifier in JavaScript; spaces inside braces are dropped.
    const source = body.replace(/(^|[^\\])\{ *(\d*) *, *(\d*) *\}/g,
      (_all, before: string, min: string, max: string) => `${before}{${min === '' ? '0' : min},${max}}`);
    try {
      return new RegExp(source);
    } catch (e) {
      throw this.error(`invalid regular expression: ${(e as Error).message}`, start);
    }
  }

  private readName(): string {
    const start = this.pos;
    while (this.pos < this.src.length && COLUMN_NAME_CHAR.test(this.src[this.pos])) {
      this.pos++;
    }
    if (this.pos === start) {
      throw this.error(`expected a column name or '...', found ${this.describe(start)}`);
    }
    return this.src.slice(start, this.pos);
  }

  private isOperatorStart(): boolean {
    return this.pos < this.src.length && OPERATOR_CHAR.test(this.src[this.pos]);
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) {
      this.pos++;
    }
  }

  private describe(at: number): string {
    const c = this.src[at];
    if (c === undefined) {
      return 'the end of the pattern';
    }
    return c === '(' || c === ')'
      ? `'${c}' (parentheses are not supported in space-delimited patterns)`
      : `'${c}'`;
  }

  private error(reason: string, at: number = this.pos): Error {
    return new Error(`Invalid space-delimited filter pattern at position ${at}: ${reason}\n  ${this.src}\n  ${' '.repeat(at)}^`);
  }
}
