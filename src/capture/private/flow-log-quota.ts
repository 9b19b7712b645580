import { Reference, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * VPC quotas, "Flow logs per single network interface, single subnet, or single VPC in a Region":
 * 2, "This limit cannot be increased".
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-flow-logs
 */
export const MAX_FLOW_LOGS_PER_RESOURCE = 2;
const QUOTA_URL = 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-flow-logs';

/** The resource types the quota counts (Transit Gateway flow logs are not watched here). */
const COUNTED_TYPES = ['VPC', 'Subnet', 'NetworkInterface'];

interface WatchFlowLog {
  readonly watch: IConstruct;
  readonly allowAdditionalFlowLog: boolean;
}

const WATCH_FLOW_LOGS = new WeakMap<ec2.CfnFlowLog, WatchFlowLog>();
const CHECKED = new WeakSet<IConstruct>();

/**
 * Records the flow logs of a watch, and adds, once per Stage (or App), a validation that counts
 * every flow log of the Stage per VPC, subnet and network interface: the watches', their archives'
 * and any `ec2.FlowLog` or `ec2.CfnFlowLog` of the app.
 *
 * - More than 2 on one resource is an error: the quota cannot be increased, so the deployment fails.
 * - Two watches on one resource is an error unless all but one set `allowAdditionalFlowLog`:
 *   a second watch usually comes from a mistake (a watch and a baseline, two stacks), and it doubles
 *   the cost and uses up the quota.
 *
 * A validation, not a check at construction: flow logs created after the watch (another
 * construct, a `FlowLogBaseline`'s aspect) count too.
 */
export function registerWatchFlowLogs(watch: IConstruct, flowLogs: ec2.FlowLog[], allowAdditionalFlowLog: boolean): void {
  for (const flowLog of flowLogs) {
    const cfn = flowLog.node.children.find((c): c is ec2.CfnFlowLog => c instanceof ec2.CfnFlowLog);
    if (cfn) {
      WATCH_FLOW_LOGS.set(cfn, { watch, allowAdditionalFlowLog });
    }
  }
  const stage = Stage.of(watch) ?? watch.node.root;
  if (!CHECKED.has(stage)) {
    CHECKED.add(stage);
    stage.node.addValidation({ validate: () => checkFlowLogQuota(stage) });
  }
}

function checkFlowLogQuota(stage: IConstruct): string[] {
  const byResource = new Map<string, ec2.CfnFlowLog[]>();
  for (const flowLog of stage.node.findAll()) {
    if (!(flowLog instanceof ec2.CfnFlowLog) || Stage.of(flowLog) !== stage || !COUNTED_TYPES.includes(flowLog.resourceType)) {
      continue;
    }
    const key = resourceKey(flowLog);
    byResource.set(key, [...byResource.get(key) ?? [], flowLog]);
  }
  const errors: string[] = [];
  for (const flowLogs of byResource.values()) {
    const resource = describeResource(flowLogs[0]);
    if (flowLogs.length > MAX_FLOW_LOGS_PER_RESOURCE) {
      errors.push(`\`target\`: ${resource} would have ${flowLogs.length} flow logs (${flowLogs.map(f => f.node.path).join(', ')}), `
        + `over AWS's quota of ${MAX_FLOW_LOGS_PER_RESOURCE} flow logs per VPC, subnet or network interface, which cannot be increased `
        + `(${QUOTA_URL}): the deployment would fail. Remove a flow log, leave out a watch's \`archive\`, or watch its subnets or interfaces instead.`);
      continue;
    }
    const watches = [...new Set(flowLogs.map(f => WATCH_FLOW_LOGS.get(f)).filter((w): w is WatchFlowLog => w !== undefined))];
    const watchPaths = [...new Set(watches.map(w => w.watch.node.path))];
    const unmarked = [...new Set(watches.filter(w => !w.allowAdditionalFlowLog).map(w => w.watch.node.path))];
    if (watchPaths.length > 1 && unmarked.length > 1) {
      errors.push(`\`allowAdditionalFlowLog\`: ${resource} is watched by ${watchPaths.length} FlowLogWatches (${watchPaths.join(', ')}), `
        + `and ${unmarked.length} of them (${unmarked.join(', ')}) do not set allowAdditionalFlowLog: each watch is a flow log of its own, `
        + `paid for, and AWS allows ${MAX_FLOW_LOGS_PER_RESOURCE} per resource (${QUOTA_URL}). Remove the extra watch, or, if you mean `
        + 'it (e.g. a REJECT-only watch next to an ALL one), set `allowAdditionalFlowLog: true` on all but one of them.');
    }
  }
  return errors;
}

/**
 * What identifies the resource a flow log captures across the stacks of a Stage: the construct a
 * reference points to (the same CfnVPC, whichever stack references it), else the literal ID with
 * its stack's account and Region, else the resolved value within the flow log's stack.
 */
function resourceKey(flowLog: ec2.CfnFlowLog): string {
  const id = flowLog.resourceId;
  const stack = Stack.of(flowLog);
  if (!Token.isUnresolved(id)) {
    return `${flowLog.resourceType} ${id} in ${stack.account}/${stack.region}`;
  }
  const token = Tokenization.reverse(id, { failConcat: false });
  if (token && Reference.isReference(token)) {
    return `${flowLog.resourceType} ${token.target.node.path} ${token.displayName}`;
  }
  return `${flowLog.resourceType} ${stack.node.path} ${JSON.stringify(stack.resolve(id))}`;
}

function describeResource(flowLog: ec2.CfnFlowLog): string {
  const kind = flowLog.resourceType === 'NetworkInterface' ? 'the network interface' : `the ${flowLog.resourceType === 'VPC' ? 'VPC' : 'subnet'}`;
  const id = flowLog.resourceId;
  if (!Token.isUnresolved(id)) {
    return `${kind} ${id}`;
  }
  const token = Tokenization.reverse(id, { failConcat: false });
  if (token && Reference.isReference(token)) {
    // Name the L2 (`Network/Vpc`) rather than its L1 (`Network/Vpc/Resource`).
    const owner = token.target.node.scope;
    return `${kind} ${owner?.node.defaultChild === token.target ? owner.node.path : token.target.node.path}`;
  }
  return `${kind} ${JSON.stringify(Stack.of(flowLog).resolve(id))}`;
}
