import { RecordRange } from './log-alarm-evaluator';
import { LogAlarmOutcome } from './replay-session';
import { TemplateLogAlarm } from './template-log-alarm';
import { AlarmReplay } from '../replay-result';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/**
 * A log alarm's outcome in the shape of every alarm's: when it entered ALARM (the scheduled execution times),
 * its series (the most offending contributor's value per execution, the only value without `by`), when it was
 * in ALARM and its top offending groups.
 *
 * @param alarm the alarm as read from the template
 * @param outcome what the session found for it (undefined when it is not simulated)
 * @param range the first and last record's epoch seconds
 */
export function replayLogAlarm(alarm: TemplateLogAlarm, outcome: LogAlarmOutcome | undefined, range: RecordRange): AlarmReplay {
  const base = {
    logicalId: alarm.logicalId,
    alarmName: alarm.alarmName,
    alarmKind: 'LOG',
    ...(alarm.valueExpression !== undefined ? { valueExpression: alarm.valueExpression } : {}),
    ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
    ...(alarm.comparisonOperator !== undefined ? { comparisonOperator: alarm.comparisonOperator } : {}),
    ...(alarm.rateSeconds !== undefined ? { periodSeconds: alarm.rateSeconds } : {}),
    ...(alarm.queryResultsToEvaluate !== undefined ? { evaluationPeriods: alarm.queryResultsToEvaluate } : {}),
    ...(alarm.queryResultsToAlarm !== undefined ? { datapointsToAlarm: alarm.queryResultsToAlarm } : {}),
  };
  const reason = alarm.notSimulated ?? (outcome === undefined ? 'its query was not run'
    : 'notSimulated' in outcome ? outcome.notSimulated : range.first > range.last ? 'no record was replayed' : undefined);
  if (reason !== undefined || alarm.query === undefined || outcome === undefined || !('evaluation' in outcome)) {
    return { ...base, simulated: false, notSimulatedReason: reason, enteredAlarmAt: [], series: [], alarmPeriods: [], topOffenders: [] };
  }
  const evaluation = outcome.evaluation;
  const grouped = alarm.query.aggregation.by.length > 0;
  return {
    ...base,
    simulated: true,
    enteredAlarmAt: evaluation.enteredAlarmAt.map(iso),
    // A grouped alarm whose window had records but no contributor is drawn at 0 (no source counted
    // anything); a window without records stays a gap (missing data).
    series: evaluation.executions.map(e => ({
      periodStart: iso(e.at),
      value: e.value ?? (grouped && e.logsPresent ? 0 : undefined),
    })),
    alarmPeriods: evaluation.alarmPeriods.map(p => ({ start: iso(p.start), end: iso(p.end) })),
    topOffenders: evaluation.topOffenders.map(o => ({ group: o.group, value: o.value, at: iso(o.at) })),
  };
}
