/**
 * The program the generic WebAssembly record stage (wasm-stage.c) runs: the metric filters' and the log alarms'
 * query conditions of one log group of a template, as atoms (leaf conditions, each distinct one once) and
 * postfix code over them, with each filter's metric value and each query's `by` fields and aggregate. Written
 * from the same template and parsed forms the awk program is (awk-equivalent.ts), with the same rules (a
 * number literal is false on a field that is not a number; a string compares exactly); a form it does not
 * translate fails the benchmark rather than being left out. Written as JSON for wasm-stage.js.
 */
import { accumulatedStats, ipv4Cidr, patternComparison, patternField, patternTerms } from './template-forms';
import { LogAlarmQuery } from '../../src/replay/engine/log-alarm-evaluator';
import { Condition } from '../../src/replay/engine/logs-insights-query';
import { TemplateMetricFilter } from '../../src/replay/engine/template-model';

/** wasm-stage.c's atom kinds and operators. */
const KIND = { '=': 1, '!=': 2, '<': 3, '<=': 4, '>': 5, '>=': 6 } as const;
const STR_IN = 0;
const SUBNET4 = 7;
const NUM_IN = 8;
const OP_NOT = 0xfffffff2;
const OP_JT = 0xfffffff3;
const OP_JF = 0xfffffff4;
const FN = { count: 0, sum: 1, count_distinct: 2 } as const;

export interface ProgramAtom {
  readonly kind: number;
  readonly field: number;
  readonly a: number;
  readonly b: number;
  readonly number: number;
  /** STR_IN: the strings of its set; NUM_IN: the numbers. */
  readonly texts: readonly string[];
  readonly numbers: readonly number[];
}

/** A code range [from, to) that must hold. */
export type Conjunct = readonly [number, number];

export interface RecordProgram {
  readonly fields: number;
  readonly timeField: number;
  readonly atoms: ProgramAtom[];
  readonly code: number[];
  readonly filters: Array<{ readonly name: string; readonly valueField: number; readonly literal: number; readonly when: Conjunct[] }>;
  readonly queries: Array<{ readonly fn: number; readonly fnField: number; readonly by: number[]; readonly when: Conjunct[] }>;
}

