/**
 * A parser for the subset of the CloudWatch Logs Insights query language (Logs Insights QL) that the
 * kit's log alarms use, compiled for offline evaluation over flow-log records.
 *
 * Sources (a reader asking "says who?" finds the rule at the code it concerns):
 * - [Q] Query syntax, commands separated by `|`, comments after `#`:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 * - [P] parse, glob mode (`*` per alias; an event that does not match keeps no extracted fields):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html
 * - [F] filter (= != < <= > >=, and/or/not, `in` for set membership, `not` with `in`):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html
 * - [O] operators and functions (isIpv4InSubnet, isIpv6InSubnet: "true if the field is a valid v4 [v6]
 *   address within the specified v4 [v6] subnet", CIDR notation):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html
 * - [S] stats (count() counts events, count(field) "all records that contain the field", sum, avg, min, max,
 *   count_distinct):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Stats.html
 * - [LA] the log alarm's AggregationExpression: `statistic_func_expression [by field1, ...] [| sort asc|desc]`,
 *   functions count(*), avg, sum, min, max; at most 5 `by` fields:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html
 *
 * Supported (anything else throws `NotSimulatedError`, whose message is the reason):
 * - `parse @message "* * … *" as a, b, …` (or without `@message`): one `*` per space-separated field, first command.
 * - `filter` (or its alias `where`) with `=` `!=` `<` `<=` `>` `>=` between a field and a literal, `in [..]`, `not in [..]`, `and`, `or`,
 *   `not`, parentheses, string and number literals, `isIpv4InSubnet(f, "cidr")`, `isIpv6InSubnet(f, "cidr")`.
 * - `stats` with count(*), count(), count(f), count_distinct(f), sum(f), avg(f), min(f), max(f), `as` names,
 *   `by` fields (at most one `stats`).
 * - after `stats`: `filter`, `sort f asc|desc`, `limit N`; anywhere: `fields` / `display` of plain field names.
 *
 * Choices where the documentation is silent (repeated where they apply):
 * - Precedence `not` > `and` > `or` (the usual one; [F] does not state it).
 * - A number literal compares numerically; a field that is not a number (`-`) makes the comparison false for
 *   every operator, `!=` included (as the replay's metric-filter evaluator decides for `-`). A string literal
 *   compares exactly, case-sensitively. `not` negates the result.
 * - Keywords are lowercase, as every example in [Q] [F] writes them.
 * - `fields` / `display` may hide fields: a later reference to a hidden field is not simulated (whether AWS still
 *   sees it there is not documented).
 * - `sort` needs `asc` or `desc` (the default order is not documented).
 */

/** A query, or a part of one, that replay cannot evaluate exactly. The message says why. */
export class NotSimulatedError extends Error {}

export type Literal = number | string;
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'compare'; readonly field: string; readonly op: ComparisonOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly Literal[] }
  | { readonly kind: 'subnet'; readonly version: 4 | 6; readonly field: string; readonly cidr: string }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition };

export type StatsFunctionName = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

export interface StatsFunction {
  readonly fn: StatsFunctionName;
  /** The field it reads; undefined for count(*) and count(). */
  readonly field?: string;
  /** The column it produces: its `as` name, else its text (`count(*)`). */
  readonly name: string;
}

export interface StatsCommand {
  readonly functions: readonly StatsFunction[];
  readonly by: readonly string[];
}

export type RowCommand =
  | { readonly kind: 'filter'; readonly condition: Condition }
  | { readonly kind: 'sort'; readonly field: string; readonly descending: boolean }
  | { readonly kind: 'limit'; readonly count: number };

/** A parsed query string. */
export interface LogsInsightsQuery {
  /** The aliases of the `parse` glob, in record order (the i-th `*` is the i-th field). */
  readonly parsed: readonly string[];
  /** The conditions before `stats` (or of the whole query without one), all of which an event must meet. */
  readonly filters: readonly Condition[];
  /** The `stats` command, if the query has one. */
  readonly stats?: StatsCommand;
  /** What runs on the rows `stats` produced, in order. */
  readonly rowCommands: readonly RowCommand[];
  /** The fields of the query's results: the parsed ones (without stats) or the stats columns, less hidden ones. */
  readonly resultFields: readonly string[];
}

