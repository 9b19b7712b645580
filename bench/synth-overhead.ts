/**
 * Synth overhead of the kit against the same resources written by hand with aws-cdk-lib L2s.
 *
 *   npx ts-node --project test/tsconfig.json bench/synth-overhead.ts [--vpcs N] [--runs R]
 *
 * Each app has N env-agnostic stacks, each holding one 3-AZ VPC (public, private-with-egress and
 * isolated subnets, one NAT gateway) that is fully monitored: one stack per VPC, so every VPC gets
 * its own delivery role and alarm topic, as a "one watch per stack" user would have.
 *
 * - "kit":          new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(vpc), queryDefinitions: false, detections: { enabled: false } })
 *                   (the saved queries, 13 per stack, have no hand-written counterpart here)
 * - "hand-written": the same log group, delivery role + managed policy, flow log, metric filters,
 *                   alarms, SNS topic + KMS key, written with aws-cdk-lib L2s directly.
 *
 * The two apps must synthesize the same resource counts by type and the same filter patterns
 * (checked once, on the warm-up run; the script fails if they differ). Then each app is built and
 * synthesized R times, alternating which goes first; the time covers construction and
 * `app.synth()` (into a temp dir; reading the templates back is not timed). Writes bench/results/synth-overhead.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { FlowLogTarget, FlowLogWatch } from '../src';

const AWS_CDK_LIB_VERSION: string = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;

const GOAL_RATIO = 1.10;
const GOAL_RESOURCES_PER_VPC = 30;
const RESULTS_FILE = path.join(__dirname, 'results', 'synth-overhead.json');

type Variant = 'kit' | 'hand-written';
type Counts = Record<string, number>;
interface Resource { readonly Type: string; readonly Properties?: any }

// ---------------------------------------------------------------------------------------------
// The apps
// ---------------------------------------------------------------------------------------------

function addVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function addKit(stack: Stack, vpc: ec2.Vpc): void {
  new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(vpc), queryDefinitions: false, detections: { enabled: false } });
}

/** Builds an app of `vpcs` stacks, each with one VPC and (unless 'vpc-only') its monitoring. */
function buildApp(variant: Variant | 'vpc-only', vpcs: number, outdir: string): App {
  const app = new App({ outdir });
  for (let i = 0; i < vpcs; i++) {
    const stack = new Stack(app, `Network${i}`);
    const vpc = addVpc(stack);
    if (variant === 'kit') addKit(stack, vpc);
    if (variant === 'hand-written') addHandWritten(stack, vpc);
  }
  return app;
}

// ---------------------------------------------------------------------------------------------
// The hand-written equivalent
// ---------------------------------------------------------------------------------------------

const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
const PERIOD = Duration.minutes(5);

const LOG_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} '
  + '${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} '
  + '${type} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';

/** `subnet_id="a" || subnet_id="b" || …` for the subnets of one role. */
function subnetIs(subnets: ec2.ISubnet[]): string {
  return subnets.map(s => `subnet_id="${s.subnetId}"`).join(' || ');
}

const sshAccepted = (subnets: ec2.ISubnet[]) =>
  `[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport=22, protocol=6, packets, bytes, start, end, action="ACCEPT", log_status="OK", vpc_id, ${subnetIs(subnets)}, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction="ingress", traffic_path]`;
const rejectedFlows = (subnets: ec2.ISubnet[]) =>
  `[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action="REJECT", log_status="OK", vpc_id, ${subnetIs(subnets)}, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction, traffic_path]`;
const egressBytes = (subnets: ec2.ISubnet[]) =>
  `[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action="ACCEPT", log_status="OK", vpc_id, ${subnetIs(subnets)}, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction="egress", traffic_path]`;
const externalEgressBytes = (subnets: ec2.ISubnet[]) =>
  `[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action="ACCEPT", log_status="OK", vpc_id, ${subnetIs(subnets)}, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction="egress", traffic_path>1 && traffic_path!=7]`;
