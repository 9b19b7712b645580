import { LogAlarmExecutions, WindowResult } from './log-alarm-evaluator';
import { QueryPartials } from './logs-insights-partials';
import { LINE_NUMBERS_KEPT, LogAlarmOutcome, MinuteBucket, RangeOutcome, rangeMargin, ReplayPlan, SessionOutcome, SessionProblem } from './replay-session';

/** One byte range of the input, as its thread read it. */
export interface ReadRange {
  readonly outcome: RangeOutcome;
  /** The time of the range's first record (`ReplayPlan.range.low`). */
  readonly low: number;
  /** The lines of the input before the range. */
  readonly lineOffset: number;
}

/**
 * The outcome of a whole input from those of its byte ranges, read by several threads (each a
 * `ReplaySession` with `ReplayPlan.range`), in order: exactly what one session reading the ranges one
 * after the other finds, or why that cannot be known from them (the input is then replayed on one thread).
 *
 * It is exact when no record is more than maxDisorder older than one before it in the whole input (a range
 * stops at the first such record of its own, `RangeDisorder`; across ranges it is checked here), and every
 * range's records lie within `rangeMargin` of its boundaries (a range stops at its first record outside
 * them too; across ranges it is checked here): then no execution that one range ran has
 * records of another, no record is late for an execution (so no log alarm is abandoned), and the
 * executions at the boundaries run here over the slots the ranges kept, merged in order, so that groups are
 * met in the order of the input. Counts and sums add exactly (flow-log numbers are whole; a fraction is
 * reported by the ranges, and then the input is replayed on one thread).
 */
export function mergeRanges(plan: ReplayPlan, ranges: readonly ReadRange[], maxDisorder: number): SessionOutcome | { readonly why: string } {
  const why = unmergeable(ranges, maxDisorder, rangeMargin(maxDisorder));
  if (why !== undefined) return { why };
  const outcomes = ranges.map(r => r.outcome);
  const first = Math.min(...outcomes.map(o => o.first));
  const last = Math.max(...outcomes.map(o => o.last));
  const logQueries = plan.logQueries ?? [];
  const partials = logQueries.map((q, i) => {
    const merged = new QueryPartials(q.plan);
    for (const o of outcomes) merged.mergeSlots(o.slots[i], true);
    return merged;
  });
  const logAlarms: LogAlarmOutcome[] = (plan.logAlarms ?? []).map((alarm, i) => {
    const computed = new Map<number, WindowResult>();
    for (const o of outcomes) for (const result of o.results[i]) computed.set(result.at, result);
    const executions = new LogAlarmExecutions(alarm.settings, logQueries[alarm.query], partials[alarm.query]);
    return { evaluation: executions.finishWith({ first, last }, computed) };
  });
  return {
    recordsRead: sum(outcomes.map(o => o.recordsRead)),
    recordsSkipped: sum(outcomes.map(o => o.recordsSkipped)),
    recordsMalformed: sum(outcomes.map(o => o.recordsMalformed)),
    recordsMismatched: sum(outcomes.map(o => o.recordsMismatched)),
    problems: mergeProblems(ranges),
    recordsMatched: plan.filters.map((_, f) => sum(outcomes.map(o => o.recordsMatched[f]))),
    sums: plan.filters.map((_, f) => sum(outcomes.map(o => o.sums[f]))),
    minutes: mergeMinutes(outcomes),
    first,
    last,
    logAlarms,
  };
}

/** Why the ranges cannot be merged into the one-session outcome, or undefined when they can. */
function unmergeable(ranges: readonly ReadRange[], maxDisorder: number, margin: number): string | undefined {
  const fractional = ranges.findIndex(r => r.outcome.fractional);
  if (fractional >= 0) {
    return `byte range ${fractional + 1} of ${ranges.length} has a number with a fraction, whose sums depend on the order of addition`;
  }
  let newestBefore = -Infinity;
  for (let k = 0; k < ranges.length; k++) {
    const { outcome, low } = ranges[k];
    const oldestFrom = Math.min(...ranges.slice(k).map(r => r.outcome.first));
    if (k > 0 && outcome.first < newestBefore - maxDisorder) {
      return `a record in byte range ${k + 1} of ${ranges.length} is more than maxDisorder older than one in byte range ${k}`;
    }
    if (k > 0 && (newestBefore > low + margin || oldestFrom < low - margin)) {
      return `records of byte ranges ${k} and ${k + 1} of ${ranges.length} are more than ${margin / 60} minutes out of time order across their boundary`;
    }
    newestBefore = Math.max(newestBefore, outcome.last);
  }
  return undefined;
}

function mergeProblems(ranges: readonly ReadRange[]): SessionProblem[] {
  const problems = new Map<string, SessionProblem>();
  for (const { outcome, lineOffset } of ranges) {
    for (const p of outcome.problems) {
      const key = `${p.source}\u0000${p.kind}`;
      const lineNumbers = p.lineNumbers.map(n => n + lineOffset);
      const before = problems.get(key);
      if (before === undefined) {
        problems.set(key, { ...p, lineNumbers });
      } else {
        before.count += p.count;
        before.lineNumbers.push(...lineNumbers.slice(0, LINE_NUMBERS_KEPT - before.lineNumbers.length));
      }
    }
  }
  return [...problems.values()];
}

function mergeMinutes(outcomes: readonly RangeOutcome[]): Map<number, MinuteBucket> {
  const minutes = new Map<number, MinuteBucket>();
  for (const o of outcomes) {
    for (const [minute, bucket] of o.minutes) {
      const into = minutes.get(minute);
      if (into === undefined) {
        const { records, count, sum: sums, min, max } = bucket;
        minutes.set(minute, { records, count: count.slice(), sum: sums.slice(), min: min.slice(), max: max.slice() });
        continue;
      }
      into.records += bucket.records;
      for (let f = 0; f < bucket.count.length; f++) {
        into.count[f] += bucket.count[f];
        into.sum[f] += bucket.sum[f];
        into.min[f] = Math.min(into.min[f], bucket.min[f]);
        into.max[f] = Math.max(into.max[f], bucket.max[f]);
      }
    }
  }
  return minutes;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
