/**
 * The awk program that does, per record, the work a replay does for one log group of a template: every
 * metric filter's conditions with its matched count and sum, and every log alarm's query conditions with
 * its `stats` accumulated per time slot and group (count, sum, count_distinct by a seen-set), as replay
 * accumulates them. It does not run the alarms' executions (merging each window's slots and ordering its
 * contributors, a fifth to a third of replay's time in a profile), so the comparison favours awk. Written from
 * the template the replay reads, so both run the same conditions; a pattern or query form the translation
 * does not know fails the benchmark rather than being left out.
 *
 * Output, one line each: `filter <metricName> <matched> <sum>` and `query <n> <matched> <states>`.
 */
import { accumulatedStats, ipv4Cidr, patternComparison, patternField, patternTerms } from './template-forms';
import { LogAlarmQuery } from '../../src/replay/engine/log-alarm-evaluator';
import { Condition } from '../../src/replay/engine/logs-insights-query';
import { TemplateMetricFilter } from '../../src/replay/engine/template-model';

export function awkEquivalent(filters: readonly TemplateMetricFilter[], logQueries: readonly LogAlarmQuery[]): string {
  const sets: string[] = [];
  const filterRules = filters.map((f, n) => {
    const condition = patternCondition(f.pattern!);
    const value = f.metricValue.startsWith('$') ? `$${patternField(f.pattern!, f.metricValue.slice(1)) + 1}` : f.metricValue;
    return `if (${condition}) { fm[${n}]++; fs[${n}] += ${value} }`;
  });
  const queryRules = logQueries.map((logQuery, n) => {
    const q = logQuery.query;
    const column = (name: string) => {
      const i = q.parsed.indexOf(name);
      if (i < 0) throw new Error(`the query reads ${name}, which its parse glob does not name`);
      return `$${i + 1}`;
    };
    const condition = q.filters.length === 0 ? '1' : q.filters.map(c => conditionAwk(c, column, sets)).join(' && ');
    const stats = accumulatedStats(logQuery);
    const key = ['slot', ...stats.by.map(column)].join(' SUBSEP ');
    const updates = stats.functions.map((fn, j) => {
      const a = `q${n}f${j}`;
      switch (fn.fn) {
        case 'count': return fn.field === undefined ? `${a}[k]++` : `if (${column(fn.field)} != "") ${a}[k]++`;
        case 'sum': return `${a}[k] += ${column(fn.field!)}`;
        case 'count_distinct': return `if (!((k, ${column(fn.field!)}) in seen${n}_${j})) { seen${n}_${j}[k, ${column(fn.field!)}] = 1; ${a}[k]++ }`;
        default: throw new Error(`stats function ${fn.fn} is not translated`);
      }
    });
    return `if (${condition}) { qm[${n}]++; k = ${key}; if (!(k in states${n})) { states${n}[k] = 1; qs[${n}]++ } ${updates.join('; ')} }`;
  });
  const queries = logQueries;
  return [
    'function isnum(x) { return x ~ /^-?[0-9]+(\\.[0-9]+)?$/ }',
    // An address as a number (-1: not an IPv4 address), parsed once per distinct address, as a careful awk
    // program would; then in a CIDR by the prefix's bits (exact in awk's doubles).
    'function ipnum(x,   p, n, i, ip) { if (x in ipc) return ipc[x]; n = split(x, p, "."); ip = -1',
    '  if (n == 4 && p[1] ~ /^[0-9]+$/ && p[2] ~ /^[0-9]+$/ && p[3] ~ /^[0-9]+$/ && p[4] ~ /^[0-9]+$/ && p[1] < 256 && p[2] < 256 && p[3] < 256 && p[4] < 256)',
    '    ip = ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4]',
    '  ipc[x] = ip; return ip }',
    'function insub(x, net, bits,   ip) { ip = ipnum(x); return ip >= 0 && int(ip / 2 ^ (32 - bits)) == int(net / 2 ^ (32 - bits)) }',
    `BEGIN { ${sets.join('; ')} }`,
    'NF == 23 {',
    // The slot of the record's start ($11), the time CloudWatch Logs gives its event, as replay counts it.
    '  slot = int($11 / 60) * 2 + ($11 % 60 != 0)',
    ...filterRules.map(r => `  ${r}`),
    ...queryRules.map(r => `  ${r}`),
    '}',
    `END { ${filters.map((f, n) => `printf "filter ${f.metricName} %d %.0f\\n", fm[${n}], fs[${n}]`).join('; ')}; `
      + `${queries.map((_, n) => `printf "query ${n} %d %d\\n", qm[${n}], qs[${n}]`).join('; ')} }`,
  ].join('\n');
}

/**
 * A space-delimited filter pattern's conditions in awk: per field, `name=v`, `name!=v`, `name>v` … joined
 * by `||` or `&&` (the kit's forms); a string value compares as text, a number numerically (and never
 * matches a field that is not a number, as CloudWatch's numeric comparisons do not).
 */
function patternCondition(pattern: string): string {
  const parts: string[] = [];
  patternTerms(pattern).forEach((term, i) => {
    if (/^[a-z_]+$/.test(term)) return;
    const field = `$${i + 1}`;
    const alternatives = term.split(/\s*(\|\||&&)\s*/);
    const out = alternatives.map(a => {
      if (a === '||' || a === '&&') return a;
      const { op, value } = patternComparison(a);
      const awkOp = op === '=' ? '==' : op;
      return value.startsWith('"') ? `${field} ${awkOp} ${value}` : `(isnum(${field}) && ${field} ${awkOp} ${value})`;
    });
    parts.push(`(${out.join(' ')})`);
  });
  return parts.length === 0 ? '1' : parts.join(' && ');
}

/** A Logs Insights condition in awk, with the same rules as replay's evaluator (a number literal is false on a non-number). */
function conditionAwk(c: Condition, column: (name: string) => string, sets: string[]): string {
  switch (c.kind) {
    case 'and': return `(${conditionAwk(c.left, column, sets)} && ${conditionAwk(c.right, column, sets)})`;
    case 'or': return `(${conditionAwk(c.left, column, sets)} || ${conditionAwk(c.right, column, sets)})`;
    case 'not': return `!(${conditionAwk(c.operand, column, sets)})`;
    case 'compare': {
      const op = c.op === '=' ? '==' : c.op;
      return typeof c.value === 'number' ? `(isnum(${column(c.field)}) && ${column(c.field)} ${op} ${c.value})` : `${column(c.field)} ${op} "${c.value}"`;
    }
    case 'in': {
      const name = `set${sets.length}`;
      sets.push(c.values.map(v => `${name}["${v}"] = 1`).join('; '));
      return `(${column(c.field)} in ${name})`;
    }
    case 'subnet': {
      if (c.version !== 4) throw new Error('isIpv6InSubnet is not translated');
      const { network, bits } = ipv4Cidr(c.cidr);
      return `insub(${column(c.field)}, ${network}, ${bits})`;
    }
  }
}
