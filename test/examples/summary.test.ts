import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { summarizeAssembly } from '../../examples/summary';

test('summarizes the flow logs, log groups and delivery role of every stack', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-watch-example-'));
  // The aws-cdk CLI turns path metadata on; the summary names resources by it.
  buildExampleApp(new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } })).synth();

  const summary = summarizeAssembly(outdir).split('\n');

  expect(summary).toEqual(expect.arrayContaining([
    expect.stringMatching(/^FlowLogWatchNetwork: \d+ resources, 2 flow log\(s\)$/),
    '  flow log    VPC Vpc -> log group VpcWatch/LogGroup | traffic ALL, aggregation 60 s, 23 fields',
    '  flow log    NetworkInterface eni-0123456789abcdef0 -> log group EniWatch/LogGroup | traffic ALL, aggregation 60 s, 23 fields',
    '  log group   VpcWatch/LogGroup: retention 180 days, no KMS key, kept when removed from the stack',
    '  log group   EniWatch/LogGroup: retention 14 days, no KMS key, kept when removed from the stack',
    '  delivery    role FlowLogDeliveryRole/Role: trusts vpc-flow-logs.amazonaws.com when aws:SourceAccount and aws:SourceArn',
    '              managed policy FlowLogDeliveryRole/Policy: logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogStreams on VpcWatch/LogGroup, EniWatch/LogGroup',
    '  alarms      VpcWatch: 12 (PublicSshAccepted, PublicRejectedFlowsAnomaly, PublicEgressAnomaly, PrivateSshAccepted, PrivateRejectedFlows, '
      + 'PrivateEgressAnomaly, PrivateEgressCeiling, IsolatedSshAccepted, IsolatedRejectedFlows, IsolatedExternalEgress, SkippedRecords, DeliveryStopped)',
    '  alarms      EniWatch: 5 (PublicSshAccepted, PublicRejectedFlowsAnomaly, PublicEgressAnomaly, SkippedRecords, DeliveryStopped)',
    '              14 metric filters; every alarm notifies FlowLogAlarmTopic/Topic',
    '  detections  VpcWatch: 7 log alarms by source (PortScan, HostSweep, BruteForce, Exfiltration, MiningPool, UnusualEgressPort, IsolatedEgress)',
    '  detections  EniWatch: 5 log alarms by source (PortScan, HostSweep, BruteForce, Exfiltration, MiningPool)',
    expect.stringMatching(/^FlowLogWatchWorkload: \d+ resources, 2 flow log\(s\)$/),
    '  flow log    Subnet Vpc/PrivateSubnet1/Subnet -> log group SubnetWatch/LogGroup | traffic ALL, aggregation 60 s, 23 fields',
    '  flow log    Subnet Vpc/PrivateSubnet1/Subnet -> S3 FlowLogArchiveBucket/Bucket/flow-logs/FlowLogWatchWorkload/SubnetWatch/ (parquet, hourly partitions)'
      + ' | traffic ALL, aggregation 60 s, 23 fields',
    '  log group   SubnetWatch/LogGroup: retention 30 days, no KMS key, kept when removed from the stack',
    '  queries     13 saved Logs Insights queries in FlowLogs/FlowLogWatchNetwork, over 2 log group(s)',
    '  queries     13 saved Logs Insights queries in FlowLogs/FlowLogWatchWorkload, over 1 log group(s)',
    '  insights    SubnetWatch/ContributorInsights/TopTalkers: Contributor Insights rule FlowLogWatchWorkload-SubnetWatch-top-talkers (ENABLED)',
    '  dashboard   SubnetWatch/Dashboard/Dashboard: FlowLogWatchWorkload-SubnetWatch',
    '  archive     FlowLogArchiveBucket/Bucket: expires after 365 days, GLACIER_IR after 90 days, kept when removed from the stack',
  ]));
});
