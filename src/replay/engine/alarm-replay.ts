import { AlarmSettings, AlarmState, ComparisonOperator, evaluateAlarm, TreatMissingData } from './alarm-evaluator';
import { MinuteBucket, SessionOutcome } from './replay-session';
import { TemplateAlarm, TemplateMetricFilter } from './template-model';
import { AlarmReplay, ReplayTimeRange } from '../replay-result';

const STATISTICS = ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'];

/** What one metric received in one alarm period: enough for every supported statistic. */
interface Aggregate { sum: number; count: number; min: number; max: number }

/**
 * An alarm over what the session's filters emitted: its metric's series per alarm period (each
 * filter on the metric contributing its matches, and its default value for the other records),
 * and, for a static-threshold alarm, when it entered ALARM.
 *
 * The log group's own `AWS/Logs` `IncomingLogEvents` (the delivery-stopped alarm) is replayed from the
 * records themselves: CloudWatch Logs counts "the number of log events uploaded to the log group"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html),
 * and each flow-log record is one log event ("flow log records, which are log events",
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html). Each record counts in the
 * minute of its own time: an approximation, since CloudWatch counts events when they are ingested (flow logs
 * are delivered minutes after their aggregation interval), and a minute without records has no datapoint.
 */
export function replayAlarm(
  alarm: TemplateAlarm, filters: readonly TemplateMetricFilter[], resolved: readonly boolean[], outcome: SessionOutcome,
): AlarmReplay {
  const base = {
    logicalId: alarm.logicalId,
    alarmName: alarm.alarmName,
    alarmKind: alarm.anomaly ? 'ANOMALY' : 'METRIC',
    ...(alarm.metricName !== undefined ? { metricName: alarm.metricName } : {}),
    ...(alarm.statistic !== undefined ? { statistic: alarm.statistic } : {}),
    ...(alarm.threshold !== undefined && Number.isFinite(alarm.threshold) ? { threshold: alarm.threshold } : {}),
    comparisonOperator: alarm.comparisonOperator,
    ...(alarm.periodSeconds !== undefined && Number.isFinite(alarm.periodSeconds) ? { periodSeconds: alarm.periodSeconds } : {}),
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
  };
  const statistic = alarm.statistic ?? 'Sum';
  const incoming = alarm.metricNamespace === 'AWS/Logs' && alarm.metricName === 'IncomingLogEvents' && alarm.logGroupDimension !== undefined;
  const onMetric = filters.map((_, i) => i)
    .filter(i => filters[i].metricNamespace === alarm.metricNamespace && filters[i].metricName === alarm.metricName);
  const emitting = onMetric.filter(i => resolved[i]);
  const valueExpression = incoming ? 'records' : onMetric.length > 0 ? filters[onMetric[0]].metricValue : undefined;
  Object.assign(base, valueExpression !== undefined ? { valueExpression } : {});
  const noRecords = outcome.first > outcome.last ? 'no record was replayed' : undefined;
  let notSimulated: string | undefined;
  if (incoming) {
    notSimulated = alarm.notSimulated ?? (statistic !== 'Sum'
      ? `statistic ${statistic} of IncomingLogEvents is not simulated (replay counts each minute's log events; Sum adds them up)` : noRecords);
  } else {
    notSimulated = alarm.notSimulated
      ?? (!STATISTICS.includes(statistic) ? `statistic ${statistic} is not simulated (${STATISTICS.join(', ')} are)`
        : onMetric.length === 0 ? 'no replayed metric filter emits its metric'
          : emitting.length === 0 ? `its metric filter's pattern has unresolved references: ${filters[onMetric[0]].unresolved.join(', ')} (give their values)`
            : noRecords);
  }
  if ((!incoming && emitting.length === 0) || alarm.periodSeconds === undefined || !Number.isFinite(alarm.periodSeconds) || noRecords) {
    return { ...base, simulated: false, enteredAlarmAt: [], series: [], alarmPeriods: [], notSimulatedReason: notSimulated };
  }
  const emittedIn = incoming ? incomingLogEventsIn : (bucket: MinuteBucket) => filterEmissionsIn(bucket, emitting, filters);
  // Metric-filter metrics have 1-minute resolution: a shorter alarm period counts as a minute.
  const period = Math.max(60, alarm.periodSeconds);
  const first = outcome.first - (outcome.first % period);
  const last = outcome.last - (outcome.last % period);
  const periods: Array<Aggregate | undefined> = new Array((last - first) / period + 1).fill(undefined);
  for (const [minute, bucket] of outcome.minutes) {
    const emitted = emittedIn(bucket);
    if (emitted) {
      const i = Math.floor((minute - first) / period);
      periods[i] = merge(periods[i], emitted);
    }
  }
  const values = periods.map(a => a && statisticOf(STATISTICS.includes(statistic) ? statistic : 'Sum', a));
  const iso = (i: number) => new Date((first + i * period) * 1000).toISOString();
  const series = values.map((value, i) => ({ periodStart: iso(i), value }));
  if (notSimulated !== undefined) {
    return { ...base, simulated: false, enteredAlarmAt: [], series, alarmPeriods: [], notSimulatedReason: notSimulated };
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
    series,
    alarmPeriods: alarmPeriodsOf(evaluation.states, iso),
  };
}

/** The runs of ALARM states as time ranges: from the period that entered ALARM to the one that left it (or past the last). */
function alarmPeriodsOf(states: readonly AlarmState[], iso: (i: number) => string): ReplayTimeRange[] {
  const ranges: ReplayTimeRange[] = [];
  let start = -1;
  states.forEach((state, i) => {
    if (state === 'ALARM' && start === -1) start = i;
    if (state !== 'ALARM' && start !== -1) {
      ranges.push({ start: iso(start), end: iso(i) });
      start = -1;
    }
  });
  if (start !== -1) ranges.push({ start: iso(start), end: iso(states.length) });
  return ranges;
}

/** The log events of a minute: one per record replayed in it (undefined for a minute without any: no datapoint). */
function incomingLogEventsIn(bucket: MinuteBucket): Aggregate | undefined {
  return bucket.records > 0 ? { sum: bucket.records, count: 1, min: bucket.records, max: bucket.records } : undefined;
}

/** What the filters put on the metric in one minute: their matches, and their default value for every other record. */
function filterEmissionsIn(bucket: MinuteBucket, emitting: readonly number[], filters: readonly TemplateMetricFilter[]): Aggregate | undefined {
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