/** A parsed AggregationExpression of a log alarm. */
export interface AggregationExpression {
  readonly fn: 'count' | 'sum' | 'avg' | 'min' | 'max';
  /** The field it reads; undefined for count(*). */
  readonly field?: string;
  readonly by: readonly string[];
  /** `| sort asc|desc`: contributors sorted by value; undefined sorts them alphabetically [LA]. */
  readonly sort?: 'asc' | 'desc';
}

/** Commands of Logs Insights QL that replay does not evaluate (named in the error rather than "unknown"). */
const UNSIMULATED_COMMANDS = ['dedup', 'unnest', 'lookup', 'join', 'pattern', 'anomaly', 'diff', 'unmask', 'filterIndex', 'source'];
const STATS_FUNCTIONS: readonly StatsFunctionName[] = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'];
/** [LA]: "the following table lists the supported aggregation functions". */
const AGGREGATION_FUNCTIONS = ['count', 'avg', 'sum', 'min', 'max'];
/** [LA]: "Maximum 5 fields in the by clause." */
const MAX_BY_FIELDS = 5;
const COMPARISON_OPS: readonly string[] = ['=', '!=', '<', '<=', '>', '>='];

type TokenKind = 'word' | 'number' | 'string' | 'punct' | 'regex';
interface Token { readonly kind: TokenKind; readonly text: string; readonly value?: Literal; readonly at: number }

/** Splits a query into tokens; `#` comments are dropped. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '"' || c === '\'') {
      let text = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        text += source[j];
      }
      if (j >= source.length) throw new NotSimulatedError(`the string starting at ${i} is not closed`);
      tokens.push({ kind: 'string', text: source.slice(i, j + 1), value: text, at: i });
      i = j + 1;
    } else if (c === '/' && (tokens.length === 0 || isRegexPosition(tokens[tokens.length - 1]))) {
      tokens.push({ kind: 'regex', text: '/', at: i });
      i = source.length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? '') && isValuePosition(tokens[tokens.length - 1]))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_@$]/.test(c)) {
      const m = /^[A-Za-z_@$][A-Za-z0-9_.@$]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else if (c === '`') {
      throw new NotSimulatedError('backquoted field names are not simulated');
    } else {
      const two = source.slice(i, i + 2);
      const text = ['!=', '<=', '>=', '=~', '=='].includes(two) ? two : c;
      if (text === '=~') throw new NotSimulatedError('`=~` (regular expression match) is not simulated');
      if (text === '==') throw new NotSimulatedError('`==` is not a Logs Insights comparison operator (`=` is)');
      tokens.push({ kind: 'punct', text, at: i });
      i += text.length;
    }
  }
  return tokens;
}

function isValuePosition(previous: Token | undefined): boolean {
  return previous === undefined || (previous.kind === 'punct' && previous.text !== ')' && previous.text !== ']') || previous.kind === 'word';
}

function isRegexPosition(previous: Token): boolean {
  return (previous.kind === 'punct' && previous.text !== ')' && previous.text !== ']')
    || (previous.kind === 'word' && (['like', 'filter', 'where', 'parse', 'and', 'or', 'not', 'in'].includes(previous.text) || previous.text.startsWith('@')));
}

/** The tokens of each command (split at `|`), each with its name. */
function commands(tokens: Token[]): Token[][] {
  const result: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    if (t.kind === 'punct' && t.text === '|' && depth === 0) {
      result.push([]);
    } else {
      result[result.length - 1].push(t);
    }
  }
  for (const command of result) {
    if (command.length === 0) throw new NotSimulatedError('an empty command (`||` or a trailing `|`)');
  }
  return result;
}

/** A cursor over one command's tokens. */
class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly command: string) {}

  public peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  public next(): Token {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new NotSimulatedError(`\`${this.command}\` ends too early`);
    if (t.kind === 'regex') throw new NotSimulatedError('regular expressions are not simulated');
    return t;
  }

  public isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  public isWord(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'word' && t.text === text;
  }

  public expectPunct(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw new NotSimulatedError(`\`${this.command}\`: expected \`${text}\`, got \`${t.text}\``);
  }

  public expectWord(): string {
    const t = this.next();
    if (t.kind !== 'word') throw new NotSimulatedError(`\`${this.command}\`: expected a field name, got \`${t.text}\``);
    return t.text;
  }

  public get done(): boolean {
    return this.i >= this.tokens.length;
  }

  public expectEnd(): void {
    const t = this.peek();
    if (t !== undefined) {
      if (t.kind === 'regex') throw new NotSimulatedError('regular expressions are not simulated');
      throw new NotSimulatedError(`\`${this.command}\`: \`${t.text}\` is not simulated here`);
    }
  }
}

