import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FlowLogDeliveryRole } from './delivery-role';
import { FlowLogFormat } from './flow-log-format';
import { FlowLogTarget } from './flow-log-target';
import { FlowLogWatchProps } from './flow-log-watch-options';
import { registerWatchFlowLogs } from './private/flow-log-quota';
import { validateUniqueLogGroupName } from './private/log-group-name-clash';
import { DEFAULT_RETENTION, validateRetention } from './private/retention';
import { isSharedWatchProps } from './private/shared-options';
import {
  MAX_METRIC_NAMESPACE_LENGTH, MAX_TAG_VALUE_LENGTH, validateEncryptionKey, validateEnum, validateFlowLogName, validateFormat,
  validateLogGroupName, validateNamespace, validateRemovalPolicy,
} from './private/watch-validation';
import { SubnetRole } from './subnet-role';
import { createWatchFlowLog, WatchFlowLogOptions } from './watch-flow-log';
import { createWatchLogGroup } from './watch-log-group';
import { AlarmProfile } from '../alarms/alarm-profile';
import { DEFAULT_PERIOD } from '../alarms/private/alarm-validation';
import { TrafficDirection, TrafficSignature } from '../alarms/traffic-signature';
import { WatchAlarmActions } from '../alarms/watch-alarm-actions';
import { WatchAlarms } from '../alarms/watch-alarms';
import { WatchMetricFilters } from '../alarms/watch-metric-filters';
import { WatchArchive } from '../archive/watch-archive';
import { WatchDetections } from '../detections/watch-detections';
import { requireArray, requireInstance } from '../private/input-checks';
import { boundedName } from '../private/resource-name';
import { StackSizeWarning } from '../private/stack-size-warning';
import { FlowLogDashboard } from '../visibility/flow-log-dashboard';
import { FlowLogQueries } from '../visibility/flow-log-queries';
import { FlowLogQuery } from '../visibility/flow-log-query';
import { addWatchInsightRules } from '../visibility/watch-insight-rules';

/**
 * VPC Flow Logs for a VPC, a subnet or a network interface, into a CloudWatch log group of
 * bounded retention, delivered by the stack's shared, least-privilege delivery role.
 *
 * Creates a log group (`LogGroup`) and a flow log (`FlowLog`), and uses the stack's
 * `FlowLogDeliveryRole`. The construct IDs are part of the API: changing one replaces
 * the resource, and a replaced log group loses its data.
 */
export class FlowLogWatch extends Construct {
  /**
   * What the watch captures.
   */
  public readonly target: FlowLogTarget;

  /**
   * The roles of the subnets the watch covers: public, private, isolated, each once.
   */
  public readonly roles: SubnetRole[];

  /**
   * The fields of the records.
   */
  public readonly logFormat: FlowLogFormat;

  /**
   * How long the log group keeps flow logs.
   */
  public readonly retention: logs.RetentionDays;

  /**
   * The log group that receives the flow logs.
   */
  public readonly logGroup: logs.LogGroup;

  /**
   * The flow log.
   */
  public readonly flowLog: ec2.FlowLog;

  /**
   * The role VPC Flow Logs assumes to deliver into the log group (shared by the stack's watches).
   */
  public readonly deliveryRole: iam.IRole;

  /**
   * The namespace of the watch's metrics.
   */
  public readonly metricNamespace: string;

  /**
   * The alarm profile of each role the watch covers, in the order of `roles`.
   */
  public readonly alarmProfiles: AlarmProfile[];

  /**
   * Every alarm the watch created.
   */
  public readonly alarms: cloudwatch.Alarm[];

  /**
   * The per-source detections' log alarms (`AWS::CloudWatch::LogAlarm`, `<Detection>LogAlarm`).
   */
  public readonly logAlarms: CfnResource[];

  /**
   * The topic the alarms notify, when no `alarmActions` were given.
   */
  public readonly alarmTopic?: sns.ITopic;

  /** The flow log to the S3 archive (only with `archive`). */
  public readonly archiveFlowLog?: ec2.FlowLog;

  /** The Glue table over the S3 archive (only with `archive` and Athena on). */
  public readonly archiveTable?: glue.CfnTable;

  /** The bucket of the S3 archive (only with `archive`). */
  public readonly archiveBucket?: s3.IBucket;

  /** The watch's own dashboard (only with `dashboard: true`). */
  public readonly dashboard?: FlowLogDashboard;

