import { ArnFormat, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FlowLogCentralLogGroups } from './flow-log-organization';
import {
  validateLogGroupNames,
} from './private/central-detections-validation';
import { FlowLogAlarmTopic } from '../alarms/alarm-topic';
import { validateActionCount } from '../alarms/watch-alarm-actions';
import { FlowLogFormat } from '../capture/flow-log-format';
import { SubnetRole } from '../capture/subnet-role';
import { DetectionTuningOptions, FlowLogDetectionOptions, SourceDetectionsOptions } from '../detections/detection-options';
import { FlowLogDetectionRoles } from '../detections/detection-roles';
import { FlowLogDetection } from '../detections/flow-log-detection';
import { DetectionQueryContext } from '../detections/private/detection-query-context';
import { defaultsOf, resolveDetectionSettings } from '../detections/private/detection-settings';
import { DetectionSettings, validateCidrs, validateLogLineCount, validatePorts, validateQueryLength } from '../detections/private/detection-validation';
import {
  DEFAULT_ALLOWED_EGRESS_PORTS, DEFAULT_BRUTE_FORCE_PORTS, DEFAULT_INTERNAL_CIDRS, DEFAULT_LOG_LINES, DEFAULT_MINING_POOL_PORTS, rate,
} from '../detections/watch-detections';
import { ALARM_NAME, watchResourceName } from '../private/resource-name';
import { FlowLogQuery } from '../visibility/flow-log-query';

/**
 * The CloudWatch Logs system fields that name the account and Region a centralized log event
 * came from. Logs Insights indexes them by default in every Standard log group
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-FilterIndex.html), and
 * CloudWatch Logs adds them to the events a centralization rule copies, "to identify the source
 * of centralized log data" (PutMetricFilter `emitSystemFieldDimensions`,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
 */
const SOURCE_FIELDS = ['@aws.account', '@aws.region'];

/** A log alarm's aggregation groups by at most 5 fields (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html). */
const MAX_BY_FIELDS = 5;

/**
 * Properties of `FlowLogCentralDetections`.
 */
export interface FlowLogCentralDetectionsProps extends SourceDetectionsOptions, DetectionTuningOptions {
  /**
   * The centralized flow-log log groups to watch (1 to 50): the copies the centralization rule
   * makes in this account and Region (`/flowlog-watch/vpc/<vpc-id>` by default). A log alarm
   * lists its log groups by name; AWS documents no way for it to select them by prefix.
   */
  readonly logGroupNames: string[];

  /**
   * The centralized log groups of a `FlowLogOrganization` (its `centralLogGroups`): their format,
   * and a check that every name starts with their prefix and that this stack deploys in their
   * account and Region.
   *
   * @default - no check; the format is `logFormat`
   */
  readonly centralLogGroups?: FlowLogCentralLogGroups;

  /**
   * The fields of the records (when `centralLogGroups` is not given).
   *
   * @default FlowLogFormat.KIT
   */
  readonly logFormat?: FlowLogFormat;

  /**
   * The per-source detections to run: those that need no subnet role.
   *
   * @default - PORT_SCAN, HOST_SWEEP, BRUTE_FORCE, EXFILTRATION, MINING_POOL
   */
  readonly detections?: FlowLogDetection[];

  /**
   * Skipped records (`log-status` SKIPDATA), per account, Region and interface; the threshold
   * counts skipped records.
   *
   * @default - on, threshold 1, window 10 minutes, schedule 5 minutes
   */
  readonly skippedRecords?: FlowLogDetectionOptions;

  /**
   * Delivery stopped: fewer records than the threshold in all the log groups together in the
   * window (the centralization or the telemetry rule stopped).
   *
   * @default - on, threshold 1 record, window 30 minutes, schedule 10 minutes
   */
  readonly deliveryStopped?: FlowLogDetectionOptions;