/**
 * Parses a log alarm's QueryString.
 *
 * @throws NotSimulatedError naming what replay does not evaluate
 */
export function parseLogsInsightsQuery(query: string): LogsInsightsQuery {
  const parts = commands(tokenize(query));
  let parsed: string[] | undefined;
  const filters: Condition[] = [];
  let stats: StatsCommand | undefined;
  const rowCommands: RowCommand[] = [];
  let visible = new Set<string>();
  const use = (field: string) => {
    if (field.startsWith('@')) {
      throw new NotSimulatedError(`\`${field}\` is not simulated (replay knows only the fields that \`parse\` and \`stats\` make)`);
    }
    if (!visible.has(field)) {
      throw new NotSimulatedError(parsed === undefined
        ? `\`${field}\` is used but no \`parse\` makes it: Logs Insights discovers flow-log fields only in the default format, which replay does not simulate`
        : `\`${field}\` is not a field at that point of the query (fields there: ${[...visible].join(', ') || 'none'})`);
    }
  };
  parts.forEach((tokens, index) => {
    const head = tokens[0];
    const name = head.kind === 'word' ? head.text : head.text;
    const cursor = new Cursor(tokens.slice(1), name);
    switch (name) {
      case 'parse':
        if (index !== 0 || parsed !== undefined) throw new NotSimulatedError('`parse` is simulated only as the first command, once');
        parsed = parseGlob(cursor);
        visible = new Set(parsed);
        break;
      case 'filter':
      // "Use the where command as an alias for the filter command. It accepts identical syntax and behavior."
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Where.html)
      case 'where': {
        const condition = parseCondition(cursor);
        cursor.expectEnd();
        fieldsOf(condition).forEach(use);
        if (stats === undefined) {
          filters.push(condition);
        } else {
          rowCommands.push({ kind: 'filter', condition });
        }
        break;
      }
      case 'stats': {
        if (stats !== undefined) throw new NotSimulatedError('a second `stats` is not simulated');
        if (rowCommands.length > 0) throw new NotSimulatedError('`sort` or `limit` before `stats` is not simulated');
        stats = parseStats(cursor, false);
        stats.functions.forEach(f => f.field !== undefined && use(f.field));
        stats.by.forEach(use);
        visible = new Set([...stats.by, ...stats.functions.map(f => f.name)]);
        break;
      }
      case 'sort': {
        if (stats === undefined) throw new NotSimulatedError('`sort` of log events (before or without `stats`) is not simulated');
        const field = cursor.expectWord();
        const direction = cursor.peek()?.text;
        if (direction !== 'asc' && direction !== 'desc') {
          throw new NotSimulatedError('`sort` without `asc` or `desc` is not simulated (the default order is not documented)');
        }
        cursor.next();
        cursor.expectEnd();
        use(field);
        rowCommands.push({ kind: 'sort', field, descending: direction === 'desc' });
        break;
      }
      case 'limit': {
        if (stats === undefined) throw new NotSimulatedError('`limit` of log events (before or without `stats`) is not simulated');
        const t = cursor.next();
        if (t.kind !== 'number' || !Number.isInteger(t.value) || (t.value as number) < 1) {
          throw new NotSimulatedError(`\`limit\` takes a whole number of 1 or more, got \`${t.text}\``);
        }
        cursor.expectEnd();
        rowCommands.push({ kind: 'limit', count: t.value as number });
        break;
      }
      case 'fields':
      case 'display': {
        const names: string[] = [];
        for (;;) {
          const field = cursor.expectWord();
          if (cursor.isPunct('(') || cursor.isWord('as')) throw new NotSimulatedError(`\`${name}\` with expressions or \`as\` is not simulated`);
          use(field);
          names.push(field);
          if (cursor.done) break;
          cursor.expectPunct(',');
        }
        visible = new Set(names);
        break;
      }
      default:
        if (UNSIMULATED_COMMANDS.includes(name) || head.kind === 'word') throw new NotSimulatedError(`\`${name}\` is not simulated`);
        throw new NotSimulatedError(`a command starting with \`${name}\` is not simulated`);
    }
  });
  return { parsed: parsed ?? [], filters, stats, rowCommands, resultFields: [...visible] };
}