export function recordProgram(filters: readonly TemplateMetricFilter[], logQueries: readonly LogAlarmQuery[], fields: number): RecordProgram {
  const atoms: ProgramAtom[] = [];
  const atomIds = new Map<string, number>();
  const code: number[] = [];
  const atom = (a: ProgramAtom): number => {
    const key = JSON.stringify(a);
    let id = atomIds.get(key);
    if (id === undefined) {
      id = atoms.length;
      atoms.push(a);
      atomIds.set(key, id);
    }
    return id;
  };
  const texts = (field: number, values: readonly string[]) => atom({ kind: STR_IN, field, a: 0, b: 0, number: 0, texts: values, numbers: [] });
  const numbers = (field: number, values: readonly number[]) => atom({ kind: NUM_IN, field, a: 0, b: 0, number: 0, texts: [], numbers: values });
  const compare = (field: number, op: string, value: number) => {
    const kind = KIND[op as keyof typeof KIND];
    if (kind === undefined) throw new Error(`operator ${op} is not translated`);
    return atom({ kind, field, a: 0, b: 0, number: value, texts: [], numbers: [] });
  };
  /** `left || right` (or `&&`), short-circuit: the right side is jumped over when the left decides. */
  const logical = (op: 'or' | 'and', left: () => void, right: () => void) => {
    left();
    code.push(op === 'or' ? OP_JT : OP_JF, 0);
    const target = code.length - 1;
    right();
    code[target] = code.length;
  };
  /** Emits the code of one conjunct, returns its range. */
  const conjunct = (emit: () => void): Conjunct => {
    const from = code.length;
    emit();
    return [from, code.length];
  };

  const programFilters = filters.map(f => {
    const columns = patternTerms(f.pattern!);
    const when: Conjunct[] = [];
    columns.forEach((term, i) => {
      if (/^[a-z_]+$/.test(term)) return;
      if (term.includes('||') && term.includes('&&')) throw new Error(`pattern term '${term}' mixes || and &&: not translated`);
      const alternatives = term.split(/\s*(?:\|\||&&)\s*/).map(part => {
        const { op, value } = patternComparison(part);
        return { op, value: value.startsWith('"') ? value.slice(1, -1) : Number(value) };
      });
      const or = term.includes('||');
      when.push(conjunct(() => {
        // `f = "a" || f = "b"` (a role's subnets): one set of strings; `f = 1 || f = 2`: one set of numbers.
        if ((or || alternatives.length === 1) && alternatives.every(x => x.op === '=' && typeof x.value === 'string')) {
          code.push(texts(i, alternatives.map(x => x.value as string)));
          return;
        }
        if (or && alternatives.every(x => x.op === '=' && typeof x.value === 'number')) {
          code.push(numbers(i, alternatives.map(x => x.value as number)));
          return;
        }
        const leaf = (x: typeof alternatives[number]) => () => {
          if (typeof x.value === 'string') {
            if (x.op !== '=' && x.op !== '!=') throw new Error(`string comparison ${x.op} is not translated`);
            code.push(texts(i, [x.value]));
            if (x.op === '!=') code.push(OP_NOT);
          } else {
            code.push(compare(i, x.op, x.value));
          }
        };
        const chain = (k: number): void => (k === alternatives.length - 1 ? leaf(alternatives[k])()
          : logical(or ? 'or' : 'and', leaf(alternatives[k]), () => chain(k + 1)));
        chain(0);
      }));
    });
    const valueField = f.metricValue.startsWith('$') ? patternField(f.pattern!, f.metricValue.slice(1)) : -1;
    return { name: f.metricName, valueField, literal: valueField < 0 ? Number(f.metricValue) : 0, when };
  });

  let timeField = -1;
  const programQueries = logQueries.map(logQuery => {
    const q = logQuery.query;
    const column = (name: string) => {
      const i = q.parsed.indexOf(name);
      if (i < 0) throw new Error(`the query reads ${name}, which its parse glob does not name`);
      return i;
    };
    timeField = column('start');
    const emit = (c: Condition): void => {
      switch (c.kind) {
        case 'and':
        case 'or':
          logical(c.kind, () => emit(c.left), () => emit(c.right));
          return;
        case 'not':
          emit(c.operand);
          code.push(OP_NOT);
          return;
        case 'compare':
          if (typeof c.value === 'number') {
            code.push(compare(column(c.field), c.op, c.value));
          } else {
            if (c.op !== '=' && c.op !== '!=') throw new Error(`string comparison ${c.op} is not translated`);
            code.push(texts(column(c.field), [c.value]));
            if (c.op === '!=') code.push(OP_NOT);
          }
          return;
        case 'in': {
          const strings = c.values.filter((v): v is string => typeof v === 'string');
          const values = c.values.filter((v): v is number => typeof v === 'number');
          if (strings.length > 0 && values.length > 0) {
            logical('or', () => code.push(texts(column(c.field), strings)), () => code.push(numbers(column(c.field), values)));
          } else if (strings.length > 0) {
            code.push(texts(column(c.field), strings));
          } else if (values.length > 0) {
            code.push(numbers(column(c.field), values));
          } else {
            throw new Error('an empty `in` list is not translated');
          }
          return;
        }
        case 'subnet': {
          if (c.version !== 4) throw new Error('isIpv6InSubnet is not translated');
          const { network, bits } = ipv4Cidr(c.cidr);
          code.push(atom({ kind: SUBNET4, field: column(c.field), a: network, b: bits, number: 0, texts: [], numbers: [] }));
          return;
        }
      }
    };
    // The top-level `and`s are conjuncts of their own: the first that does not hold stops the query.
    const flatten = (c: Condition): Condition[] => (c.kind === 'and' ? [...flatten(c.left), ...flatten(c.right)] : [c]);
    const when = q.filters.flatMap(flatten).map(c => conjunct(() => emit(c)));
    const stats = accumulatedStats(logQuery);
    if (stats.functions.length !== 1) throw new Error('a stats of several functions is not translated');
    const [fn] = stats.functions;
    const kind = FN[fn.fn as keyof typeof FN];
    if (kind === undefined || (fn.fn === 'count' && fn.field !== undefined)) throw new Error(`stats function ${fn.fn}(${fn.field ?? ''}) is not translated`);
    if (stats.by.length === 0) throw new Error('a stats without by fields is not translated');
    return { fn: kind, fnField: fn.field === undefined ? 0 : column(fn.field), by: stats.by.map(column), when };
  });
  if (timeField < 0) throw new Error('no query names the start field');
  return { fields, timeField, atoms, code, filters: programFilters, queries: programQueries };
}
