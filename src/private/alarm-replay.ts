import { AlarmSettings, ComparisonOperator, evaluateAlarm, TreatMissingData } from './alarm-evaluator';
import { MinuteBucket, SessionOutcome } from './replay-session';
import { TemplateAlarm, TemplateMetricFilter } from './template-model';
import type { AlarmReplay } from '../replay';

const STATISTICS = ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'];

/** What one metric received in one alarm period: enough for every supported statistic. */
interface Aggregate { sum: number; count: number; min: number; max: number }

/**
 * An alarm over what the session's filters emitted: its metric's series per alarm period (each
 * filter on the metric contributing its matches, and its default value for the other records),
 * and, for a static-threshold alarm, when it entered ALARM.
 */
export function replayAlarm(
  alarm: TemplateAlarm, filters: readonly TemplateMetricFilter[], resolved: readonly boolean[], outcome: SessionOutcome,
): AlarmReplay {
  const onMetric = filters.map((_, i) => i)
    .filter(i => filters[i].metricNamespace === alarm.metricNamespace && filters[i].metricName === alarm.metricName);
  const emitting = onMetric.filter(i => resolved[i]);
  const statistic = alarm.statistic ?? 'Sum';
  // What a report needs to draw it: the alarm's condition, M of N, and what a datapoint counts.
  const base = {
    logicalId: alarm.logicalId,
    alarmName: alarm.alarmName,
    alarmKind: alarm.anomalyDetection ? 'ANOMALY' : 'METRIC',
    ...(alarm.metricName !== undefined ? { metricName: alarm.metricName } : {}),
    ...(alarm.statistic !== undefined ? { statistic: alarm.statistic } : {}),
    ...(onMetric.length > 0 ? { valueExpression: filters[onMetric[0]].metricValue } : {}),
    ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
    comparisonOperator: alarm.comparisonOperator,
    ...(alarm.periodSeconds !== undefined ? { periodSeconds: Math.max(60, alarm.periodSeconds) } : {}),
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
  };
  const notSimulated = alarm.notSimulated
    ?? (!STATISTICS.includes(statistic) ? `statistic ${statistic} is not simulated (${STATISTICS.join(', ')} are)`
      : onMetric.length === 0 ? 'no replayed metric filter emits its metric'
        : emitting.length === 0 ? `its metric filter's pattern has unresolved references: ${filters[onMetric[0]].unresolved.join(', ')} (give their values)`
          : outcome.first > outcome.last ? 'no record was replayed' : undefined);
  if (emitting.length === 0 || alarm.periodSeconds === undefined || outcome.first > outcome.last) {
    return { ...base, simulated: false, enteredAlarmAt: [], series: [], notSimulatedReason: notSimulated };
  }
  // Metric-filter metrics have 1-minute resolution: a shorter alarm period counts as a minute.
  const period = Math.max(60, alarm.periodSeconds);
  const first = outcome.first - (outcome.first % period);
  const last = outcome.last - (outcome.last % period);
  const periods: Array<Aggregate | undefined> = new Array((last - first) / period + 1).fill(undefined);
  for (const [minute, bucket] of outcome.minutes) {
    const emitted = emittedIn(bucket, emitting, filters);
    if (emitted) {
      const i = Math.floor((minute - first) / period);
      periods[i] = merge(periods[i], emitted);
    }
  }
  const values = periods.map(a => a && statisticOf(STATISTICS.includes(statistic) ? statistic : 'Sum', a));
  const iso = (i: number) => new Date((first + i * period) * 1000).toISOString();
  const series = values.map((value, i) => ({ periodStart: iso(i), value }));
  if (notSimulated !== undefined) {
    return { ...base, simulated: false, enteredAlarmAt: [], series, notSimulatedReason: notSimulated };
  }
  const settings: AlarmSettings = {
    threshold: alarm.threshold!,
    comparisonOperator: alarm.comparisonOperator as ComparisonOperator,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    treatMissingData: (alarm.treatMissingData ?? 'missing') as TreatMissingData,
  };
  const evaluation = evaluateAlarm(settings, values);
  return {
    ...base,
    simulated: true,
    enteredAlarmAt: evaluation.changes.filter(c => c.to === 'ALARM').map(c => iso(c.periodIndex)),
    alarmPeriods: alarmRuns(evaluation.states).map(([from, to]) => ({ start: iso(from), end: iso(to) })),
    series,
  };
}

/** The runs of periods in ALARM, as [first index, index after the last). */
function alarmRuns(states: readonly string[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  states.forEach((state, i) => {
    if (state !== 'ALARM') return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  });
  return runs;
}

/** What the filters put on the metric in one minute: their matches, and their default value for every other record. */
function emittedIn(bucket: MinuteBucket, emitting: readonly number[], filters: readonly TemplateMetricFilter[]): Aggregate | undefined {
  let total: Aggregate | undefined;
  for (const f of emitting) {
    if (bucket.count[f] > 0) {
      total = merge(total, { sum: bucket.sum[f], count: bucket.count[f], min: bucket.min[f], max: bucket.max[f] });
    }
    const others = bucket.records - bucket.count[f];
    const fallback = filters[f].defaultValue;
    if (others > 0 && fallback !== undefined) {
      total = merge(total, { sum: fallback * others, count: others, min: fallback, max: fallback });
    }
  }
  return total;
}

function merge(a: Aggregate | undefined, b: Aggregate): Aggregate {
  return a === undefined ? { ...b } : { sum: a.sum + b.sum, count: a.count + b.count, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

function statisticOf(statistic: string, a: Aggregate): number {
  switch (statistic) {
    case 'Sum': return a.sum;
    case 'SampleCount': return a.count;
    case 'Average': return a.sum / a.count;
    case 'Minimum': return a.min;
    default: return a.max;
  }
}
