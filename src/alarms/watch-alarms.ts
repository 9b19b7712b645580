import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlarmProfile, AlarmProfileOptions, FlowLogAlarmOptions, FlowLogAlarmsOptions, ResolvedFlowLogAlarm } from './alarm-profile';
import { describeDeliveryStopped, describeRoleAlarm, describeSkippedRecords } from './private/alarm-descriptions';
import { DEFAULT_PERIOD, validateAlarm } from './private/alarm-validation';
import { TrafficSignature } from './traffic-signature';
import { WatchMetricFilters } from './watch-metric-filters';
import { FlowLogTarget } from '../capture/flow-log-target';
import { SubnetRole } from '../capture/subnet-role';
import { watchResourceName } from '../private/resource-name';

/**
 * What a watch's alarms watch.
 */
export interface WatchAlarmsProps {
  readonly target: FlowLogTarget;
  readonly logGroup: logs.ILogGroup;
  readonly filters: WatchMetricFilters;
  readonly options?: FlowLogAlarmsOptions;
  readonly actions: cloudwatch.IAlarmAction[];
}

/**
 * A watch's alarms: each role's profile (`<Role><Kind>Alarm`) and the flow-log health alarms
 * (`SkippedRecordsAlarm`, `DeliveryStoppedAlarm`), every one with the watch's actions.
 */