const SKIPPED_RECORDS = '[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action, log_status="SKIPDATA", vpc_id, subnet_id, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction, traffic_path]';

interface Monitor {
  readonly scope: Construct;
  readonly logGroup: logs.LogGroup;
  readonly namespace: string;
  readonly action: cloudwatch.IAlarmAction;
}

function addHandWritten(stack: Stack, vpc: ec2.Vpc): void {
  const scope = new Construct(stack, 'Watch');
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    retention: logs.RetentionDays.SIX_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const role = new iam.Role(stack, 'FlowLogDeliveryRole', {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
    }),
  });
  const policy = new iam.ManagedPolicy(stack, 'FlowLogDeliveryPolicy', {
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    })],
    roles: [role],
  });
  const flowLog = new ec2.FlowLog(scope, 'FlowLog', {
    resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
    destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
    trafficType: ec2.FlowLogTrafficType.ALL,
    maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    logFormat: [ec2.LogFormat.custom(LOG_FORMAT)],
  });
  flowLog.node.addDependency(policy);

  const m: Monitor = {
    scope,
    logGroup,
    namespace: `FlowLogs/${scope.node.path}`,
    action: new cloudwatchActions.SnsAction(addAlarmTopic(stack)),
  };

  const publicSsh = addFilter(m, 'PublicSshAcceptedBytes', sshAccepted(vpc.publicSubnets), '$bytes');
  const publicRejected = addFilter(m, 'PublicRejectedFlows', rejectedFlows(vpc.publicSubnets), '1');
  const publicEgress = addFilter(m, 'PublicEgressBytes', egressBytes(vpc.publicSubnets), '$bytes');
  addStaticAlarm(m, 'PublicSshAccepted', publicSsh, 0, 1, 1);
  addAnomalyAlarm(m, 'PublicRejectedFlowsAnomaly', publicRejected);
  addAnomalyAlarm(m, 'PublicEgressAnomaly', publicEgress);

  const privateSsh = addFilter(m, 'PrivateSshAcceptedBytes', sshAccepted(vpc.privateSubnets), '$bytes');
  const privateRejected = addFilter(m, 'PrivateRejectedFlows', rejectedFlows(vpc.privateSubnets), '1');
  const privateEgress = addFilter(m, 'PrivateEgressBytes', egressBytes(vpc.privateSubnets), '$bytes');
  addStaticAlarm(m, 'PrivateSshAccepted', privateSsh, 0, 1, 1);
  addStaticAlarm(m, 'PrivateRejectedFlows', privateRejected, 100, 3, 2);
  addAnomalyAlarm(m, 'PrivateEgressAnomaly', privateEgress);
  addStaticAlarm(m, 'PrivateEgressCeiling', privateEgress, 5 * GIB, 1, 1);

  const isolatedSsh = addFilter(m, 'IsolatedSshAcceptedBytes', sshAccepted(vpc.isolatedSubnets), '$bytes');
  const isolatedRejected = addFilter(m, 'IsolatedRejectedFlows', rejectedFlows(vpc.isolatedSubnets), '1');
  const isolatedExternal = addFilter(m, 'IsolatedExternalEgressBytes', externalEgressBytes(vpc.isolatedSubnets), '$bytes');
  addStaticAlarm(m, 'IsolatedSshAccepted', isolatedSsh, 0, 1, 1);
  addStaticAlarm(m, 'IsolatedRejectedFlows', isolatedRejected, 10, 3, 2);
  addStaticAlarm(m, 'IsolatedExternalEgress', isolatedExternal, MIB, 1, 1);

  const skipped = addFilter(m, 'SkippedRecords', SKIPPED_RECORDS, '1');
  addStaticAlarm(m, 'SkippedRecords', skipped, 0, 1, 1);
  new cloudwatch.Alarm(scope, 'DeliveryStoppedAlarm', {
    alarmDescription: `No flow-log events reached ${scope.node.path}/LogGroup: the flow log or its role is broken`,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Logs',
      metricName: 'IncomingLogEvents',
      dimensionsMap: { LogGroupName: logGroup.logGroupName },
      statistic: cloudwatch.Stats.SUM,
      period: PERIOD,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  }).addAlarmAction(m.action);
}