/**
 * Parses a log alarm's AggregationExpression [LA].
 *
 * @throws NotSimulatedError naming what replay does not evaluate
 */
export function parseAggregationExpression(expression: string): AggregationExpression {
  const parts = commands(tokenize(expression));
  if (parts.length > 2) throw new NotSimulatedError('an AggregationExpression has one expression and an optional `| sort asc|desc` [LA]');
  const stats = parseStats(new Cursor(parts[0], 'AggregationExpression'), true);
  if (stats.functions.length !== 1) throw new NotSimulatedError('an AggregationExpression has a single aggregation function [LA]');
  const f = stats.functions[0];
  if (!AGGREGATION_FUNCTIONS.includes(f.fn)) {
    throw new NotSimulatedError(`\`${f.fn}()\` in an AggregationExpression is not simulated: the log alarm documentation lists `
      + 'count(*), avg, sum, min and max (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html); '
      + `compute it in the QueryString's \`stats\` and aggregate its column (e.g. \`max(${f.name})\`)`);
  }
  if (stats.by.length > MAX_BY_FIELDS) throw new NotSimulatedError(`an AggregationExpression's \`by\` takes at most ${MAX_BY_FIELDS} fields [LA], got ${stats.by.length}`);
  let sort: 'asc' | 'desc' | undefined;
  if (parts.length === 2) {
    const cursor = new Cursor(parts[1], 'sort');
    if (!cursor.isWord('sort')) throw new NotSimulatedError('after `|`, an AggregationExpression takes only `sort asc` or `sort desc` [LA]');
    cursor.next();
    const direction = cursor.next().text;
    if (direction !== 'asc' && direction !== 'desc') throw new NotSimulatedError(`\`sort\` takes \`asc\` or \`desc\`, got \`${direction}\``);
    cursor.expectEnd();
    sort = direction;
  }
  return { fn: f.fn as AggregationExpression['fn'], field: f.field, by: stats.by, sort };
}

function parseGlob(cursor: Cursor): string[] {
  let t = cursor.next();
  if (t.kind === 'word') {
    if (t.text !== '@message') throw new NotSimulatedError(`\`parse\` of \`${t.text}\` is not simulated (only of @message)`);
    t = cursor.next();
  }
  if (t.kind !== 'string') throw new NotSimulatedError('`parse` is simulated only in glob mode (a quoted pattern)');
  const glob = t.value as string;
  if (!/^\*( \*)*$/.test(glob)) {
    throw new NotSimulatedError(`the \`parse\` glob "${glob}" is not simulated: only one \`*\` per space-separated field ("* * … *")`);
  }
  if (!cursor.isWord('as')) throw new NotSimulatedError('`parse` needs `as` and one name per `*`');
  cursor.next();
  const names: string[] = [];
  for (;;) {
    names.push(cursor.expectWord());
    if (cursor.done) break;
    cursor.expectPunct(',');
  }
  const stars = glob.split(' ').length;
  if (names.length !== stars) {
    throw new NotSimulatedError(`the \`parse\` glob has ${stars} \`*\` and ${names.length} names; they must be as many [P]`);
  }
  if (new Set(names).size !== names.length) throw new NotSimulatedError('`parse` names a field twice');
  return names;
}

