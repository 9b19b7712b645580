import { Annotations, Aspects, Duration, IAspect, Tag, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { FlowLogTarget } from '../capture/flow-log-target';
import { FlowLogWatch } from '../capture/flow-log-watch';
import { FlowLogWatchOptions } from '../capture/flow-log-watch-options';
import { deliversToCloudWatchLogs, vpcFlowLogsOf } from '../capture/private/flow-log-lookup';
import { shareWatchProps } from '../capture/private/shared-options';
import { SubnetRole } from '../capture/subnet-role';
import { FlowLogDashboard } from '../visibility/flow-log-dashboard';

/**
 * Properties of a `FlowLogBaseline`: the options of every watch it creates, and its scope.
 */
export interface FlowLogBaselineProps extends FlowLogWatchOptions {
  /**
   * The role under which a VPC without known subnet roles (an `ec2.CfnVPC`, or an `ec2.Vpc`
   * without subnets) is watched.
   *
   * @default SubnetRole.PRIVATE
   */
  readonly defaultRole?: SubnetRole;

  /**
   * A VPC with this tag (key and value `true`), set on it or on a scope above it, is left out.
   * A tag key EC2 accepts: 1 to 128 characters, not starting with `aws:`.
   *
   * @default 'flowlog-watch:opt-out'
   */
  readonly optOutTagKey?: string;

  /**
   * Construct paths of VPCs to leave out; `*` stands for any characters but `/`, `**` for any.
   * No entry may be empty.
   *
   * @default - none
   */
  readonly excludePaths?: string[];
}

/**
 * An aspect that gives every VPC in its scope a `FlowLogWatch` with role-aware alarms:
 *
 * ```ts
 * declare const app: App;
 * Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
 * ```
 *
 * - An `ec2.Vpc` is watched with the roles of its subnet groups; a plain `ec2.CfnVPC` under
 *   `defaultRole`, with an info annotation saying so.
 * - Idempotent: a VPC that already has a VPC-level flow log (from a `FlowLogWatch`, from
 *   another baseline, or written by hand) gets nothing new, only an info annotation. Adding
 *   the aspect twice, or at App and Stack level both, never creates a second flow log.
 * - Opt out per VPC with a tag or by construct path.
 * - Each watch lives under its VPC (`<vpc>/FlowLogWatch`) and uses its stack's delivery role
 *   and alarm topic: no cross-stack references.
 * - Aspects do not cross `Stage` boundaries: add the baseline to each Stage as well as the App.
 */
export class FlowLogBaseline implements IAspect {
  private readonly props: FlowLogBaselineProps;
  private readonly optOutTagKey: string;
  private readonly excludePatterns: RegExp[];

  constructor(props: FlowLogBaselineProps = {}) {
    for (const prop of ['logGroupName', 'metricNamespace'] as const) {
      if (props[prop] !== undefined) {
        throw new Error(`\`${prop}\` cannot be given to a FlowLogBaseline, got '${props[prop]}': every VPC's watch needs one of its own`);
      }
    }
    validateOptOutTagKey(props.optOutTagKey);
    (props.excludePaths ?? []).forEach((glob, i) => {
      if (typeof glob !== 'string' || glob.length === 0) {
        throw new Error(`\`excludePaths\` must be construct path globs of at least one character, got '${glob}' at index ${i}`);
      }
    });
    this.props = props;
    this.optOutTagKey = props.optOutTagKey ?? 'flowlog-watch:opt-out';
    this.excludePatterns = (props.excludePaths ?? []).map(globToRegExp);
  }

  public visit(node: IConstruct): void {
    if (node instanceof ec2.Vpc) {
      const vpc = node.node.defaultChild as ec2.CfnVPC;
      const hasSubnets = node.publicSubnets.length + node.privateSubnets.length + node.isolatedSubnets.length > 0;
      this.watch(node, vpc, () => hasSubnets ? FlowLogTarget.fromVpc(node) : this.unknownRoles(node, vpc));
    } else if (node instanceof ec2.CfnVPC && !(node.node.scope instanceof ec2.Vpc)) {
      this.watch(node, node, () => this.unknownRoles(node, node));
    }
  }

  private watch(scope: Construct, vpc: ec2.CfnVPC, target: () => FlowLogTarget): void {
    const path = scope.node.path;
    if (this.excludePatterns.some(p => p.test(path))) {
      Annotations.of(scope).addInfo(`FlowLogBaseline: ${path} is excluded by path; no flow log added.`);
      return;
    }
    if (this.optedOut(scope)) {
      Annotations.of(scope).addInfo(`FlowLogBaseline: ${path} opted out with the tag ${this.optOutTagKey}=true; no flow log added.`);
      return;
    }
    const existing = vpcFlowLogsOf(vpc).filter(deliversToCloudWatchLogs);
    if (existing.length > 0) {
      Annotations.of(scope).addInfo(`FlowLogBaseline: ${path} already has a VPC-level flow log to CloudWatch Logs `
        + `(${existing.map(f => f.node.path).join(', ')}); no second one added.`);
      this.warnIfOptionsIgnored(scope, existing);
      return;
    }
    const watch = new FlowLogWatch(scope, 'FlowLogWatch', shareWatchProps({ ...this.props, dashboard: false, target: target() }));
    CREATED_BY.set(watch, this);
    if (this.props.dashboard) {
      FlowLogDashboard.of(watch).addWatch(watch);
    }
  }

  /**
   * A second baseline over a VPC another baseline already watches adds nothing (idempotent), so its
   * options are not applied there: a warning when they differ from the first one's.
   */
  private warnIfOptionsIgnored(scope: Construct, existing: ec2.CfnFlowLog[]): void {
    for (const flowLog of existing) {
      const watch = flowLog.node.scope?.node.scope;
      const first = watch instanceof FlowLogWatch ? CREATED_BY.get(watch) : undefined;
      if (!first || first === this) {
        continue;
      }
      const keys = [...new Set([...Object.keys(first.props), ...Object.keys(this.props)])] as (keyof FlowLogBaselineProps)[];
      const different = keys.filter(k => !sameValue(first.props[k], this.props[k]));
      if (different.length > 0) {
        Annotations.of(scope).addWarningV2('cdk-flowlog-watch:ignoredBaselineOptions',
          `FlowLogBaseline: ${scope.node.path} is already watched by another FlowLogBaseline (${watch!.node.path}), so this baseline's `
          + `options are not applied to it, and they differ (${different.join(', ')}). Add one FlowLogBaseline over each scope, or give both the same options.`);
      }
    }
  }

  private unknownRoles(scope: Construct, vpc: ec2.CfnVPC): FlowLogTarget {
    const role = this.props.defaultRole ?? SubnetRole.PRIVATE;
    Annotations.of(scope).addInfo(`FlowLogBaseline: the subnet roles of ${scope.node.path} are unknown; `
      + `it is watched as a whole under the ${role.name} role (defaultRole).`);
    return FlowLogTarget.fromCfnVpc(vpc, role);
  }

  /**
   * Whether the opt-out tag is set on the VPC, directly or by `Tags.of()` on it or a scope
   * above it (read from the tag aspects, so the order in which aspects run does not matter).
   */
  private optedOut(scope: Construct): boolean {
    const vpc = (scope.node.defaultChild ?? scope) as ec2.CfnVPC;
    if (vpc.tags?.tagValues()[this.optOutTagKey] === 'true') {
      return true;
    }
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const tagged = Aspects.of(c).all.some(a => a instanceof Tag && a.key === this.optOutTagKey && a.value === 'true');
      if (tagged) {
        return true;
      }
    }
    return false;
  }
}

