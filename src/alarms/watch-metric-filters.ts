import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_PERIOD } from './private/alarm-validation';
import { TrafficSignature } from './traffic-signature';
import { FlowLogFormat } from '../capture/flow-log-format';
import { FlowLogTarget, FlowLogTargetType } from '../capture/flow-log-target';
import { SubnetRole } from '../capture/subnet-role';
import { requireInstance } from '../private/input-checks';

// CloudWatch Logs rejects filter patterns longer than 1,024 characters. Subnet IDs are tokens
// at synth; each is counted at its longest (subnet- and 17 hex digits).
const MAX_PATTERN_LENGTH = 1024;
const LONGEST_SUBNET_ID = 'subnet-0123456789abcdef0';
// "The maximum number of metric filters that can be associated with a log group is 100"
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
const MAX_FILTERS_PER_LOG_GROUP = 100;

/**
 * The metric filters of a watch's log group, one per (role, traffic signature), created on
 * first use (`<Role><MetricName>Filter`), and the metrics they publish.
 */
export class WatchMetricFilters {
  private readonly filters = new Map<string, { readonly filter: logs.MetricFilter; readonly signature: TrafficSignature }>();

  constructor(
    private readonly watch: Construct,
    private readonly logGroup: logs.ILogGroup,
    private readonly target: FlowLogTarget,
    private readonly logFormat: FlowLogFormat,
    private readonly metricNamespace: string) {
    watch.node.addValidation({ validate: () => this.validateFilterCount() });
  }

  /**
   * The `Sum` of a signature's metric for a role (or the whole log group).
   */
  public metric(signature: TrafficSignature, role: SubnetRole | undefined, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    requireInstance('signature', signature, TrafficSignature, 'a TrafficSignature (e.g. TrafficSignature.REJECTED_FLOWS or TrafficSignature.custom())');
    return this.filterFor(signature, role).metric({ period: DEFAULT_PERIOD, ...options, statistic: cloudwatch.Stats.SUM });
  }

  private filterFor(signature: TrafficSignature, role: SubnetRole | undefined): logs.MetricFilter {
    const name = `${role?.label ?? ''}${signature.metricName}`;
    const existing = this.filters.get(name);
    if (existing) {
      // One metric name is one filter: a second definition under the same name would silently
      // read the first one's metric.
      if (!existing.signature._sameDefinitionAs(signature)) {
        throw new Error(`\`metricName\` '${signature.metricName}' is already used on ${this.watch.node.path} by another signature `
          + `(${existing.signature.description}), got one that counts ${signature.description}: give each signature a metric name of its own`);
      }
      return existing.filter;
    }
    // A VPC-level flow log records every role's subnets: a role's filter matches only its own.
    // A subnet or interface flow log, or a VPC of unknown subnets, records one role only.
    const subnetIds = role && this.target.targetType === FlowLogTargetType.VPC && this.target.subnets.length > 0
      ? this.target.subnetsOf(role).map(s => s.subnetId)
      : undefined;
    const filterPattern = signature.renderPattern(this.logFormat, subnetIds);
    validatePatternLength(filterPattern, name);
    const filter = new logs.MetricFilter(this.watch, `${name}Filter`, {
      logGroup: this.logGroup,
      filterPattern: logs.FilterPattern.literal(filterPattern),
      metricNamespace: this.metricNamespace,
      metricName: name,
      metricValue: signature.renderMetricValue(),
      defaultValue: 0,
    });
    this.filters.set(name, { filter, signature });
    return filter;
  }

  /** Every metric filter of the stack on the watch's log group counts: the watch's and any other. */
  private validateFilterCount(): string[] {
    const stack = Stack.of(this.watch);
    const logGroupName = JSON.stringify(stack.resolve(this.logGroup.logGroupName));
    const onLogGroup = stack.node.findAll().filter((c): c is logs.CfnMetricFilter => c instanceof logs.CfnMetricFilter
      && JSON.stringify(stack.resolve(c.logGroupName)) === logGroupName);
    if (onLogGroup.length <= MAX_FILTERS_PER_LOG_GROUP) return [];
    const own = new Set([...this.filters.values()].map(f => f.filter.node.defaultChild as logs.CfnMetricFilter));
    const ownCount = onLogGroup.filter(f => own.has(f)).length;
    return [`${this.watch.node.path}'s log group would have ${onLogGroup.length} metric filters (${ownCount} of the watch's own, one per role `
      + `and traffic signature), over CloudWatch Logs' limit of ${MAX_FILTERS_PER_LOG_GROUP} per log group: the deployment would fail. `
      + 'Use fewer custom signatures (watch.metric(TrafficSignature.custom(...))) or fewer roles, or another log group for the other filters.'];
  }
}

function validatePatternLength(pattern: string, metricName: string): void {
  const length = pattern.replace(/\$\{Token\[[^\]]*\]\}/g, LONGEST_SUBNET_ID).length;
  if (length > MAX_PATTERN_LENGTH) {
    throw new Error(`the filter pattern of ${metricName} would be up to ${length} characters, over CloudWatch Logs' limit of ${MAX_PATTERN_LENGTH}: `
      + 'the role has too many subnets or the format too many fields; watch fewer subnets per role or use a shorter `logFormat`');
  }
}
