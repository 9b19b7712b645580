/* eslint-disable @stylistic/max-len, @typescript-eslint/no-require-imports */
import { App, Aspects, AspectPriority, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmProfile, FlowLogBaseline, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole, TrafficAction, TrafficMetricValue, TrafficSignature,
} from '../../src';

/**
 * The bad-input table of the construct side (issue 10): one row per invalid or doubtful input,
 * with the message synth must give. `bad-input.test.ts` runs it.
 *
 * - `error`: building the input, then synthesizing the stack it returns (validations run at
 *   synth), fails with an `Error` (not a `TypeError`) whose message matches.
 * - `warning`: synth succeeds and the stack has a warning that matches (the user may mean it).
 *
 * Rows use only the public API, JavaScript-style where a row is about untyped callers (`as any`).
 */
export interface BadInput {
  /** The subsystem, as src/ names it. */
  readonly area: 'capture' | 'alarms' | 'archive' | 'governance';
  /** What is wrong, in words. */
  readonly input: string;
  readonly outcome: 'error' | 'warning';
  /** What the message must say: the prop, the value received, what is allowed. */
  readonly message: RegExp;
  /** Builds the input; returns the stack to synthesize, if synthesis is part of it. */
  readonly build: () => Stack | void;
}

const ENI = 'eni-0123456789abcdef0';

function stack(id = 'TestStack', app = new App()): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
}

function vpcOf(scope: Stack, id = 'Vpc', subnetConfiguration?: ec2.SubnetConfiguration[]): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 1,
    natGateways: subnetConfiguration ? 0 : 1,
    subnetConfiguration: subnetConfiguration ?? [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** A watch of a three-tier VPC with these props; returns its stack. */
function vpcWatch(props: Record<string, unknown> = {}): Stack {
  const s = stack();
  new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromVpc(vpcOf(s)), ...props } as any);
  return s;
}

/** A watch of one network interface (public role) with these props; returns its stack. */
function eniWatch(props: Record<string, unknown> = {}): Stack {
  const s = stack();
  new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC), ...props } as any);
  return s;
}

const anyValue = (x: unknown) => x as any;

