import { Annotations, ArnFormat, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FlowLogDetectionOptions, FlowLogDetectionsOptions, RoleDetectionsOptions } from './detection-options';
import { FlowLogDetectionRoles } from './detection-roles';
import { FlowLogDetection } from './flow-log-detection';
import { DetectionQueryContext } from './private/detection-query-context';
import { defaultsOf, resolveDetectionSettings } from './private/detection-settings';
import { DetectionSettings, validateDetectionsOptions, validateQueryLength } from './private/detection-validation';
import { fitDescription, num } from '../alarms/private/alarm-descriptions';
import { FlowLogFormat } from '../capture/flow-log-format';
import { FlowLogTarget, FlowLogTargetType } from '../capture/flow-log-target';
import { SubnetRole } from '../capture/subnet-role';
import { ALARM_NAME, watchResourceName } from '../private/resource-name';
import { FlowLogQuery } from '../visibility/flow-log-query';

export const DEFAULT_INTERNAL_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
export const DEFAULT_ALLOWED_EGRESS_PORTS = [53, 80, 123, 443];
export const DEFAULT_MINING_POOL_PORTS = [3333, 4444, 5555, 7777, 14444, 45560, 45700];
export const DEFAULT_BRUTE_FORCE_PORTS = [22, 3389];
export const DEFAULT_LOG_LINES = 10;

const OPTION_OF: Record<string, keyof RoleDetectionsOptions> = {
  PortScan: 'portScan',
  HostSweep: 'hostSweep',
  BruteForce: 'bruteForce',
  Exfiltration: 'exfiltration',
  MiningPool: 'miningPool',
  UnusualEgressPort: 'unusualEgressPort',
  IsolatedEgress: 'isolatedEgress',
};

/**
 * What a watch's detections read and where they notify.
 */
export interface WatchDetectionsProps {
  readonly target: FlowLogTarget;
  readonly logGroup: logs.ILogGroup;
  readonly logFormat: FlowLogFormat;
  readonly options?: FlowLogDetectionsOptions;
  readonly actions: cloudwatch.IAlarmAction[];
}

/** One detection's settings for one role, defaults applied. */
interface RoleSettings extends DetectionSettings {
  readonly role: SubnetRole;
}

/**
 * A watch's per-source detections: for each `FlowLogDetection` on for some of its roles, one
 * `AWS::CloudWatch::LogAlarm` (`<Detection>LogAlarm`) per set of roles with the same settings,
 * on a scheduled Logs Insights query of the watch's log group grouped by source.
 *
 * `AWS::CloudWatch::LogAlarm` is written as a plain `CfnResource`: aws-cdk-lib's `CfnLogAlarm`
 * is newer than the library's aws-cdk-lib floor. The schema validation of the tests checks it.
 */
export class WatchDetections {
  /** The log alarms created. */
  public readonly logAlarms: CfnResource[] = [];

  private readonly context: DetectionQueryContext;

  constructor(private readonly watch: Construct, private readonly props: WatchDetectionsProps) {
    const options = props.options ?? {};
    validateDetectionsOptions(options, props.target.roles);
    this.context = {
      internalCidrs: options.internalCidrs ?? DEFAULT_INTERNAL_CIDRS,
      allowedEgressPorts: options.allowedEgressPorts ?? DEFAULT_ALLOWED_EGRESS_PORTS,
      miningPoolPorts: options.miningPoolPorts ?? DEFAULT_MINING_POOL_PORTS,
      bruteForcePorts: options.bruteForcePorts ?? DEFAULT_BRUTE_FORCE_PORTS,
    };
    if (!(options.enabled ?? true)) {
      return;
    }
    for (const detection of FlowLogDetection.ALL) {
      const settings = props.target.roles
        .map(role => resolveSettings(detection, role, roleOptionsOf(options, role)?.[OPTION_OF[detection.id]]))
        .filter((s): s is RoleSettings => s !== undefined);
      if (settings.length === 0) {
        continue;
      }
      const missing = detection.missingFields(props.logFormat);
      if (missing.length > 0) {
        const configured = props.target.roles.some(role => roleOptionsOf(options, role)?.[OPTION_OF[detection.id]] !== undefined);
        const message = `detection ${detection.id} reads ${missing.join(', ')}, which \`logFormat\` does not record`;
        if (configured) {
          throw new Error(`${message}: add the fields, or switch it off (\`detections.<role>Subnets.${OPTION_OF[detection.id]}.enabled: false\`)`);
        }
        // A default left out is said, never silent: the watch has one line of defence less.
        Annotations.of(watch).addWarningV2('cdk-flowlog-watch:detectionLeftOut',
          `${message}, so it is left out; add the fields to the format to have it`);
        continue;
      }
      const groups = groupBySettings(settings);
      for (const group of groups) {
        this.addLogAlarm(detection, group, groups.length === 1, options.actionLogLineCount ?? DEFAULT_LOG_LINES);
      }
    }
  }

