import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { SubnetRole } from '../../capture/subnet-role';
import { FlowLogAlarmKind, ResolvedFlowLogAlarm } from '../alarm-profile';

const WHY: Record<FlowLogAlarmKind, Record<string, string>> = {
  [FlowLogAlarmKind.SSH_ACCEPTED]: {
    public: 'A public subnet is scanned by the internet all day: accepted SSH means a security group or network ACL lets SSH in from outside.',
    private: 'Private subnets should not take SSH: accepted SSH means someone reached an instance shell, legitimately or not.',
    isolated: 'Isolated subnets hold data stores that nobody should log into: accepted SSH is a path to the data.',
  },
  [FlowLogAlarmKind.RDP_ACCEPTED]: {
    public: 'RDP open to the internet is one of the most attacked services: a security group or network ACL lets it in.',
    private: 'Private subnets should not take RDP: accepted RDP means someone reached a Windows desktop.',
    isolated: 'Isolated subnets should not take RDP at all.',
  },
  [FlowLogAlarmKind.REJECTED_FLOWS]: {
    public: 'Rejected flows above the ceiling: more than the internet\'s usual background of scans.',
    private: 'Private subnets should be quiet: rejects mean something inside the VPC probes ports or is misconfigured.',
    isolated: 'Isolated subnets should be quieter still: rejects mean probing or a misrouted workload.',
  },
  [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: {
    public: 'Scanning is normal on public subnets, so rejects are judged against their usual band: this is well above it (a targeted scan or an attack).',
    private: 'Rejects well above their usual band: probing or a broken deployment.',
    isolated: 'Rejects well above their usual band: probing or a broken deployment.',
  },
  [FlowLogAlarmKind.EGRESS_ANOMALY]: {
    public: 'Egress well above its usual band: possible exfiltration, a compromised host serving or attacking others, or a runaway job.',
    private: 'Egress well above its usual band: possible exfiltration through the NAT gateway, or a runaway job.',
    isolated: 'Egress well above its usual band: data leaving the data tier in unusual volume.',
  },
  [FlowLogAlarmKind.EGRESS_CEILING]: {
    public: 'Egress above the hard ceiling, whatever the usual band says.',
    private: 'Egress above the hard ceiling, whatever the usual band says: exfiltration or a runaway job.',
    isolated: 'Egress above the hard ceiling.',
  },
  [FlowLogAlarmKind.EXTERNAL_EGRESS]: {
    public: 'Bytes leaving the VPC above the threshold.',
    private: 'Bytes leaving the VPC above the threshold.',
    isolated: 'Isolated subnets should not talk to the outside at all: bytes are leaving the VPC (peering, VPN, internet), not to a gateway endpoint.',
  },
};

const FIRST_LOOK: Record<FlowLogAlarmKind, string> = {
  [FlowLogAlarmKind.SSH_ACCEPTED]: 'search the log group for dstport 22 and ACCEPT to find the source addresses and interfaces, then the security groups that allow TCP 22',
  [FlowLogAlarmKind.RDP_ACCEPTED]: 'search the log group for dstport 3389 and ACCEPT to find the source addresses and interfaces, then the security groups that allow TCP 3389',
  [FlowLogAlarmKind.REJECTED_FLOWS]: 'search the log group for REJECT, grouped by srcaddr and dstport, to see who knocks on which port',
  [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: 'search the log group for REJECT, grouped by srcaddr and dstport, to see who knocks on which port',
  [FlowLogAlarmKind.EGRESS_ANOMALY]: 'sum bytes of egress ACCEPT records by interface-id and dstaddr to find the talker and where the data goes',
  [FlowLogAlarmKind.EGRESS_CEILING]: 'sum bytes of egress ACCEPT records by interface-id and dstaddr to find the talker and where the data goes',
  [FlowLogAlarmKind.EXTERNAL_EGRESS]: 'sum bytes of egress ACCEPT records by interface-id, dstaddr and traffic-path to see what leaves the VPC and by which path',
};

/**
 * What fired, why it matters for the role, and the first thing to look at.
 */
export function describeRoleAlarm(alarm: ResolvedFlowLogAlarm, role: SubnetRole, target: string, logGroup: string): string {
  const what = alarm.anomalyDetection
    ? `${role.label} subnets of ${target}: ${alarm.signature.description} above the anomaly band of ${num(alarm.anomalyBandWidth!)} standard deviations`
    : `${role.label} subnets of ${target}: ${alarm.signature.description} above ${num(alarm.threshold!)}`;
  const when = `in ${num(alarm.datapointsToAlarm)} of ${num(alarm.evaluationPeriods)} periods of ${describePeriod(alarm.period)}.`;
  return fitDescription(`${what} ${when} ${WHY[alarm.kind][role.name]} First look: in ${logGroup}, ${FIRST_LOOK[alarm.kind]}.`);
}

export function describeSkippedRecords(target: string, logGroup: string, threshold: number): string {
  return fitDescription(`Flow logs of ${target}: more than ${num(threshold)} SKIPDATA records. The flow-log service skipped records (capacity or internal error), `
    + `so traffic went unrecorded and alarms may have missed it. First look: in ${logGroup}, search for SKIPDATA by interface-id; `
    + 'persistent skips on one interface point at very high flow counts.');
}

export function describeDeliveryStopped(target: string, logGroup: string): string {
  return fitDescription(`Flow logs of ${target}: fewer log events than expected reached ${logGroup}. NODATA records keep arriving while interfaces exist, `
    + 'so silence means the flow log, its delivery role or its target is broken, and every other flow-log alarm is blind. '
    + 'First look: the flow log\'s status and DeliverLogsErrorMessage (aws ec2 describe-flow-logs), then the delivery role\'s trust and policy.');
}

// AlarmDescription: at most 1,024 characters (the CloudWatch API model, "AlarmDescription": {"max": 1024}).
const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * The description, cut at 1,024 characters with `…` when long construct paths make it longer
 * (a generated text, not a user's value).
 */
export function fitDescription(text: string): string {
  const chars = [...text];
  // A text with tokens is not cut: a cut token would not resolve.
  if (chars.length <= MAX_DESCRIPTION_LENGTH || Token.isUnresolved(text)) {
    return text;
  }
  return chars.slice(0, MAX_DESCRIPTION_LENGTH - 1).join('') + '…';
}

/** A number as text; a token stays a token (rendered by CloudFormation), not its placeholder value. */
export function num(n: number): string {
  return Token.isUnresolved(n) ? Tokenization.stringifyNumber(n) : `${n}`;
}

function describePeriod(period: Duration): string {
  return period.isUnresolved() ? `${Tokenization.stringifyNumber(period.toSeconds())} seconds` : `${period.toMinutes()} min`;
}