function parseStats(cursor: Cursor, aggregation: boolean): StatsCommand {
  const functions: StatsFunction[] = [];
  for (;;) {
    const t = cursor.next();
    if (t.kind !== 'word' || !cursor.isPunct('(')) {
      throw new NotSimulatedError(`\`stats\`: expected an aggregation function, got \`${t.text}\``);
    }
    const fn = t.text as StatsFunctionName;
    if (!STATS_FUNCTIONS.includes(fn)) throw new NotSimulatedError(`\`${t.text}()\` is not simulated`);
    cursor.expectPunct('(');
    let field: string | undefined;
    if (cursor.isPunct('*')) {
      if (fn !== 'count') throw new NotSimulatedError(`\`${fn}(*)\` is not a Logs Insights function`);
      cursor.next();
    } else if (!cursor.isPunct(')')) {
      field = cursor.expectWord();
      if (cursor.isPunct('(')) throw new NotSimulatedError(`\`${field}()\` inside \`${fn}()\` is not simulated`);
      if (!cursor.isPunct(')')) throw new NotSimulatedError(`\`${fn}()\` of an expression is not simulated`);
    } else if (fn !== 'count') {
      throw new NotSimulatedError(`\`${fn}()\` needs a field`);
    }
    cursor.expectPunct(')');
    let name = `${fn}(${field ?? '*'})`;
    if (cursor.isWord('as')) {
      cursor.next();
      name = cursor.expectWord();
    }
    functions.push({ fn, field, name });
    if (!cursor.isPunct(',')) break;
    cursor.next();
  }
  const by: string[] = [];
  if (cursor.isWord('by')) {
    cursor.next();
    for (;;) {
      const field = cursor.expectWord();
      if (cursor.isPunct('(')) throw new NotSimulatedError(`\`${field}()\` in \`by\` is not simulated${aggregation && field === 'bin' ? ' (nor supported by AWS in an AggregationExpression [LA])' : ''}`);
      if (cursor.isWord('as')) throw new NotSimulatedError('`as` in `by` is not simulated');
      by.push(field);
      if (cursor.done) break;
      cursor.expectPunct(',');
    }
  }
  cursor.expectEnd();
  const names = [...by, ...functions.map(f => f.name)];
  if (new Set(names).size !== names.length) throw new NotSimulatedError('`stats` makes two columns of the same name');
  return { functions, by };
}

// Conditions: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary.
function parseCondition(cursor: Cursor): Condition {
  let left = parseAnd(cursor);
  while (cursor.isWord('or')) {
    cursor.next();
    left = { kind: 'or', left, right: parseAnd(cursor) };
  }
  return left;
}

function parseAnd(cursor: Cursor): Condition {
  let left = parseUnary(cursor);
  while (cursor.isWord('and')) {
    cursor.next();
    left = { kind: 'and', left, right: parseUnary(cursor) };
  }
  return left;
}

function parseUnary(cursor: Cursor): Condition {
  if (cursor.isWord('not')) {
    cursor.next();
    return { kind: 'not', operand: parseUnary(cursor) };
  }
  if (cursor.isPunct('(')) {
    cursor.next();
    const inner = parseCondition(cursor);
    cursor.expectPunct(')');
    return inner;
  }
  return parsePrimary(cursor);
}

function parsePrimary(cursor: Cursor): Condition {
  const t = cursor.next();
  if (t.kind !== 'word' || ['and', 'or', 'not', 'in', 'like'].includes(t.text)) {
    throw new NotSimulatedError(`\`filter\`: a condition must start with a field or a function, got \`${t.text}\``);
  }
  if (cursor.isPunct('(')) {
    return parseFunction(t.text, cursor);
  }
  const field = t.text;
  if (cursor.isWord('in')) {
    cursor.next();
    return { kind: 'in', field, values: parseList(cursor) };
  }
  if (cursor.isWord('not') && cursor.peek(1)?.text === 'in') {
    cursor.next();
    cursor.next();
    return { kind: 'not', operand: { kind: 'in', field, values: parseList(cursor) } };
  }
  if (cursor.isWord('like')) throw new NotSimulatedError('`like` is not simulated');
  const op = cursor.next();
  if (op.kind !== 'punct' || !COMPARISON_OPS.includes(op.text)) {
    if (op.kind === 'punct' && ['+', '-', '*', '/', '%', '^'].includes(op.text)) throw new NotSimulatedError('arithmetic is not simulated');
    throw new NotSimulatedError(`\`filter\`: expected a comparison after \`${field}\`, got \`${op.text}\``);
  }
  const value = cursor.next();
  if (value.kind === 'word') throw new NotSimulatedError(`comparing two fields (\`${field} ${op.text} ${value.text}\`) is not simulated`);
  if (value.kind !== 'number' && value.kind !== 'string') throw new NotSimulatedError(`\`filter\`: expected a value after \`${op.text}\`, got \`${value.text}\``);
  if (cursor.isPunct('(') || (cursor.peek()?.kind === 'punct' && ['+', '-', '*', '/', '%', '^'].includes(cursor.peek()!.text))) {
    throw new NotSimulatedError('arithmetic is not simulated');
  }
  return { kind: 'compare', field, op: op.text as ComparisonOp, value: value.value! };
}