export const BAD_INPUTS: BadInput[] = [
  // ---- capture: targets (JavaScript callers, imported IDs) ----
  {
    area: 'capture',
    input: 'FlowLogTarget.fromVpc(undefined)',
    outcome: 'error',
    message: /^`vpc` must be an ec2\.IVpc .*got undefined$/,
    build: () => { FlowLogTarget.fromVpc(anyValue(undefined)); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromVpc() given a VPC ID string',
    outcome: 'error',
    message: /^`vpc` must be an ec2\.IVpc .*got 'vpc-0123456789abcdef0'$/,
    build: () => { FlowLogTarget.fromVpc(anyValue('vpc-0123456789abcdef0')); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromSubnet(undefined)',
    outcome: 'error',
    message: /^`subnet` must be an ec2\.ISubnet .*got undefined$/,
    build: () => { FlowLogTarget.fromSubnet(anyValue(undefined)); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromSubnet() with the role as a string',
    outcome: 'error',
    message: /^`role` must be SubnetRole\.PUBLIC, SubnetRole\.PRIVATE or SubnetRole\.ISOLATED, got 'public'$/,
    build: () => { FlowLogTarget.fromSubnet(vpcOf(stack()).publicSubnets[0], anyValue('public')); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromNetworkInterfaceId(undefined, role)',
    outcome: 'error',
    message: /^`networkInterfaceId` must be 'eni-' followed by 8 or 17 lowercase hexadecimal digits .*got undefined$/,
    build: () => { FlowLogTarget.fromNetworkInterfaceId(anyValue(undefined), SubnetRole.PUBLIC); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromNetworkInterfaceId() with the role as a string',
    outcome: 'error',
    message: /^`role` must be SubnetRole\.PUBLIC, SubnetRole\.PRIVATE or SubnetRole\.ISOLATED, got 'private'$/,
    build: () => { FlowLogTarget.fromNetworkInterfaceId(ENI, anyValue('private')); },
  },
  {
    area: 'capture',
    input: 'a network interface ID in uppercase hexadecimal',
    outcome: 'error',
    message: /^`networkInterfaceId` must be 'eni-' followed by 8 or 17 lowercase hexadecimal digits .*got 'eni-0123456789ABCDEF0'$/,
    build: () => { FlowLogTarget.fromNetworkInterfaceId('eni-0123456789ABCDEF0', SubnetRole.PUBLIC); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromCfnVpc(undefined, role)',
    outcome: 'error',
    message: /^`vpc` must be an ec2\.CfnVPC, got undefined/,
    build: () => { FlowLogTarget.fromCfnVpc(anyValue(undefined), SubnetRole.PRIVATE); },
  },
  {
    area: 'capture',
    input: 'FlowLogTarget.fromCfnVpc() with the role as a string',
    outcome: 'error',
    message: /^`role` must be SubnetRole\.PUBLIC, SubnetRole\.PRIVATE or SubnetRole\.ISOLATED, got 'private'$/,
    build: () => { FlowLogTarget.fromCfnVpc(new ec2.CfnVPC(stack(), 'Legacy', { cidrBlock: '10.0.0.0/16' }), anyValue('private')); },
  },
  {
    area: 'capture',
    input: 'an imported subnet whose ID is not subnet- and hexadecimal digits',
    outcome: 'error',
    message: /^`subnet`: the subnet ID 'subnet-xyz' of TestStack\/Subnet must be 'subnet-' followed by 8 or 17 lowercase hexadecimal digits/,
    build: () => { FlowLogTarget.fromSubnet(ec2.Subnet.fromSubnetId(stack(), 'Subnet', 'subnet-xyz'), SubnetRole.PRIVATE); },
  },
  {
    area: 'capture',
    input: 'an imported subnet ID in uppercase hexadecimal',
    outcome: 'error',
    message: /^`subnet`: the subnet ID 'subnet-0123456789ABCDEF0' .* 8 or 17 lowercase hexadecimal digits/,
    build: () => { FlowLogTarget.fromSubnet(ec2.Subnet.fromSubnetId(stack(), 'Subnet', 'subnet-0123456789ABCDEF0'), SubnetRole.PRIVATE); },
  },
  {
    area: 'capture',
    input: 'an imported subnet ID of 16 hexadecimal digits',
    outcome: 'error',
    message: /^`subnet`: the subnet ID 'subnet-0123456789abcdef' .* 8 or 17 lowercase hexadecimal digits/,
    build: () => { FlowLogTarget.fromSubnet(ec2.Subnet.fromSubnetId(stack(), 'Subnet', 'subnet-0123456789abcdef'), SubnetRole.PRIVATE); },
  },
  {
    area: 'capture',
    input: 'an imported VPC with a malformed subnet ID',
    outcome: 'error',
    message: /^`vpc`: the subnet ID 'subnet-1234' of TestStack\/Imported must be 'subnet-' followed by 8 or 17/,
    build: () => {
      FlowLogTarget.fromVpc(ec2.Vpc.fromVpcAttributes(stack(), 'Imported', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1234'],
      }));
    },
  },
  {
    area: 'capture',
    input: 'an imported VPC with a malformed VPC ID',
    outcome: 'error',
    message: /^`vpc`: the vpc ID 'vpc-xyz' of TestStack\/Imported must be 'vpc-' followed by 8 or 17 lowercase hexadecimal digits/,
    build: () => {
      FlowLogTarget.fromVpc(ec2.Vpc.fromVpcAttributes(stack(), 'Imported', {
        vpcId: 'vpc-xyz', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'],
      }));
    },
  },

  // ---- capture: FlowLogWatch props ----
  {
    area: 'capture',
    input: 'new FlowLogWatch(scope, id, undefined)',
    outcome: 'error',
    message: /^`target` is required: FlowLogTarget\.fromVpc/,
    build: () => { new FlowLogWatch(stack(), 'Watch', anyValue(undefined)); },
  },
  {
    area: 'capture',
    input: '`target` given as a VPC ID string',
    outcome: 'error',
    message: /^`target` must be a FlowLogTarget: .*got 'vpc-0123456789abcdef0'$/,
    build: () => { new FlowLogWatch(stack(), 'Watch', { target: anyValue('vpc-0123456789abcdef0') }); },
  },
  {
    area: 'capture',
    input: '`logFormat` given as a string',
    outcome: 'error',
    message: /^`logFormat` must be a FlowLogFormat: .*got 'KIT'$/,
    build: () => { eniWatch({ logFormat: 'KIT' }); },
  },
  {
    area: 'capture',
    input: 'FlowLogFormat.fromFields() given field names',
    outcome: 'error',
    message: /^`logFormat\[0\]` must be a FlowLogField .*got 'version'$/,
    build: () => { FlowLogFormat.fromFields(anyValue(['version', 'srcaddr'])); },
  },
  {
    area: 'capture',
    input: 'FlowLogFormat.fromFieldNames() given one string',
    outcome: 'error',
    message: /^`logFormat` must be a list of field names .*got 'version srcaddr'$/,
    build: () => { FlowLogFormat.fromFieldNames(anyValue('version srcaddr')); },
  },
  {
    area: 'capture',
    input: '`trafficType` in lowercase',
    outcome: 'error',
    message: /^`trafficType` must be one of ACCEPT, ALL, REJECT, got 'reject'$/,
    build: () => { eniWatch({ trafficType: 'reject' }); },
  },
  {
    area: 'capture',
    input: '`removalPolicy: RemovalPolicy.SNAPSHOT` (a log group has no snapshots)',
    outcome: 'error',
    message: /^`removalPolicy` must be RemovalPolicy\.RETAIN, RemovalPolicy\.DESTROY or RemovalPolicy\.RETAIN_ON_UPDATE_OR_DELETE, got 'snapshot': .*not of a log group$/,
    build: () => { eniWatch({ removalPolicy: RemovalPolicy.SNAPSHOT }); },
  },
  {
    area: 'capture',
    input: '`removalPolicy` given as a made-up string',
    outcome: 'error',
    message: /^`removalPolicy` must be RemovalPolicy\.RETAIN, .* got 'keep'/,
    build: () => { eniWatch({ removalPolicy: 'keep' }); },
  },
  {
    area: 'capture',
    input: '`logGroupName` starting with the reserved aws/',
    outcome: 'error',
    message: /^`logGroupName` must not start with 'aws\/' \(reserved by AWS\), got 'aws\/flowlogs\/vpc'/,
    build: () => { eniWatch({ logGroupName: 'aws/flowlogs/vpc' }); },
  },
  {
    area: 'capture',
    input: '`flowLogName` of 257 characters (EC2 tag values: 256 at most)',
    outcome: 'error',
    message: /^`flowLogName` must be 1 to 256 characters, got 257 characters: it is the flow log's Name tag/,
    build: () => { eniWatch({ flowLogName: 'n'.repeat(257) }); },
  },
  {
    area: 'capture',
    input: '`flowLogName` of 250 characters with `archive` (its flow log adds " (archive)")',
    outcome: 'error',
    message: /^`flowLogName` must be 1 to 246 characters with `archive` \(the archive's flow log is named '<flowLogName> \(archive\)'\), got 250 characters/,
    build: () => { eniWatch({ flowLogName: 'n'.repeat(250), archive: {} }); },
  },
  {
    area: 'capture',
    input: 'an empty `flowLogName`',
    outcome: 'error',
    message: /^`flowLogName` must be 1 to 256 characters, got 0 characters/,
    build: () => { eniWatch({ flowLogName: '' }); },
  },
  {
    area: 'capture',
    input: '`alarmActions` given one action instead of a list',
    outcome: 'error',
    message: /^`alarmActions` must be a list of alarm actions .*got a SnsAction$/,
    build: () => {
      const s = stack();
      new FlowLogWatch(s, 'Watch', {
        target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC),
        alarmActions: anyValue(new cloudwatchActions.SnsAction(new sns.Topic(s, 'Topic'))),
      });
    },
  },

  // ---- capture: AWS's quota of 2 flow logs per VPC, subnet or network interface ----
  {
    area: 'capture',
    input: 'two watches of one VPC without allowAdditionalFlowLog',
    outcome: 'error',
    message: /`allowAdditionalFlowLog`: the VPC TestStack\/Vpc is watched by 2 FlowLogWatches \(TestStack\/A, TestStack\/B\)/,
    build: () => {
      const s = stack();
      const vpc = vpcOf(s);
      new FlowLogWatch(s, 'A', { target: FlowLogTarget.fromVpc(vpc) });
      new FlowLogWatch(s, 'B', { target: FlowLogTarget.fromVpc(vpc), trafficType: ec2.FlowLogTrafficType.REJECT });
      return s;
    },
  },
  {
    area: 'capture',
    input: 'two watches of one network interface in two stacks of one account and Region',
    outcome: 'error',
    message: /`allowAdditionalFlowLog`: the network interface eni-0123456789abcdef0 is watched by 2 FlowLogWatches \(Network\/Watch, Workload\/Watch\)/,
    build: () => {
      const app = new App();
      const network = stack('Network', app);
      new FlowLogWatch(network, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) });
      new FlowLogWatch(stack('Workload', app), 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) });
      return network;
    },
  },
  {
    area: 'capture',
    input: 'a watch with archive of a VPC that has a flow log of its own (3 flow logs)',
    outcome: 'error',
    message: /`target`: the VPC TestStack\/Vpc would have 3 flow logs \(.*\), over AWS's quota of 2 flow logs per VPC, subnet or network interface, which cannot be increased/,
    build: () => {
      const s = stack();
      const vpc = vpcOf(s);
      vpc.addFlowLog('Own');
      new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromVpc(vpc), archive: {} });
      return s;
    },
  },
  {
    area: 'capture',
    input: 'two archived watches of one VPC, both with allowAdditionalFlowLog (4 flow logs)',
    outcome: 'error',
    message: /`target`: the VPC TestStack\/Vpc would have 4 flow logs .*quota of 2 flow logs/,
    build: () => {
      const s = stack();
      const vpc = vpcOf(s);
      new FlowLogWatch(s, 'A', { target: FlowLogTarget.fromVpc(vpc), archive: {}, allowAdditionalFlowLog: true } as any);
      new FlowLogWatch(s, 'B', { target: FlowLogTarget.fromVpc(vpc), archive: {}, allowAdditionalFlowLog: true } as any);
      return s;
    },
  },
  {
    area: 'capture',
    input: 'a subnet watch of a subnet with two CfnFlowLogs already (3 flow logs)',
    outcome: 'error',
    message: /`target`: the subnet TestStack\/Vpc\/PrivateSubnet1 would have 3 flow logs/,
    build: () => {
      const s = stack();
      const subnet = vpcOf(s).privateSubnets[0];
      for (const id of ['One', 'Two']) {
        new ec2.CfnFlowLog(s, id, { resourceId: subnet.subnetId, resourceType: 'Subnet', trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::central-flow-logs' });
      }
      new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromSubnet(subnet) });
      return s;
    },
  },

  // ---- alarms: deploy-time limits ----
  {
    area: 'alarms',
    input: 'evaluationPeriods × period over 1 day with a period under an hour',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted\.evaluationPeriods` × `period` must be at most 1 day \(86,400 seconds\) for periods under an hour, got 289 × 5 minutes = 86,700 seconds/,
    build: () => { vpcWatch({ alarms: { publicSubnets: { sshAccepted: { evaluationPeriods: 289 } } } }); },
  },
  {
    area: 'alarms',
    input: 'evaluationPeriods × period over 7 days with a period of an hour or more',
    outcome: 'error',
    message: /^`alarms\.privateSubnets\.rejectedFlows\.evaluationPeriods` × `period` must be at most 7 days \(604,800 seconds\), got 85 × 2 hours = 612,000 seconds/,
    build: () => {
      vpcWatch({ alarms: { privateSubnets: { rejectedFlows: { period: Duration.hours(2), evaluationPeriods: 85, datapointsToAlarm: 1 } } } });
    },
  },
  {
    area: 'alarms',
    input: 'the deliveryStopped alarm evaluated over more than a day',
    outcome: 'error',
    message: /^`alarms\.deliveryStopped\.evaluationPeriods` × `period` must be at most 1 day .*got 300 × 5 minutes = 90,000 seconds/,
    build: () => { eniWatch({ alarms: { deliveryStopped: { evaluationPeriods: 300 } } }); },
  },
  {
    area: 'alarms',
    input: 'the skippedRecords alarm evaluated over more than 7 days',
    outcome: 'error',
    message: /^`alarms\.skippedRecords\.evaluationPeriods` × `period` must be at most 7 days .*got 8 × 1 day = 691,200 seconds/,
    build: () => { eniWatch({ alarms: { skippedRecords: { period: Duration.days(1), evaluationPeriods: 8 } } }); },
  },
  {
    area: 'alarms',
    input: 'a role alarm\'s treatMissingData not one of CloudWatch\'s values',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted\.treatMissingData` must be one of breaching, notBreaching, ignore, missing, got 'notbreaching'$/,
    build: () => { vpcWatch({ alarms: { publicSubnets: { sshAccepted: { treatMissingData: 'notbreaching' } } } }); },
  },
  {
    area: 'alarms',
    input: 'the deliveryStopped alarm\'s treatMissingData not one of CloudWatch\'s values',
    outcome: 'error',
    message: /^`alarms\.deliveryStopped\.treatMissingData` must be one of breaching, notBreaching, ignore, missing, got 'zero'$/,
    build: () => { eniWatch({ alarms: { deliveryStopped: { treatMissingData: 'zero' } } }); },
  },
  {
    area: 'alarms',
    input: 'a period given as a number of seconds (JavaScript)',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted\.period` must be a Duration \(e\.g\. Duration\.minutes\(5\)\), got 300$/,
    build: () => { eniWatch({ alarms: { publicSubnets: { sshAccepted: { period: 300 } } } }); },
  },
  {
    area: 'alarms',
    input: 'a period token given in minutes (CloudWatch takes seconds)',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted\.period` given as a token must be Duration\.seconds\(token\)/,
    build: () => { eniWatch({ alarms: { publicSubnets: { sshAccepted: { period: Duration.minutes(Token.asNumber({ Ref: 'Minutes' })) } } } }); },
  },

  // ---- alarms: no alarm that can never fire ----
  {
    area: 'alarms',
    input: 'trafficType REJECT with a threshold for the accepted-SSH alarm',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted` can never fire: it counts accepted traffic, and `trafficType` is REJECT.*got maxAcceptedSshBytes: 10/,
    build: () => {
      vpcWatch({ trafficType: ec2.FlowLogTrafficType.REJECT, alarms: { publicSubnets: { sshAccepted: { maxAcceptedSshBytes: 10 } } } });
    },
  },
  {
    area: 'alarms',
    input: 'trafficType REJECT with an accepted-traffic alarm switched on',
    outcome: 'error',
    message: /^`alarms\.isolatedSubnets\.egressAnomaly` can never fire: it counts accepted traffic, and `trafficType` is REJECT.*got enabled: true/,
    build: () => { vpcWatch({ trafficType: ec2.FlowLogTrafficType.REJECT, alarms: { isolatedSubnets: { egressAnomaly: { enabled: true } } } }); },
  },
  {
    area: 'alarms',
    input: 'trafficType ACCEPT with a threshold for the rejected-flows alarm',
    outcome: 'error',
    message: /^`alarms\.privateSubnets\.rejectedFlows` can never fire: it counts rejected traffic, and `trafficType` is ACCEPT.*got maxRejectedFlows: 5/,
    build: () => {
      vpcWatch({ trafficType: ec2.FlowLogTrafficType.ACCEPT, alarms: { privateSubnets: { rejectedFlows: { maxRejectedFlows: 5 } } } });
    },
  },
  {
    area: 'alarms',
    input: 'deliveryStopped with treatMissingData notBreaching (a stopped delivery is missing data)',
    outcome: 'warning',
    message: /`alarms\.deliveryStopped\.treatMissingData` is 'notBreaching': when delivery stops, no log events arrive .*never fires on a stopped flow log/,
    build: () => eniWatch({ alarms: { deliveryStopped: { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING } } }),
  },
  {
    area: 'alarms',
    input: 'deliveryStopped with treatMissingData ignore',
    outcome: 'warning',
    message: /`alarms\.deliveryStopped\.treatMissingData` is 'ignore'/,
    build: () => eniWatch({ alarms: { deliveryStopped: { treatMissingData: cloudwatch.TreatMissingData.IGNORE } } }),
  },
  {
    area: 'alarms',
    input: 'a custom signature reusing a built-in metric name with another definition',
    outcome: 'error',
    message: /^`metricName` 'RejectedFlows' is already used on TestStack\/Watch by another signature \(flows rejected by security groups or network ACLs\), got one that counts flows accepted/,
    build: () => {
      const s = stack();
      const watch = new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromVpc(vpcOf(s)) });
      watch.metric(TrafficSignature.custom({ metricName: 'RejectedFlows', action: TrafficAction.ACCEPT, value: TrafficMetricValue.FLOWS }), SubnetRole.PRIVATE);
    },
  },
  {
    area: 'alarms',
    input: 'two custom signatures of one metric name and different ports',
    outcome: 'error',
    message: /^`metricName` 'DbBytes' is already used on TestStack\/Watch by another signature \(bytes to port 5432\), got one that counts bytes to port 3306/,
    build: () => {
      const s = stack();
      const watch = new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) });
      watch.metric(TrafficSignature.custom({ metricName: 'DbBytes', destinationPorts: [5432] }));
      watch.metric(TrafficSignature.custom({ metricName: 'DbBytes', destinationPorts: [3306] }));
    },
  },
  {
    area: 'alarms',
    input: 'a custom signature with an empty destinationPorts list',
    outcome: 'error',
    message: /^`destinationPorts` must list at least one port, got an empty list; leave it out to match every port$/,
    build: () => { TrafficSignature.custom({ metricName: 'NoPorts', destinationPorts: [] }); },
  },
  {
    area: 'alarms',
    input: 'a custom signature with destinationPorts given as a string',
    outcome: 'error',
    message: /^`destinationPorts` must be a list of port numbers, got '22'$/,
    build: () => { TrafficSignature.custom({ metricName: 'Ssh', destinationPorts: anyValue('22') }); },
  },
  {
    area: 'alarms',
    input: 'a custom signature with action in lowercase (matches no record)',
    outcome: 'error',
    message: /^`action` must be one of ACCEPT, REJECT, got 'accept'$/,
    build: () => { TrafficSignature.custom({ metricName: 'Accepted', action: anyValue('accept') }); },
  },
  {
    area: 'alarms',
    input: 'a custom signature with a made-up direction',
    outcome: 'error',
    message: /^`direction` must be one of ingress, egress, got 'in'$/,
    build: () => { TrafficSignature.custom({ metricName: 'Inbound', direction: anyValue('in') }); },
  },
  {
    area: 'alarms',
    input: 'a custom signature with a made-up metric value',
    outcome: 'error',
    message: /^`value` must be one of bytes, packets, flows, got 'count'$/,
    build: () => { TrafficSignature.custom({ metricName: 'Counted', value: anyValue('count') }); },
  },
  {
    area: 'alarms',
    input: 'TrafficSignature.custom(undefined)',
    outcome: 'error',
    message: /^TrafficSignature\.custom\(\) needs options with at least a `metricName`, got undefined$/,
    build: () => { TrafficSignature.custom(anyValue(undefined)); },
  },
  {
    area: 'alarms',
    input: 'watch.metric() given a metric name instead of a signature',
    outcome: 'error',
    message: /^`signature` must be a TrafficSignature .*got 'RejectedFlows'$/,
    build: () => {
      const s = stack();
      new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromNetworkInterfaceId(ENI, SubnetRole.PUBLIC) }).metric(anyValue('RejectedFlows'));
    },
  },
  {
    area: 'alarms',
    input: 'alarms.publicSubnets on a VPC with isolated subnets only',
    outcome: 'warning',
    message: /`alarms\.publicSubnets` is set, but VPC TestStack\/Vpc has no public subnets \(it covers: isolated\): these overrides apply to nothing/,
    build: () => {
      const s = stack();
      const vpc = vpcOf(s, 'Vpc', [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }]);
      new FlowLogWatch(s, 'Watch', { target: FlowLogTarget.fromVpc(vpc), alarms: { publicSubnets: { sshAccepted: { maxAcceptedSshBytes: 10 } } } });
      return s;
    },
  },
  {
    area: 'alarms',
    input: 'alarms.privateSubnets on a network interface watched as public',
    outcome: 'warning',
    message: /`alarms\.privateSubnets` is set, but network interface eni-0123456789abcdef0 has no private subnets \(it covers: public\)/,
    build: () => eniWatch({ alarms: { privateSubnets: { rejectedFlows: { enabled: false } } } }),
  },
  {
    area: 'alarms',
    input: 'an alarm\'s options given as `true` (JavaScript)',
    outcome: 'error',
    message: /^`alarms\.publicSubnets\.sshAccepted` must be an object of alarm settings \(e\.g\. \{ enabled: false \}\), got true$/,
    build: () => { eniWatch({ alarms: { publicSubnets: { sshAccepted: true } } }); },
  },
  {
    area: 'alarms',
    input: '`alarms` given as a string',
    outcome: 'error',
    message: /^`alarms` must be an object of alarm settings .*got 'off'$/,
    build: () => { eniWatch({ alarms: 'off' }); },
  },
  {
    area: 'alarms',
    input: 'a health alarm\'s options given as `false` (JavaScript)',
    outcome: 'error',
    message: /^`alarms\.deliveryStopped` must be an object of alarm settings \(e\.g\. \{ enabled: false \}\), got false$/,
    build: () => { eniWatch({ alarms: { deliveryStopped: false } }); },
  },
  {
    area: 'alarms',
    input: 'AlarmProfile.forRole() given the role as a string',
    outcome: 'error',
    message: /^`role` must be SubnetRole\.PUBLIC, SubnetRole\.PRIVATE or SubnetRole\.ISOLATED, got 'public'$/,
    build: () => { AlarmProfile.forRole(anyValue('public')); },
  },

  // ---- archive ----
  {
    area: 'archive',
    input: 'coldStorageAfter leaving objects less than 90 days in Glacier Instant Retrieval',
    outcome: 'warning',
    message: /`archive\.coldStorageAfter` \(330 days\) leaves archived flow logs 65 days in S3 Glacier Instant Retrieval before they are deleted .*90-day minimum storage duration/,
    build: () => eniWatch({ archive: { coldStorageAfter: Duration.days(330) } }),
  },
  {
    area: 'archive',
    input: 'coldStorageAfter not before the expiration',
    outcome: 'error',
    message: /^`archive\.coldStorageAfter` must be a whole number of days, at least 0 and less than the expiration \(365 days\), got 400 days/,
    build: () => { eniWatch({ archive: { coldStorageAfter: Duration.days(400) } }); },
  },
  {
    area: 'archive',
    input: 'coldStorageAfter of half a day (lifecycle rules count whole days)',
    outcome: 'error',
    message: /^`archive\.coldStorageAfter` must be a whole number of days, at least 0 and less than the expiration \(365 days\), got 12 hours/,
    build: () => { eniWatch({ archive: { coldStorageAfter: Duration.hours(12) } }); },
  },
  {
    area: 'archive',
    input: 'an expiration token given in hours (S3 counts in days)',
    outcome: 'error',
    message: /^`archive\.expiration` given as a token must be Duration\.days\(token\)/,
    build: () => { eniWatch({ archive: { expiration: Duration.hours(Token.asNumber({ Ref: 'Hours' })) } }); },
  },
  {
    area: 'archive',
    input: 'an expiration given as a number of days (JavaScript)',
    outcome: 'error',
    message: /^`archive\.expiration` must be a Duration \(e\.g\. Duration\.minutes\(5\)\), got 365$/,
    build: () => { eniWatch({ archive: { expiration: 365 } }); },
  },
  {
    area: 'archive',
    input: '`archive.removalPolicy: RemovalPolicy.SNAPSHOT` (a bucket has no snapshots)',
    outcome: 'error',
    message: /^`archive\.removalPolicy` must be RemovalPolicy\.RETAIN, RemovalPolicy\.DESTROY or RemovalPolicy\.RETAIN_ON_UPDATE_OR_DELETE, got 'snapshot': .*not of an S3 bucket$/,
    build: () => { eniWatch({ archive: { removalPolicy: RemovalPolicy.SNAPSHOT } }); },
  },
  {
    area: 'archive',
    input: '`archive: true` (JavaScript)',
    outcome: 'error',
    message: /^`archive` must be an object of archive options \(\{\} for the defaults\), got true$/,
    build: () => { eniWatch({ archive: true }); },
  },

  // ---- governance ----
  {
    area: 'governance',
    input: 'a second FlowLogBaseline with other options over the same VPCs',
    outcome: 'warning',
    message: /FlowLogBaseline: Network\/Vpc is already watched by another FlowLogBaseline \(Network\/Vpc\/FlowLogWatch\), so this baseline's options are not applied to it, and they differ \(retention\)/,
    build: () => {
      const app = new App();
      const network = stack('Network', app);
      vpcOf(network);
      Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
      Aspects.of(network).add(new FlowLogBaseline({ retention: logs.RetentionDays.ONE_MONTH }), { priority: AspectPriority.MUTATING });
      return network;
    },
  },
  {
    area: 'governance',
    input: 'a FlowLogBaseline defaultRole given as a string',
    outcome: 'error',
    message: /^`role` must be SubnetRole\.PUBLIC, SubnetRole\.PRIVATE or SubnetRole\.ISOLATED, got 'private'$/,
    build: () => {
      const s = stack();
      new ec2.CfnVPC(s, 'Legacy', { cidrBlock: '10.0.0.0/16' });
      Aspects.of(s).add(new FlowLogBaseline({ defaultRole: anyValue('private') }), { priority: AspectPriority.MUTATING });
      return s;
    },
  },
];