  /**
   * What the log alarms do when they fire.
   *
   * @default - notify the stack's `FlowLogAlarmTopic`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** One log alarm, before its resource. */
interface CentralAlarm {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly query: string;
  readonly aggregation: string;
  readonly settings: DetectionSettings;
  readonly comparison: string;
  readonly treatMissingData: string;
}

const OPTION_OF: Record<string, keyof FlowLogCentralDetectionsProps> = {
  PortScan: 'portScan',
  HostSweep: 'hostSweep',
  BruteForce: 'bruteForce',
  Exfiltration: 'exfiltration',
  MiningPool: 'miningPool',
};

/**
 * Per-source detections over the centralized flow-log log groups, for the security or
 * log-archive account that a `FlowLogOrganization`'s centralization rule copies them into:
 * one `AWS::CloudWatch::LogAlarm` per detection, grouped by `@aws.account`, `@aws.region` and the
 * detection's own source fields, so that each notification names the account and Region that
 * tripped it; plus skipped records (per account, Region and interface) and delivery stopped.
 *
 * The VPCs are not in the app, so their subnets' roles are unknown: every detection takes the
 * scoping a public subnet gets (the conservative choice: the internet scans public subnets all day).
 */
export class FlowLogCentralDetections extends Construct {
  /** The detections that need no subnet role: the default. */
  public static readonly DEFAULT_DETECTIONS: FlowLogDetection[] = [
    FlowLogDetection.PORT_SCAN, FlowLogDetection.HOST_SWEEP, FlowLogDetection.BRUTE_FORCE,
    FlowLogDetection.EXFILTRATION, FlowLogDetection.MINING_POOL,
  ];

  /** The log alarms created. */
  public readonly logAlarms: CfnResource[] = [];

  /** The record format the queries parse. */
  public readonly logFormat: FlowLogFormat;

  private readonly logGroupNames: string[];
  private readonly actions: cloudwatch.IAlarmAction[];
  private readonly logLines: number;

  constructor(scope: Construct, id: string, props: FlowLogCentralDetectionsProps) {
    super(scope, id);
    const central = props.centralLogGroups;
    validateLogGroupNames(props.logGroupNames, central?.logGroupNamePrefix);
    if (central) {
      this.checkEnvironment(central);
      if (props.logFormat && props.logFormat !== central.logFormat) {
        throw new Error('`logFormat` and `centralLogGroups` exclude each other: the centralized log groups have their format; leave `logFormat` out');
      }
    }
    validateCidrs('internalCidrs', props.internalCidrs);
    validatePorts('miningPoolPorts', props.miningPoolPorts, 'leave the detection out instead');
    validatePorts('bruteForcePorts', props.bruteForcePorts, 'leave the detection out instead');
    this.logLines = props.actionLogLineCount ?? DEFAULT_LOG_LINES;
    validateLogLineCount('actionLogLineCount', this.logLines);
    if (props.alarmActions !== undefined && props.alarmActions.length === 0) {
      throw new Error('`alarmActions` must list at least one action, got an empty list: leave it out to notify the stack\'s FlowLogAlarmTopic');
    }
    validateActionCount('alarmActions', props.alarmActions);
    this.logGroupNames = props.logGroupNames;
    this.logFormat = central?.logFormat ?? props.logFormat ?? FlowLogFormat.KIT;
    this.actions = props.alarmActions ?? [new cloudwatchActions.SnsAction(FlowLogAlarmTopic.of(this).topic)];
    const context: DetectionQueryContext = {
      internalCidrs: props.internalCidrs ?? DEFAULT_INTERNAL_CIDRS,
      allowedEgressPorts: DEFAULT_ALLOWED_EGRESS_PORTS,
      miningPoolPorts: props.miningPoolPorts ?? DEFAULT_MINING_POOL_PORTS,
      bruteForcePorts: props.bruteForcePorts ?? DEFAULT_BRUTE_FORCE_PORTS,
    };

    const detections = props.detections ?? FlowLogCentralDetections.DEFAULT_DETECTIONS;
    this.checkDetections(detections, props);
    const roles = FlowLogDetectionRoles.of(this);
    this.logGroupNames.forEach((name, i) => roles.grantRead(logs.LogGroup.fromLogGroupName(this, `LogGroup${i}`, name)));
    for (const detection of detections) {
      const given = props[OPTION_OF[detection.id]] as FlowLogDetectionOptions | undefined;
      if (given?.enabled === false) {
        continue;
      }
      this.addDetection(detection, given, context);
    }
    if (props.skippedRecords?.enabled !== false) {
      this.addSkippedRecords(props.skippedRecords);
    }
    if (props.deliveryStopped?.enabled !== false) {
      this.addDeliveryStopped(props.deliveryStopped);
    }
  }