  /** The Contributor Insights rules on the log group (none unless `contributorInsights` is true). */
  public readonly insightRules: cloudwatch.CfnInsightRule[];

  /** The stack's saved Logs Insights queries that read this watch's log group (none with `queryDefinitions: false`). */
  public readonly queries?: FlowLogQueries;

  private readonly filters: WatchMetricFilters;

  constructor(scope: Construct, id: string, props: FlowLogWatchProps) {
    super(scope, id);
    if (!props?.target) {
      throw new Error('`target` is required: FlowLogTarget.fromVpc(vpc), FlowLogTarget.fromSubnet(subnet, role?) or FlowLogTarget.fromNetworkInterfaceId(id, role)');
    }
    requireInstance('target', props.target, FlowLogTarget,
      'a FlowLogTarget: FlowLogTarget.fromVpc(vpc), FlowLogTarget.fromSubnet(subnet, role?) or FlowLogTarget.fromNetworkInterfaceId(id, role)');
    this.target = props.target;
    this.roles = props.target.roles;
    this.retention = props.retention ?? DEFAULT_RETENTION;
    this.logFormat = props.logFormat ?? FlowLogFormat.KIT;
    validateRetention(this.retention);
    requireInstance('logFormat', this.logFormat, FlowLogFormat, 'a FlowLogFormat: FlowLogFormat.KIT, FlowLogFormat.AWS_DEFAULT or FlowLogFormat.fromFields()');
    validateFormat(this.logFormat);
    validateEnum('trafficType', props.trafficType, Object.values(ec2.FlowLogTrafficType));
    validateEnum('maxAggregationInterval', props.maxAggregationInterval,
      [ec2.FlowLogMaxAggregationInterval.ONE_MINUTE, ec2.FlowLogMaxAggregationInterval.TEN_MINUTES]);
    validateLogGroupName(props.logGroupName);
    validateEncryptionKey(props.encryptionKey);
    validateRemovalPolicy('removalPolicy', props.removalPolicy, 'a log group');
    validateFlowLogName(props.flowLogName, props.archive !== undefined);
    if (props.alarmActions !== undefined) {
      requireArray('alarmActions', props.alarmActions, 'alarm actions (e.g. new cloudwatch_actions.SnsAction(topic))');
    }
    WatchArchive.validate(props.archive);
    for (const warning of props.target._warnings()) {
      Annotations.of(this).addWarningV2('cdk-flowlog-watch:roleOverride', warning);
    }

    // target → log group → flow log (and its archive copy)
    this.logGroup = createWatchLogGroup(this, { ...props, retention: this.retention });
    validateUniqueLogGroupName(this, this.logGroup, props.logGroupName);
    const delivery = FlowLogDeliveryRole.of(this);
    delivery.grantDelivery(this.logGroup);
    this.deliveryRole = delivery.role;
    const flowLogOptions: WatchFlowLogOptions = { ...props, logFormat: this.logFormat };
    const flowLogName = props.flowLogName ?? boundedName(this.node.path, '', MAX_TAG_VALUE_LENGTH);
    // The role's permissions come from its managed policy; stop the L2 from adding inline ones.
    this.flowLog = createWatchFlowLog(this, 'FlowLog', flowLogOptions,
      ec2.FlowLogDestination.toCloudWatchLogs(this.logGroup, delivery.role.withoutPolicyUpdates()), flowLogName);
    // Delivery starts as soon as the flow log exists: its permissions must be there first.
    this.flowLog.node.addDependency(delivery.policy);
    if (props.archive) {
      const archive = new WatchArchive(this, props.archive, flowLogOptions, flowLogName);
      this.archiveBucket = archive.bucket;
      this.archiveFlowLog = archive.flowLog;
      this.archiveTable = archive.table;
    }
    registerWatchFlowLogs(this, [this.flowLog, ...this.archiveFlowLog ? [this.archiveFlowLog] : []], props.allowAdditionalFlowLog ?? false);

    // → metric filters → alarms
    if (props.metricNamespace !== undefined) {
      validateNamespace(props.metricNamespace);
    }
    this.metricNamespace = props.metricNamespace ?? defaultNamespace(this);
    this.filters = new WatchMetricFilters(this, this.logGroup, this.target, this.logFormat, this.metricNamespace);
    const alarmsOn = props.alarms?.enabled ?? true;
    const detectionsOn = props.detections?.enabled ?? true;
    const actions = new WatchAlarmActions(this, props.alarmActions, alarmsOn || detectionsOn);
    this.alarmTopic = actions.topic;
    const alarms = new WatchAlarms(this, {
      target: this.target,
      logGroup: this.logGroup,
      filters: this.filters,
      options: props.alarms,
      actions: actions.actions,
      trafficType: props.trafficType,
      sharedOptions: isSharedWatchProps(props),
    });
    this.alarmProfiles = alarms.profiles;
    this.alarms = alarms.alarms;

    // → per-source detections (log alarms on scheduled Logs Insights queries)
    this.logAlarms = new WatchDetections(this, {
      target: this.target,
      logGroup: this.logGroup,
      logFormat: this.logFormat,
      options: props.detections,
      actions: actions.actions,
    }).logAlarms;

    // → saved queries, Contributor Insights, dashboard
    if (props.queryDefinitions ?? true) {
      this.queries = FlowLogQueries.of(this, this.logFormat);
      this.queries.addLogGroup(this.logGroup);
    }
    this.insightRules = (props.contributorInsights ?? false) ? addWatchInsightRules(this, this.logGroup, this.logFormat) : [];
    if (props.dashboard ?? false) {
      this.dashboard = new FlowLogDashboard(this, 'Dashboard');
      this.dashboard.addWatch(this);
    }
    StackSizeWarning.applyTo(Stack.of(this));
  }

