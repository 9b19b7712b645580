import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../../examples/app';
import { SpaceDelimitedPattern } from '../../../src/replay/engine/filter-pattern';
import { readTemplateModel, resolveString } from '../../../src/replay/engine/template-model';

const app = buildExampleApp(new App());
const network = Template.fromStack(app.node.findChild('FlowLogWatchNetwork') as any).toJSON();
const subnetRefs = Object.fromEntries(Object.entries<any>(network.Resources)
  .filter(([, r]) => r.Type === 'AWS::EC2::Subnet').map(([id], i) => [id, `subnet-${String(i).padStart(17, '0')}`]));

test('reads every metric filter and alarm of the example network stack', () => {
  const model = readTemplateModel(network, subnetRefs);
  expect(model.metricFilters).toHaveLength(14);
  expect(model.alarms).toHaveLength(17);
  expect(model.metricFilters.every(f => f.unresolved.length === 0 && f.pattern !== undefined)).toBe(true);
});

test('resolves the subnet IDs of a role filter through the map, so the pattern parses and matches', () => {
  const model = readTemplateModel(network, subnetRefs);
  const ssh = model.metricFilters.find(f => f.metricName === 'PublicSshAcceptedBytes' && f.logicalId.startsWith('VpcWatch'))!;
  expect(ssh).toMatchObject({ metricNamespace: 'FlowLogs/FlowLogWatchNetwork/VpcWatch', metricValue: '$bytes', defaultValue: 0 });
  const publicSubnet = subnetRefs[Object.keys(subnetRefs).find(id => id.startsWith('VpcPublicSubnet1'))!];
  expect(ssh.pattern).toContain(`subnet_id="${publicSubnet}"`);
  const pattern = SpaceDelimitedPattern.parse(ssh.pattern!);
  const record = `5 123456789012 eni-0123456789abcdef0 203.0.113.7 10.0.0.5 50000 22 6 10 4249 1700000000 1700000060 ACCEPT OK vpc-1 ${publicSubnet} i-1 2 IPv4 203.0.113.7 10.0.0.5 ingress -`;
  expect(pattern.matchesEvent(record)).toBe(true);
  expect(pattern.metricValue('$bytes', record)).toBe(4249);
});

test('reports the references it cannot resolve instead of guessing', () => {
  const model = readTemplateModel(network, {});
  const ssh = model.metricFilters.find(f => f.metricName === 'PrivateSshAcceptedBytes' && f.logicalId.startsWith('VpcWatch'))!;
  expect(ssh.pattern).toBeUndefined();
  expect(ssh.unresolved).toEqual([expect.stringMatching(/^VpcPrivateSubnet1Subnet/), expect.stringMatching(/^VpcPrivateSubnet2Subnet/), expect.stringMatching(/^VpcPrivateSubnet3Subnet/)]);
  const eniSsh = model.metricFilters.find(f => f.metricName === 'PublicSshAcceptedBytes' && f.logicalId.startsWith('EniWatch'))!;
  expect(eniSsh.unresolved).toEqual([]);
});

test('static alarms carry their evaluation settings; anomaly and dimensioned alarms are marked not simulated', () => {
  const model = readTemplateModel(network, subnetRefs);
  const rejected = model.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-private-rejected-flows')!;
  expect(rejected).toEqual(expect.objectContaining({
    metricNamespace: 'FlowLogs/FlowLogWatchNetwork/VpcWatch',
    metricName: 'PrivateRejectedFlows',
    statistic: 'Sum',
    periodSeconds: 300,
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
  }));
  expect(rejected.notSimulated).toBeUndefined();
  expect(model.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-public-egress-anomaly')!.notSimulated)
    .toBe('anomaly detection: its band is learned by CloudWatch from history');
  // The log group's own IncomingLogEvents is replayed from the records' arrival: read with its settings.
  const delivery = model.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-delivery-stopped')!;
  expect(delivery).toEqual(expect.objectContaining({
    metricNamespace: 'AWS/Logs',
    metricName: 'IncomingLogEvents',
    statistic: 'Sum',
    periodSeconds: 300,
    threshold: 1,
    comparisonOperator: 'LessThanThreshold',
    evaluationPeriods: 3,
    treatMissingData: 'breaching',
    logGroupDimension: expect.stringMatching(/LogGroup/),
  }));
  expect(delivery.notSimulated).toBeUndefined();
});

test('resolveString joins, looks up Ref and GetAtt, and names what it cannot resolve', () => {
  const unresolved: string[] = [];
  expect(resolveString({ 'Fn::Join': ['-', ['a', { Ref: 'X' }, { 'Fn::GetAtt': ['Y', 'Arn'] }, 7]] }, { 'X': 'x', 'Y.Arn': 'y' }, unresolved)).toBe('a-x-y-7');
  expect(unresolved).toEqual([]);
  expect(resolveString({ 'Fn::Sub': 'z' }, {}, unresolved)).toBe('${{"Fn::Sub":"z"}}');
  expect(unresolved).toEqual(['{"Fn::Sub":"z"}']);
});