  private addLogAlarm(detection: FlowLogDetection, group: RoleSettings[], onlyGroup: boolean, logLines: number): void {
    const settings = group[0];
    const roles = group.map(g => g.role);
    const rolesPart = onlyGroup ? '' : roles.map(r => r.label).join('');
    const id = `${rolesPart}${detection.id}LogAlarm`;
    const name = watchResourceName(this.watch, `${onlyGroup ? '' : roles.map(r => r.name).join('-') + '-'}${detection.name}`, ALARM_NAME);
    const query = this.renderQuery(detection, roles);
    validateQueryLength(query, id);
    const detectionRoles = FlowLogDetectionRoles.of(this.watch);
    detectionRoles.grantRead(this.props.logGroup);

    const logAlarm = new CfnResource(this.watch, id, {
      type: 'AWS::CloudWatch::LogAlarm',
      properties: {
        AlarmName: name,
        AlarmDescription: this.describe(detection, roles, settings),
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: settings.threshold,
        QueryResultsToEvaluate: settings.queryResultsToEvaluate,
        QueryResultsToAlarm: settings.queryResultsToAlarm,
        // No contributor in a run is no attack (count(*) of nothing is 0, not missing data):
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-log.html
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        ScheduledQueryConfiguration: {
          QueryString: query,
          AggregationExpression: detection._aggregation().expression,
          LogGroupIdentifiers: [this.props.logGroup.logGroupName],
          ScheduledQueryRoleARN: detectionRoles.queryRole.roleArn,
          ScheduleConfiguration: {
            ScheduleExpression: rate(settings.schedule),
            StartTimeOffset: settings.window.toSeconds(),
          },
        },
        ...(logLines > 0 ? { ActionLogLineCount: logLines, ActionLogLineRoleArn: detectionRoles.logLinesRole.roleArn } : {}),
      },
    });
    const arn = Stack.of(this.watch).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const bindable = cloudwatch.Alarm.fromAlarmArn(this.watch, `${id}Actions`, arn);
    const actions = settings.actionsOverride ?? this.props.actions;
    logAlarm.addPropertyOverride('AlarmActions', actions.map(a => a.bind(this.watch, bindable).alarmActionArn));
    this.logAlarms.push(logAlarm);
  }

  /**
   * `parse` with the format's glob, one `filter` for every record the detection counts (OK
   * records of the roles' subnets, with each role's condition), and the `stats` of a distinct count.
   */
  public renderQuery(detection: FlowLogDetection, roles: SubnetRole[]): string {
    const byCondition = new Map<string, SubnetRole[]>();
    for (const role of roles) {
      const condition = detection._condition(role, this.context);
      byCondition.set(condition, [...(byCondition.get(condition) ?? []), role]);
    }
    const scoped = this.props.target.targetType === FlowLogTargetType.VPC && this.props.target.subnets.length > 0;
    const clauses = [...byCondition.entries()].map(([condition, rs]) => {
      if (!scoped) {
        return `(${condition})`;
      }
      const ids = rs.flatMap(r => this.props.target.subnetsOf(r).map(s => `"${s.subnetId}"`));
      return `(subnet_id in [${ids.join(', ')}] and ${condition})`;
    });
    const filter = `filter log_status = "OK" and (${clauses.join(' or ')})`;
    const stats = detection._aggregation().stats;
    return [FlowLogQuery.parseStatement(this.props.logFormat), filter, ...(stats ? [stats] : [])].join('\n| ');
  }