function addAlarmTopic(stack: Stack): sns.Topic {
  const fromAlarmsOfThisAccount = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
  };
  const key = new kms.Key(stack, 'AlarmTopicKey', { enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: fromAlarmsOfThisAccount,
  }));
  const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: fromAlarmsOfThisAccount,
  }));
  return topic;
}

function addFilter(m: Monitor, metricName: string, pattern: string, metricValue: string): cloudwatch.Metric {
  return new logs.MetricFilter(m.scope, `${metricName}Filter`, {
    logGroup: m.logGroup,
    filterPattern: logs.FilterPattern.literal(pattern),
    metricNamespace: m.namespace,
    metricName,
    metricValue,
    defaultValue: 0,
  }).metric({ statistic: cloudwatch.Stats.SUM, period: PERIOD });
}

function addStaticAlarm(m: Monitor, name: string, metric: cloudwatch.Metric, threshold: number,
  evaluationPeriods: number, datapointsToAlarm: number): void {
  new cloudwatch.Alarm(m.scope, `${name}Alarm`, {
    alarmDescription: `${name} in ${m.scope.node.path}: above ${threshold}`,
    metric,
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(m.action);
}

function addAnomalyAlarm(m: Monitor, name: string, metric: cloudwatch.Metric): void {
  new cloudwatch.AnomalyDetectionAlarm(m.scope, `${name}Alarm`, {
    alarmDescription: `${name} in ${m.scope.node.path}: above the band of 3 standard deviations`,
    metric,
    stdDevs: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(m.action);
}

// ---------------------------------------------------------------------------------------------
// Measuring and checking
// ---------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): { vpcs: number; runs: number } {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number of 1 or more, got '${argv[i + 1]}'`);
    return n;
  };
  return { vpcs: value('--vpcs', 10), runs: value('--runs', 5) };
}

/** A full collection between measurements, so one app's garbage is not collected on the other's clock. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

interface Synthesized {
  /** Construction and `app.synth()`, in milliseconds. */
  readonly ms: number;
  /** Every resource of every stack. */
  readonly resources: Resource[];
}

/** Builds and synthesizes an app into a temp dir, timing both; reads the templates back untimed. */
function timeSynth(variant: Variant | 'vpc-only', vpcs: number): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-overhead-'));
  try {
    collectGarbage();
    const start = process.hrtime.bigint();
    const assembly = buildApp(variant, vpcs, outdir).synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { ms, resources: resourcesOf(assembly) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function resourcesOf(assembly: CloudAssembly): Resource[] {
  return assembly.stacks.flatMap(s => Object.values(s.template.Resources ?? {}) as Resource[]);
}

function countByType(resources: Resource[]): Counts {
  const counts: Counts = {};
  for (const r of resources) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

function total(counts: Counts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function filterPatterns(resources: Resource[]): string[] {
  return resources
    .filter(r => r.Type === 'AWS::Logs::MetricFilter')
    .map(r => JSON.stringify(r.Properties.FilterPattern))
    .sort();
}

/** Fails loudly unless both apps have the same resources by type and the same filter patterns. */
function checkEquivalent(kit: Resource[], hand: Resource[]): { kit: Counts; hand: Counts } {
  const k = countByType(kit);
  const h = countByType(hand);
  const types = [...new Set([...Object.keys(k), ...Object.keys(h)])].sort();
  console.log('resource counts by type (whole app)');
  console.log(`  ${'type'.padEnd(38)} ${'kit'.padStart(5)} ${'hand'.padStart(5)}`);
  for (const t of types) {
    console.log(`  ${t.padEnd(38)} ${String(k[t] ?? 0).padStart(5)} ${String(h[t] ?? 0).padStart(5)}${(k[t] ?? 0) === (h[t] ?? 0) ? '' : '  <-- DIFFERS'}`);
  }
  console.log(`  ${'total'.padEnd(38)} ${String(total(k)).padStart(5)} ${String(total(h)).padStart(5)}`);
  const differing = types.filter(t => k[t] !== h[t]);
  if (differing.length > 0) {
    throw new Error(`the two apps differ in resource counts (${differing.join(', ')}): the comparison is not like for like`);
  }
  const kp = filterPatterns(kit);
  const hp = filterPatterns(hand);
  const mismatch = kp.findIndex((p, i) => p !== hp[i]);
  if (mismatch >= 0) {
    throw new Error(`the two apps differ in filter patterns:\n  kit:  ${kp[mismatch]}\n  hand: ${hp[mismatch]}`);
  }
  console.log(`  filter patterns: ${kp.length} in each app, identical`);
  return { kit: k, hand: h };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function main(): void {
  const { vpcs, runs } = parseArgs(process.argv.slice(2));
  console.log(`synth overhead: ${vpcs} stacks x one 3-AZ VPC each, ${runs} runs after 1 warm-up of each `
    + `(node ${process.version}, ${os.cpus().length} CPUs, aws-cdk-lib ${AWS_CDK_LIB_VERSION})`);

  const warmKit = timeSynth('kit', vpcs);
  const warmHand = timeSynth('hand-written', vpcs);
  console.log(`warm-up: kit ${warmKit.ms.toFixed(0)} ms, hand-written ${warmHand.ms.toFixed(0)} ms`);
  const counts = checkEquivalent(warmKit.resources, warmHand.resources);

  const vpcOnlyResources = timeSynth('vpc-only', 1).resources.length;
  const kitResourcesPerVpc = timeSynth('kit', 1).resources.length - vpcOnlyResources;

  const times: Record<Variant, number[]> = { 'kit': [], 'hand-written': [] };
  for (let i = 0; i < runs; i++) {
    const order: Variant[] = i % 2 === 0 ? ['kit', 'hand-written'] : ['hand-written', 'kit'];
    for (const variant of order) times[variant].push(timeSynth(variant, vpcs).ms);
  }

  const stats = (xs: number[]) => ({ medianMs: median(xs), minMs: Math.min(...xs), runsMs: xs.map(x => Math.round(x * 10) / 10) });
  const kit = stats(times.kit);
  const hand = stats(times['hand-written']);
  const ratio = kit.medianMs / hand.medianMs;

  console.log();
  console.log(`  ${'app'.padEnd(14)} ${'median ms'.padStart(10)} ${'min ms'.padStart(10)}   runs (ms)`);
  for (const [name, s] of [['kit', kit], ['hand-written', hand]] as const) {
    console.log(`  ${name.padEnd(14)} ${s.medianMs.toFixed(1).padStart(10)} ${s.minMs.toFixed(1).padStart(10)}   ${s.runsMs.join(', ')}`);
  }
  console.log();
  console.log(`  ratio kit/hand-written (median): ${ratio.toFixed(3)}   goal <= ${GOAL_RATIO.toFixed(2)}: ${ratio <= GOAL_RATIO ? 'met' : 'NOT MET'}`);
  console.log(`  kit resources per fully monitored 3-AZ VPC: ${kitResourcesPerVpc} (VPC alone: ${vpcOnlyResources})   `
    + `goal <= ${GOAL_RESOURCES_PER_VPC}: ${kitResourcesPerVpc <= GOAL_RESOURCES_PER_VPC ? 'met' : 'NOT MET'}`);

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({
    date: new Date().toISOString(),
    layout: 'one env-agnostic stack per VPC',
    vpcs,
    runs,
    node: process.version,
    cpus: os.cpus().length,
    awsCdkLib: AWS_CDK_LIB_VERSION,
    kit,
    handWritten: hand,
    ratioMedian: ratio,
    goalRatio: GOAL_RATIO,
    kitResourcesPerVpc,
    vpcOnlyResources,
    goalResourcesPerVpc: GOAL_RESOURCES_PER_VPC,
    resourceCounts: counts,
  }, null, 2) + '\n');
  console.log(`  written: ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main();