/** The baseline that created each watch, to tell a second baseline's ignored options. */
const CREATED_BY = new WeakMap<FlowLogWatch, FlowLogBaseline>();

/**
 * Whether two option values are the same: identical, or lists and plain objects of the same values,
 * or Durations of the same length.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isDuration(a) && isDuration(b)) {
    return !a.isUnresolved() && a.toHumanString() === b.toHumanString();
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(k => sameValue(a[k], b[k]));
  }
  return false;
}

function isDuration(x: unknown): x is Duration {
  return typeof (x as Duration | undefined)?.toHumanString === 'function' && typeof (x as Duration).isUnresolved === 'function';
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * A tag key: "Maximum key length – 128 Unicode characters", and "Don't use `aws:` ... as a prefix ... reserved
 * for AWS use" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions). No VPC can
 * carry another key, so the baseline would never find one opted out.
 */
function validateOptOutTagKey(key: string | undefined): void {
  if (key === undefined || Token.isUnresolved(key)) {
    return;
  }
  if (typeof key !== 'string' || key.length === 0 || [...key].length > 128 || key.toLowerCase().startsWith('aws:')) {
    throw new Error(`\`optOutTagKey\` must be a tag key of 1 to 128 characters, not starting with 'aws:' (reserved for AWS), got '${key}'`);
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${escaped}$`);
}
