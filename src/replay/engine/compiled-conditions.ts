import { numberAt, sameAt } from './filter-pattern';
import { compileCondition, RecordTest } from './logs-insights-partials';
import { Condition, ipv4At, parseCidr } from './logs-insights-query';

/** Per query, its conditions and where its fields are in a record. */
export interface QueryConditions {
  readonly conditions: readonly Condition[];
  readonly columnOf: (field: string) => number;
}

/** Writes, per query, 1 into answers[q] when the record meets all of its conditions, else 0. */
export type ConditionsEvaluator = (text: string, starts: Int32Array, ends: Int32Array, answers: Uint8Array) => void;

/**
 * The conditions of all the log queries of a replay, compiled into one JavaScript function run once per
 * record. The kit's detections share most of their conditions (`log_status = "OK"`, a role's
 * `subnet_id in [...]`, `protocol = 6`, the private ranges), and port scan and host sweep their whole filter:
 * each distinct condition is one variable of the function, computed the first time a query needs it and
 * reused by the others, and each field is read as a number or an address once. The generated code keeps the
 * rules of `compileCondition` (the reference evaluator, which the tests compare it with): a number literal is
 * false on a field that is not a number, for every operator; a string literal compares exactly.
 */
export function compileQueryConditions(queries: readonly QueryConditions[]): ConditionsEvaluator {
  const declarations: string[] = [];
  const helpers: RecordTest[] = [];
  const strings: string[] = [];
  const memo = new Map<string, string>();
  const numbers = new Set<number>();
  const addresses = new Set<number>();

  const num = (i: number) => {
    numbers.add(i);
    return `(h${i} ? n${i} : (h${i} = true, n${i} = numberAt(text, starts[${i}], ends[${i}])))`;
  };
  const address = (i: number) => {
    addresses.add(i);
    return `(g${i} ? a${i} : (g${i} = true, a${i} = ipv4Number(text, starts[${i}], ends[${i}])))`;
  };
  const helper = (c: Condition, columnOf: (field: string) => number) => {
    helpers.push(compileCondition(c, columnOf, () => {
      throw new Error('only conditions without operands are helpers');
    }));
    return `H[${helpers.length - 1}](text, starts, ends)`;
  };
  const literal = (s: string) => {
    strings.push(s);
    return `S[${strings.length - 1}]`;
  };

  const keyOf = (c: Condition, columnOf: (field: string) => number) => JSON.stringify(c, (k, v) => (k === 'field' ? columnOf(v) : v));
  // How often each condition occurs, sub-conditions included: only those that occur more than once get a variable.
  const uses = new Map<string, number>();
  const count = (c: Condition, columnOf: (field: string) => number): void => {
    const key = keyOf(c, columnOf);
    uses.set(key, (uses.get(key) ?? 0) + 1);
    if ((uses.get(key) ?? 0) > 1) return; // its operands were counted the first time
    if (c.kind === 'and' || c.kind === 'or') {
      count(c.left, columnOf);
      count(c.right, columnOf);
    } else if (c.kind === 'not') {
      count(c.operand, columnOf);
    }
  };
  queries.forEach(q => q.conditions.forEach(c => count(c, q.columnOf)));

  /** The expression of a condition: when shared, a variable of its own, computed at first use. */
  const expression = (c: Condition, columnOf: (field: string) => number): string => {
    const key = keyOf(c, columnOf);
    let text = memo.get(key);
    if (text === undefined) {
      if ((uses.get(key) ?? 0) > 1) {
        const name = `m${declarations.length}`;
        declarations.push(`let ${name} = 2;`); // 2: not computed yet
        text = `(${name} === 2 ? (${name} = (${body(c, columnOf)}) ? 1 : 0) === 1 : ${name} === 1)`;
      } else {
        text = `(${body(c, columnOf)})`;
      }
      memo.set(key, text);
    }
    return text;
  };

  const body = (c: Condition, columnOf: (field: string) => number): string => {
    switch (c.kind) {
      case 'and': return `${expression(c.left, columnOf)} && ${expression(c.right, columnOf)}`;
      case 'or': return `${expression(c.left, columnOf)} || ${expression(c.right, columnOf)}`;
      case 'not': return `!${expression(c.operand, columnOf)}`;
      case 'compare': {
        const i = columnOf(c.field);
        if (typeof c.value === 'number') {
          const n = num(i);
          switch (c.op) {
            case '=': return `${n} === ${c.value}`;
            case '!=': return `${n} === ${n} && ${n} !== ${c.value}`; // NaN: false
            default: return `${n} ${c.op} ${c.value}`;
          }
        }
        if (c.op === '=') return `sameAt(text, starts[${i}], ends[${i}], ${literal(c.value)})`;
        if (c.op === '!=') return `!sameAt(text, starts[${i}], ends[${i}], ${literal(c.value)})`;
        return helper(c, columnOf);
      }
      case 'in': {
        const i = columnOf(c.field);
        const parts: string[] = [];
        if (c.values.some(v => typeof v === 'string')) {
          parts.push(helper({ ...c, values: c.values.filter(v => typeof v === 'string') }, columnOf));
        }
        for (const v of c.values) {
          if (typeof v === 'number') parts.push(`${num(i)} === ${v}`);
        }
        return parts.length === 0 ? 'false' : parts.join(' || ');
      }
      case 'subnet': {
        if (c.version !== 4) return helper(c, columnOf);
        const network = parseCidr(4, c.cidr)!;
        const unit = 2 ** (32 - network.prefix); // the first `prefix` bits of an address are its quotient by 2^(32 - prefix)
        const a = address(columnOf(c.field));
        return `${a} >= 0 && Math.floor(${a} / ${unit}) === ${Math.floor(network.words[0] / unit)}`;
      }
    }
  };

  const answers = queries.map((q, index) => {
    const all = q.conditions.map(c => expression(c, q.columnOf));
    return `answers[${index}] = ${all.length === 0 ? 'true' : all.join(' && ')} ? 1 : 0;`;
  });
  const fields = [
    ...[...numbers].map(i => `let h${i} = false; let n${i} = NaN;`),
    ...[...addresses].map(i => `let g${i} = false; let a${i} = -1;`),
  ];
  const source = `return function evaluate(text, starts, ends, answers) {\n${[...fields, ...declarations, ...answers].join('\n')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const build = new Function('sameAt', 'numberAt', 'ipv4Number', 'H', 'S', source);
  return build(sameAt, numberAt, ipv4Number, helpers, strings) as ConditionsEvaluator;
}

const scratch = new Uint32Array(1);

/** The IPv4 address in text[start, end) as a number (as `ipv4At` reads one), -1 when it is none. */
function ipv4Number(text: string, start: number, end: number): number {
  return ipv4At(text, start, end, scratch) ? scratch[0] : -1;
}