function parseFunction(name: string, cursor: Cursor): Condition {
  if (name !== 'isIpv4InSubnet' && name !== 'isIpv6InSubnet') throw new NotSimulatedError(`\`${name}()\` is not simulated`);
  cursor.expectPunct('(');
  const field = cursor.expectWord();
  cursor.expectPunct(',');
  const cidr = cursor.next();
  if (cidr.kind !== 'string') throw new NotSimulatedError(`\`${name}()\` takes a quoted CIDR, got \`${cidr.text}\``);
  cursor.expectPunct(')');
  const version = name === 'isIpv4InSubnet' ? 4 : 6;
  if (parseCidr(version, cidr.value as string) === undefined) {
    throw new NotSimulatedError(`\`${name}()\`: "${cidr.value}" is not an IPv${version} CIDR`);
  }
  return { kind: 'subnet', version, field, cidr: cidr.value as string };
}

function parseList(cursor: Cursor): Literal[] {
  cursor.expectPunct('[');
  const values: Literal[] = [];
  if (!cursor.isPunct(']')) {
    for (;;) {
      const t = cursor.next();
      if (t.kind !== 'number' && t.kind !== 'string') throw new NotSimulatedError(`\`in [...]\` takes literals, got \`${t.text}\``);
      values.push(t.value!);
      if (cursor.isPunct(']')) break;
      cursor.expectPunct(',');
    }
  }
  cursor.expectPunct(']');
  return values;
}

/** The fields a condition reads. */
export function fieldsOf(condition: Condition): string[] {
  switch (condition.kind) {
    case 'and':
    case 'or': return [...fieldsOf(condition.left), ...fieldsOf(condition.right)];
    case 'not': return fieldsOf(condition.operand);
    default: return [condition.field];
  }
}

/** A CIDR as the network's address words and prefix length, or undefined when it is not one. */
export function parseCidr(version: 4 | 6, cidr: string): { readonly words: Uint32Array; readonly prefix: number } | undefined {
  const slash = cidr.indexOf('/');
  const address = slash === -1 ? cidr : cidr.slice(0, slash);
  const prefixText = slash === -1 ? undefined : cidr.slice(slash + 1);
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  const words = new Uint32Array(version === 4 ? 1 : 4);
  const ok = version === 4 ? ipv4At(address, 0, address.length, words) : ipv6At(address, 0, address.length, words);
  return ok ? { words, prefix } : undefined;
}

/** Parses the dotted-quad IPv4 address in text[start, end) into out[0]; false when it is not one. No allocation. */
export function ipv4At(text: string, start: number, end: number, out: Uint32Array): boolean {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return false;
    }
  }
  if (dots !== 3 || digits === 0) return false;
  out[0] = value * 256 + octet;
  return true;
}

const ipv6Groups = new Uint16Array(8);

/**
 * Parses the IPv6 address in text[start, end) (RFC 4291 text forms: `::` once, a trailing dotted IPv4 part)
 * into four 32-bit words; false when it is not one. No allocation.
 */
export function ipv6At(text: string, start: number, end: number, out: Uint32Array): boolean {
  const groups = ipv6Groups;
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    const groupStart = i;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      value = value * 16 + d;
      if (++digits > 4) return false;
    }
    if (i < end && text.charCodeAt(i) === 46) { // an embedded IPv4 address ends the text
      const v4 = new Uint32Array(1);
      if (count > 6 || !ipv4At(text, groupStart, end, v4)) return false;
      groups[count++] = Math.floor(v4[0] / 0x10000);
      groups[count++] = v4[0] % 0x10000;
      i = end;
      break;
    }
    if (digits === 0) return false;
    if (count === 8) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1 ? count !== 8 : count > 7) return false;
  for (let w = 0; w < 4; w++) {
    out[w] = 0;
  }
  const tail = gap === -1 ? 0 : count - gap;
  for (let g = 0; g < count; g++) {
    const position = gap === -1 || g < gap ? g : 8 - tail + (g - gap);
    out[Math.floor(position / 2)] += position % 2 === 0 ? groups[g] * 0x10000 : groups[g];
  }
  return true;
}

/** Whether the first `prefix` bits of two addresses (as 32-bit words) are equal. */
export function samePrefix(a: Uint32Array, b: Uint32Array, prefix: number): boolean {
  let bits = prefix;
  for (let w = 0; w < a.length && bits > 0; w++) {
    const take = Math.min(32, bits);
    const unit = 2 ** (32 - take); // the first `take` bits of a word are its quotient by 2^(32 - take)
    if (Math.floor(a[w] / unit) !== Math.floor(b[w] / unit)) return false;
    bits -= take;
  }
  return true;
}