  /**
   * Saves one more Logs Insights query with the stack's queries for the watch's format: it reads
   * the log groups of every watch of that format in the stack.
   *
   * @throws when the watch has no saved queries (`queryDefinitions: false`), or its format lacks a field the query reads
   */
  public addQuery(query: FlowLogQuery): logs.CfnQueryDefinition {
    if (!this.queries) {
      throw new Error(`addQuery: ${this.node.path} has queryDefinitions: false, so it has no saved queries to add '${query.title}' to`);
    }
    return this.queries.addQuery(query);
  }

  /**
   * The sum of a signature's metric, for one role or for every role the watch covers.
   *
   * Creates the signature's metric filter on first use (`<Role><MetricName>Filter`); the
   * watch's alarms use the same filters.
   *
   * @param signature what to count
   * @param role one role of the watch
   * @param options metric options (period, label …); the statistic is `Sum`
   * @default role - every role: the sum of their metrics
   */
  public metric(signature: TrafficSignature, role?: SubnetRole, options?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    if (role) {
      if (!this.roles.includes(role)) {
        throw new Error(`\`role\` must be one of the watch's roles (${this.roles.join(', ')}), got ${role}`);
      }
      return this.filters.metric(signature, role, options);
    }
    if (this.roles.length === 1) {
      return this.filters.metric(signature, this.roles[0], options);
    }
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.roles.forEach(r => usingMetrics[`${r.name}`] = this.filters.metric(signature, r, options));
    return new cloudwatch.MathExpression({
      expression: this.roles.map(r => `FILL(${r.name}, 0)`).join(' + '),
      usingMetrics,
      label: options?.label ?? signature.metricName,
      period: options?.period ?? DEFAULT_PERIOD,
    });
  }

  /**
   * SSH bytes accepted inbound.
   *
   * @default role - every role of the watch
   */
  public metricSshAcceptedBytes(role?: SubnetRole, options?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(TrafficSignature.SSH_ACCEPTED_BYTES, role, options);
  }

  /**
   * Flows rejected by security groups or network ACLs.
   *
   * @default role - every role of the watch
   */
  public metricRejectedFlows(role?: SubnetRole, options?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(TrafficSignature.REJECTED_FLOWS, role, options);
  }

  /**
   * Bytes accepted in one direction.
   *
   * @default role - every role of the watch
   */
  public metricTransferBytes(direction: TrafficDirection, role?: SubnetRole, options?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric(TrafficSignature.transferBytes(direction), role, options);
  }
}

/**
 * `FlowLogs/` and the watch's construct path, characters a metric filter's namespace may not have
 * replaced by `_` (`:` too: see `validateNamespace`), shortened with a hash when the path is long.
 */
function defaultNamespace(watch: Construct): string {
  const namespace = `FlowLogs/${watch.node.path}`.replace(/[^A-Za-z0-9.\-_/# ]/g, '_');
  return boundedName(namespace, '', MAX_METRIC_NAMESPACE_LENGTH, `FlowLogs/${watch.node.path}`);
}
