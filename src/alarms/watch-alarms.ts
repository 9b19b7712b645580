import { Annotations, Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  AlarmProfile, AlarmProfileOptions, capturedBy, DeliveryStoppedAlarmOptions, FlowLogAlarmOptions, FlowLogAlarmsOptions, ResolvedFlowLogAlarm,
} from './alarm-profile';
import { describeDeliveryStopped, describeRoleAlarm, describeSkippedRecords } from './private/alarm-descriptions';
import { DEFAULT_PERIOD, metricPeriod, validateAlarm } from './private/alarm-validation';
import { TrafficSignature } from './traffic-signature';
import { validateActionCount } from './watch-alarm-actions';
import { WatchMetricFilters } from './watch-metric-filters';
import { FlowLogTarget } from '../capture/flow-log-target';
import { SubnetRole } from '../capture/subnet-role';
import { describeValue } from '../private/input-checks';
import { ALARM_NAME, watchResourceName } from '../private/resource-name';

/**
 * What a watch's alarms watch.
 */
export interface WatchAlarmsProps {
  readonly target: FlowLogTarget;
  readonly logGroup: logs.ILogGroup;
  readonly filters: WatchMetricFilters;
  readonly options?: FlowLogAlarmsOptions;
  readonly actions: cloudwatch.IAlarmAction[];
  /** The traffic the flow log records: alarms on traffic it does not record are off. */
  readonly trafficType?: ec2.FlowLogTrafficType;
  /**
   * The options are shared by many watches (a `FlowLogBaseline`'s): overrides for a role this
   * target lacks are expected, not a mistake.
   */
  readonly sharedOptions?: boolean;
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
    if (typeof options !== 'object' || options === null) {
      throw new Error(`\`alarms\` must be an object of alarm settings (e.g. { publicSubnets: { sshAccepted: { enabled: false } } }), got ${describeValue(options)}`);
    }
    const enabled = options.enabled ?? true;
    this.profiles = props.target.roles.map(role =>
      AlarmProfile.forRole(role, profileOptionsOf(options, role), `alarms.${role.name}Subnets`, props.trafficType));
    if (enabled) {
      this.profiles.forEach(profile => profile.alarms.forEach(alarm => this.addRoleAlarm(profile.role, alarm)));
      this.addHealthAlarms(options);
      this.reportBlindAlarms();
    }
    if (!props.sharedOptions) {
      this.warnOfUnusedOverrides(options);
    }
  }

  /**
   * Says which alarms are off because the flow log does not record the traffic they count.
   */
  private reportBlindAlarms(): void {
    const blind = this.profiles.flatMap(p => p.all.filter(a => !capturedBy(a.signature, this.props.trafficType))
      .map(a => `${p.role.name}Subnets.${camel(a.kind)}`));
    if (blind.length > 0) {
      Annotations.of(this.watch).addInfo(`\`trafficType\` is ${this.props.trafficType}: the alarms on traffic the flow log does not record `
        + `are off, as they could never fire (${blind.join(', ')}).`);
    }
  }

  /**
   * Overrides for a role the target does not cover apply to nothing: a warning, not an error, as
   * one options object may be meant for several watches.
   */
  private warnOfUnusedOverrides(options: FlowLogAlarmsOptions): void {
    const roles = this.props.target.roles;
    for (const role of SubnetRole.all().filter(r => !roles.includes(r))) {
      if (profileOptionsOf(options, role) !== undefined) {
        Annotations.of(this.watch).addWarningV2('cdk-flowlog-watch:unusedAlarmOverrides',
          `\`alarms.${role.name}Subnets\` is set, but ${this.props.target.description} has no ${role.name} subnets `
          + `(it covers: ${roles.map(r => r.name).join(', ')}): these overrides apply to nothing. Remove them, or check the target.`);
      }
    }
  }

  private addRoleAlarm(role: SubnetRole, alarm: ResolvedFlowLogAlarm): void {
    let metric: cloudwatch.Metric;
    try {
      metric = this.props.filters.metric(alarm.signature, role, { period: metricPeriod(alarm.period) });
    } catch (e) {
      throw new Error(`${(e as Error).message} (alarm \`alarms.${role.name}Subnets.${camel(alarm.kind)}\`)`);
    }
    const id = `${role.label}${pascal(alarm.kind)}Alarm`;
    const common = {
      alarmName: watchResourceName(this.watch, `${role.name}-${alarm.kind}`, ALARM_NAME),
      alarmDescription: describeRoleAlarm(alarm, role, this.props.target.description, this.logGroupPath),
      evaluationPeriods: alarm.evaluationPeriods,
      datapointsToAlarm: alarm.datapointsToAlarm,
      treatMissingData: alarm.treatMissingData,
    };
    const created = alarm.anomalyDetection
      ? new cloudwatch.AnomalyDetectionAlarm(this.watch, id, {
        ...common,
        metric,
        // aws-cdk-lib checks the band width, so a token gets a placeholder here, replaced below.
        stdDevs: Token.isUnresolved(alarm.anomalyBandWidth) ? 1 : alarm.anomalyBandWidth,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      })
      : new cloudwatch.Alarm(this.watch, id, {
        ...common,
        metric,
        threshold: alarm.threshold!,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    if (alarm.anomalyDetection) {
      pinMetricPeriods(created, alarm.period, alarm.anomalyBandWidth!);
    } else {
      pinTokenPeriod(created, alarm.period);
    }
    this.addActions(created, alarm.actionsOverride, `alarms.${role.name}Subnets.${camel(alarm.kind)}.actionsOverride`);
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
    this.warnOfBlindDeliveryAlarm(stopped);
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
    if (typeof given !== 'object' || given === null) {
      throw new Error(`\`alarms.${option}\` must be an object of alarm settings (e.g. { enabled: false }), got ${describeValue(given)}`);
    }
    if (!(given.enabled ?? true)) {
      return;
    }
    const evaluationPeriods = given.evaluationPeriods ?? defaults.evaluationPeriods;
    const datapointsToAlarm = given.datapointsToAlarm ?? evaluationPeriods;
    const period = given.period ?? DEFAULT_PERIOD;
    validateAlarm(`alarms.${option}`, defaults.valueProp, defaults.value, false, evaluationPeriods, datapointsToAlarm, period, given.treatMissingData);
    const alarm = new cloudwatch.Alarm(this.watch, id, {
      alarmName: watchResourceName(this.watch, id.replace(/Alarm$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(), ALARM_NAME),
      alarmDescription: defaults.description,
      metric: defaults.metric(metricPeriod(period)),
      threshold: defaults.value,
      comparisonOperator: defaults.comparisonOperator,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: given.treatMissingData ?? defaults.treatMissingData,
    });
    pinTokenPeriod(alarm, period);
    this.addActions(alarm, given.actionsOverride, `alarms.${option}.actionsOverride`);
  }

  /**
   * A warning when the delivery-stopped alarm does not treat missing data as breaching. When
   * delivery stops, nothing reaches the log group and `IncomingLogEvents` (a count of what arrives)
   * has no data points: the periods are missing, not 0, so an alarm that does not count them as
   * breaching never fires on a full stop (it stays OK, or goes to INSUFFICIENT_DATA). A warning, not
   * an error: it still fires while some events arrive, below `minIncomingLogEvents`.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
   */
  private warnOfBlindDeliveryAlarm(stopped: DeliveryStoppedAlarmOptions): void {
    const treat = stopped.treatMissingData;
    if ((stopped.enabled ?? true) && treat !== undefined && treat !== cloudwatch.TreatMissingData.BREACHING) {
      Annotations.of(this.watch).addWarningV2('cdk-flowlog-watch:deliveryStoppedMissingData',
        `\`alarms.deliveryStopped.treatMissingData\` is '${treat}': when delivery stops, no log events arrive and IncomingLogEvents has `
        + 'no data points (missing, not 0), so this alarm never fires on a stopped flow log; it only fires while fewer than '
        + '`minIncomingLogEvents` events still arrive. Leave treatMissingData out (breaching) to be told when delivery stops.');
    }
  }

  /** The alarm's actions: `override` (the prop `overrideProp`), else the watch's. */
  private addActions(alarm: cloudwatch.Alarm, override: cloudwatch.IAlarmAction[] | undefined, overrideProp: string): void {
    if (override !== undefined && override.length === 0) {
      throw new Error(`\`actionsOverride\` of alarm '${alarm.node.id}' must list at least one action, got an empty list: every alarm needs an action`);
    }
    validateActionCount(overrideProp, override);
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
function pinMetricPeriods(alarm: cloudwatch.Alarm, period: Duration, bandWidth: number): void {
  const cfnAlarm = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const queries = cfnAlarm.metrics;
  if (!Array.isArray(queries)) {
    throw new Error(`cannot pin the period of alarm '${alarm.node.path}': its metrics are not a plain list`);
  }
  cfnAlarm.metrics = queries.map(query => {
    const q = query as cloudwatch.CfnAlarm.MetricDataQueryProperty;
    const stat = q.metricStat as cloudwatch.CfnAlarm.MetricStatProperty | undefined;
    if (stat) {
      return { ...q, metricStat: { ...stat, period: period.toSeconds() } };
    }
    // A band width given as a token goes into the expression as a token (CloudFormation resolves it).
    if (Token.isUnresolved(bandWidth) && typeof q.expression === 'string') {
      return { ...q, expression: q.expression.replace(/^ANOMALY_DETECTION_BAND\((\w+), [^)]*\)$/, `ANOMALY_DETECTION_BAND($1, ${Tokenization.stringifyNumber(bandWidth)})`) };
    }
    return query;
  });
}

/**
 * aws-cdk-lib's Metric takes literal periods only: an alarm whose period is a token is built with
 * the default period, and its `Period` then set to the token.
 */
function pinTokenPeriod(alarm: cloudwatch.Alarm, period: Duration): void {
  if (period.isUnresolved()) {
    (alarm.node.defaultChild as cloudwatch.CfnAlarm).period = period.toSeconds();
  }
}

function pascal(kebab: string): string {
  return kebab.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function camel(kebab: string): string {
  const p = pascal(kebab);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