  private checkDetections(detections: FlowLogDetection[], props: FlowLogCentralDetectionsProps): void {
    if (detections.length === 0) {
      throw new Error('`detections` must list at least one detection, got an empty list: leave it out for the five that need no subnet role');
    }
    detections.forEach((d, i) => {
      if (!FlowLogCentralDetections.DEFAULT_DETECTIONS.includes(d)) {
        throw new Error(`\`detections[${i}]\` must be a detection that needs no subnet role (PORT_SCAN, HOST_SWEEP, BRUTE_FORCE, EXFILTRATION, `
          + `MINING_POOL), got ${d?.id ?? d}: the roles of centralized VPCs are unknown`);
      }
      if (detections.indexOf(d) !== i) {
        throw new Error(`\`detections\` lists ${d.id} twice; list each detection once`);
      }
    });
    for (const [detectionId, prop] of Object.entries(OPTION_OF)) {
      if (props[prop] !== undefined && !detections.some(d => d.id === detectionId)) {
        throw new Error(`\`${prop}\` is set, but \`detections\` does not list ${detectionId}: add it to \`detections\` or leave \`${prop}\` out`);
      }
    }
  }

  private checkEnvironment(central: FlowLogCentralLogGroups): void {
    const stack = Stack.of(this);
    for (const [what, here, there] of [['account', stack.account, central.accountId], ['Region', stack.region, central.region]]) {
      if (!Token.isUnresolved(here) && !Token.isUnresolved(there) && here !== there) {
        throw new Error(`\`centralLogGroups\` are in ${what} ${there}, but the stack deploys in ${what} ${here}: `
          + 'a log alarm queries log groups of its own account and Region');
      }
    }
  }

  private addDetection(detection: FlowLogDetection, given: FlowLogDetectionOptions | undefined, context: DetectionQueryContext): void {
    const prop = OPTION_OF[detection.id];
    const settings = resolveDetectionSettings(prop, given, defaultsOf(detection));
    const missing = detection.missingFields(this.logFormat);
    if (missing.length > 0) {
      throw new Error(`detection ${detection.id} reads ${missing.join(', ')}, which the centralized log groups' format does not record: `
        + 'leave it out of `detections`');
    }
    if (SOURCE_FIELDS.length + detection.groupBy.length > MAX_BY_FIELDS) {
      throw new Error(`detection ${detection.id} groups by ${detection.groupBy.length} fields: with account and Region that is over a log alarm's ${MAX_BY_FIELDS}`);
    }
    // Unknown role: the public subnet's scoping, the conservative one. Scans and sweeps count
    // only internal sources, brute force only accepted attempts or internal sources: an internet
    // scanner hitting a public subnet cannot be told from an attack otherwise, and every one of
    // them would be a contributor.
    const condition = detection._condition(SubnetRole.PUBLIC, context);
    const aggregation = detection._aggregation(SOURCE_FIELDS);
    const query = this.query(`filter log_status = "OK" and (${condition})`, aggregation.stats);
    const who = [...SOURCE_FIELDS, ...detection.groupBy].join(', ');
    this.addLogAlarm({
      id: `${detection.id}LogAlarm`,
      name: watchResourceName(this, detection.name, ALARM_NAME),
      description: `${detection.title} (GuardDuty analogue: ${detection.guardDutyFinding}) in the centralized flow logs: a contributor (${who}) `
        + `reached ${settings.threshold} ${detection.unit} in ${settings.window.toHumanString()}, ${settings.queryResultsToAlarm} of the last `
        + `${settings.queryResultsToEvaluate} runs. The contributor names the account and Region; subnet roles are unknown, so only internal `
        + `sources (and, for brute force, accepted attempts) count. Investigate with '${detection.investigate.title}' in that account.`,
      query,
      aggregation: aggregation.expression,
      settings,
      comparison: 'GreaterThanOrEqualToThreshold',
      // No contributor in a run is no attack (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html).
      treatMissingData: 'notBreaching',
    });
  }