  private describe(detection: FlowLogDetection, roles: SubnetRole[], s: RoleSettings): string {
    const who = detection.groupBy.join(', ');
    return fitDescription(`${detection.title} (GuardDuty analogue: ${detection.guardDutyFinding}) in the ${roles.map(r => r.name).join(' and ')} subnets of `
      + `${this.props.target.description}: a contributor (${who}) reached ${formatThreshold(s.threshold, detection.unit)} in ${s.window.toHumanString()}, `
      + `${num(s.queryResultsToAlarm)} of the last ${num(s.queryResultsToEvaluate)} runs. The notification names the contributor and carries the matching log lines. `
      + `Investigate with the saved Logs Insights query '${detection.investigate.title}' on ${this.watch.node.path}/LogGroup.`);
  }
}

function resolveSettings(detection: FlowLogDetection, role: SubnetRole, given: FlowLogDetectionOptions | undefined): RoleSettings | undefined {
  const enabled = given?.enabled ?? detection.defaultRoles.includes(role);
  if (!enabled) {
    return undefined;
  }
  const prop = `detections.${role.name}Subnets.${OPTION_OF[detection.id]}`;
  return { role, ...resolveDetectionSettings(prop, given, defaultsOf(detection)) };
}

function groupBySettings(settings: RoleSettings[]): RoleSettings[][] {
  const groups: RoleSettings[][] = [];
  for (const s of settings) {
    const same = groups.find(g => sameSettings(g[0], s));
    if (same) {
      same.push(s);
    } else {
      groups.push([s]);
    }
  }
  return groups;
}

function sameSettings(a: RoleSettings, b: RoleSettings): boolean {
  return a.threshold === b.threshold && sameDuration(a.window, b.window) && sameDuration(a.schedule, b.schedule)
    && a.queryResultsToEvaluate === b.queryResultsToEvaluate && a.queryResultsToAlarm === b.queryResultsToAlarm
    && a.actionsOverride === b.actionsOverride;
}

function roleOptionsOf(options: FlowLogDetectionsOptions, role: SubnetRole): RoleDetectionsOptions | undefined {
  switch (role) {
    case SubnetRole.PUBLIC: return options.publicSubnets;
    case SubnetRole.PRIVATE: return options.privateSubnets;
    default: return options.isolatedSubnets;
  }
}

/** Durations as equal as CloudFormation sees them: literals by length, tokens by their token. */
function sameDuration(a: Duration, b: Duration): boolean {
  if (a.isUnresolved() || b.isUnresolved()) {
    return a.toString() === b.toString();
  }
  return a.toSeconds() === b.toSeconds();
}

/**
 * `rate(N minutes)`: the schedule form CloudWatch's scheduled queries take. A token schedule
 * (`Duration.minutes(token)`, validated) is written `rate(<token> minutes)`.
 */
export function rate(schedule: Duration): string {
  const minutes = schedule.toMinutes();
  return `rate(${num(minutes)} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

function formatThreshold(value: number, unit: string): string {
  if (Token.isUnresolved(value)) {
    return `the threshold in ${unit}`;
  }
  if (unit === 'bytes' && value >= 1024 ** 2) {
    const gib = value / 1024 ** 3;
    return gib >= 1 ? `${+gib.toFixed(2)} GiB` : `${+(value / 1024 ** 2).toFixed(2)} MiB`;
  }
  return `${value} ${unit}`;
}