export class WatchAlarms {
  /** The alarm profile of each role of the target, in the target's order. */
  public readonly profiles: AlarmProfile[];
  /** Every alarm created. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  constructor(private readonly watch: Construct, private readonly props: WatchAlarmsProps) {
    const options = props.options ?? {};
    const enabled = options.enabled ?? true;
    this.profiles = props.target.roles.map(role => AlarmProfile.forRole(role, profileOptionsOf(options, role), `alarms.${role.name}Subnets`));
    if (enabled) {
      this.profiles.forEach(profile => profile.alarms.forEach(alarm => this.addRoleAlarm(profile.role, alarm)));
      this.addHealthAlarms(options);
    }
  }

  private addRoleAlarm(role: SubnetRole, alarm: ResolvedFlowLogAlarm): void {
    let metric: cloudwatch.Metric;
    try {
      metric = this.props.filters.metric(alarm.signature, role, { period: alarm.period });
    } catch (e) {
      throw new Error(`${(e as Error).message} (alarm \`alarms.${role.name}Subnets.${camel(alarm.kind)}\`)`);
    }
    const id = `${role.label}${pascal(alarm.kind)}Alarm`;
    const common = {
      alarmName: watchResourceName(this.watch, `${role.name}-${alarm.kind}`),
      alarmDescription: describeRoleAlarm(alarm, role, this.props.target.description, this.logGroupPath),
      evaluationPeriods: alarm.evaluationPeriods,
      datapointsToAlarm: alarm.datapointsToAlarm,
      treatMissingData: alarm.treatMissingData,
    };
    const created = alarm.anomalyDetection
      ? new cloudwatch.AnomalyDetectionAlarm(this.watch, id, {
        ...common,
        metric,
        stdDevs: alarm.anomalyBandWidth,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      })
      : new cloudwatch.Alarm(this.watch, id, {
        ...common,
        metric,
        threshold: alarm.threshold!,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    if (alarm.anomalyDetection) {
      pinMetricPeriods(created, alarm.period);
    }
    this.addActions(created, alarm.actionsOverride);
  }

  private addHealthAlarms(options: FlowLogAlarmsOptions): void {
    const skipped = options.skippedRecords ?? {};
    this.addHealthAlarm('SkippedRecordsAlarm', 'skippedRecords', skipped, {
      valueProp: 'maxSkippedRecords',
      value: skipped.maxSkippedRecords ?? 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: describeSkippedRecords(this.props.target.description, this.logGroupPath, skipped.maxSkippedRecords ?? 0),
      metric: period => this.props.filters.metric(TrafficSignature.SKIPPED_RECORDS, undefined, { period }),
    });

    const stopped = options.deliveryStopped ?? {};
    this.addHealthAlarm('DeliveryStoppedAlarm', 'deliveryStopped', stopped, {
      valueProp: 'minIncomingLogEvents',
      value: stopped.minIncomingLogEvents ?? 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: describeDeliveryStopped(this.props.target.description, this.logGroupPath),
      metric: period => new cloudwatch.Metric({
        namespace: 'AWS/Logs',
        metricName: 'IncomingLogEvents',
        dimensionsMap: { LogGroupName: this.props.logGroup.logGroupName },
        statistic: cloudwatch.Stats.SUM,
        period,
      }),
    });
  }

  /**
   * A flow-log health alarm (one per watch, not per role), with its defaults and the user's options.
   */
  private addHealthAlarm(id: string, option: string, given: FlowLogAlarmOptions, defaults: HealthAlarmDefaults): void {
    if (!(given.enabled ?? true)) {
      return;
    }
    const evaluationPeriods = given.evaluationPeriods ?? defaults.evaluationPeriods;
    const datapointsToAlarm = given.datapointsToAlarm ?? evaluationPeriods;
    const period = given.period ?? DEFAULT_PERIOD;
    validateAlarm(`alarms.${option}`, defaults.valueProp, defaults.value, false, evaluationPeriods, datapointsToAlarm, period);
    this.addActions(new cloudwatch.Alarm(this.watch, id, {
      alarmName: watchResourceName(this.watch, id.replace(/Alarm$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()),
      alarmDescription: defaults.description,
      metric: defaults.metric(period),
      threshold: defaults.value,
      comparisonOperator: defaults.comparisonOperator,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: given.treatMissingData ?? defaults.treatMissingData,
    }), given.actionsOverride);
  }

  private addActions(alarm: cloudwatch.Alarm, override?: cloudwatch.IAlarmAction[]): void {
    if (override !== undefined && override.length === 0) {
      throw new Error(`\`actionsOverride\` of alarm '${alarm.node.id}' must list at least one action, got an empty list: every alarm needs an action`);
    }
    alarm.addAlarmAction(...(override ?? this.props.actions));
    this.alarms.push(alarm);
  }

  private get logGroupPath(): string {
    return this.watch.node.path + '/LogGroup';
  }
}

interface HealthAlarmDefaults {
  readonly valueProp: string;
  readonly value: number;
  readonly evaluationPeriods: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly description: string;
  metric(period: Duration): cloudwatch.IMetric;
}

function profileOptionsOf(options: FlowLogAlarmsOptions, role: SubnetRole): AlarmProfileOptions | undefined {
  switch (role) {
    case SubnetRole.PUBLIC: return options.publicSubnets;
    case SubnetRole.PRIVATE: return options.privateSubnets;
    default: return options.isolatedSubnets;
  }
}

/**
 * aws-cdk-lib's AnomalyDetectionAlarm ignored the metric's period before the fix of
 * aws/aws-cdk#34614 (2.197 to 2.21x): the band was computed over 5 minutes whatever was asked.
 * The period is written onto every metric of the alarm, so every supported version gets it.
 */
function pinMetricPeriods(alarm: cloudwatch.Alarm, period: Duration): void {
  const cfnAlarm = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const queries = cfnAlarm.metrics;
  if (!Array.isArray(queries)) {
    throw new Error(`cannot pin the period of alarm '${alarm.node.path}': its metrics are not a plain list`);
  }
  cfnAlarm.metrics = queries.map(query => {
    const q = query as cloudwatch.CfnAlarm.MetricDataQueryProperty;
    const stat = q.metricStat as cloudwatch.CfnAlarm.MetricStatProperty | undefined;
    return stat ? { ...q, metricStat: { ...stat, period: period.toSeconds() } } : query;
  });
}

function pascal(kebab: string): string {
  return kebab.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function camel(kebab: string): string {
  const p = pascal(kebab);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