  private addSkippedRecords(given: FlowLogDetectionOptions | undefined): void {
    const settings = resolveDetectionSettings('skippedRecords', given, { threshold: 1, window: Duration.minutes(10), schedule: Duration.minutes(5) });
    this.requireFields('skippedRecords', ['log-status', 'interface-id']);
    const by = [...SOURCE_FIELDS, 'interface_id'].join(', ');
    this.addLogAlarm({
      id: 'SkippedRecordsLogAlarm',
      name: watchResourceName(this, 'skipped-records', ALARM_NAME),
      description: `Flow-log records skipped (log-status SKIPDATA: capacity or internal error) in the centralized flow logs: a contributor (${by}) `
        + `reached ${settings.threshold} skipped records in ${settings.window.toHumanString()}. Traffic of that interface went unrecorded.`,
      query: this.query('filter log_status = "SKIPDATA"'),
      aggregation: `count(*) by ${by} | sort desc`,
      settings,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
  }

  private addDeliveryStopped(given: FlowLogDetectionOptions | undefined): void {
    const settings = resolveDetectionSettings('deliveryStopped', given, { threshold: 1, window: Duration.minutes(30), schedule: Duration.minutes(10) });
    this.addLogAlarm({
      id: 'DeliveryStoppedLogAlarm',
      name: watchResourceName(this, 'delivery-stopped', ALARM_NAME),
      description: `Flow-log delivery stopped: the centralized flow-log log groups together received fewer than ${settings.threshold} records in `
        + `${settings.window.toHumanString()}. Check the telemetry and centralization rules. One account going quiet does not trip it.`,
      // Every event of the window: the parse keeps events that do not match it too.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html
      query: FlowLogQuery.parseStatement(this.logFormat),
      aggregation: 'count(*)',
      settings,
      comparison: 'LessThanThreshold',
      // A window without any log event is missing data, not 0: breaching, or silence would never alarm.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html
      treatMissingData: 'breaching',
    });
  }

  private requireFields(prop: string, fields: string[]): void {
    const names = new Set(this.logFormat.fields.map(f => f.name));
    const missing = fields.filter(f => !names.has(f));
    if (missing.length > 0) {
      throw new Error(`\`${prop}\` reads ${missing.join(', ')}, which the centralized log groups' format does not record: `
        + `switch it off (\`${prop}.enabled: false\`)`);
    }
  }

  private query(filter: string, stats?: string): string {
    return [FlowLogQuery.parseStatement(this.logFormat), filter, ...(stats ? [stats] : [])].join('\n| ');
  }

  private addLogAlarm(alarm: CentralAlarm): void {
    validateQueryLength(alarm.query, alarm.id);
    const roles = FlowLogDetectionRoles.of(this);
    const s = alarm.settings;
    const logAlarm = new CfnResource(this, alarm.id, {
      type: 'AWS::CloudWatch::LogAlarm',
      properties: {
        AlarmName: alarm.name,
        AlarmDescription: alarm.description,
        ComparisonOperator: alarm.comparison,
        Threshold: s.threshold,
        QueryResultsToEvaluate: s.queryResultsToEvaluate,
        QueryResultsToAlarm: s.queryResultsToAlarm,
        TreatMissingData: alarm.treatMissingData,
        ActionsEnabled: true,
        ScheduledQueryConfiguration: {
          QueryString: alarm.query,
          AggregationExpression: alarm.aggregation,
          LogGroupIdentifiers: this.logGroupNames,
          ScheduledQueryRoleARN: roles.queryRole.roleArn,
          ScheduleConfiguration: {
            ScheduleExpression: rate(s.schedule),
            StartTimeOffset: s.window.toSeconds(),
          },
        },
        ...(this.logLines > 0 ? { ActionLogLineCount: this.logLines, ActionLogLineRoleArn: roles.logLinesRole.roleArn } : {}),
      },
    });
    const arn = Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarm.name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const bindable = cloudwatch.Alarm.fromAlarmArn(this, `${alarm.id}Actions`, arn);
    const actions = s.actionsOverride ?? this.actions;
    logAlarm.addPropertyOverride('AlarmActions', actions.map(a => a.bind(this, bindable).alarmActionArn));
    this.logAlarms.push(logAlarm);
  }
}

