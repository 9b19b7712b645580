import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogTarget, FlowLogWatch, SubnetRole, TrafficSignature } from '../../src';
import { testStack } from '../util';


test('fails when a role has so many subnets that the pattern would pass CloudWatch\'s 1,024 characters', () => {
  const stack = testStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Wide', {
    vpcId: 'vpc-12345678',
    availabilityZones: ['us-east-1a'],
    privateSubnetIds: Array.from({ length: 30 }, (_, i) => `subnet-${String(i).padStart(17, '0')}`),
  });
  expect(() => new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(vpc) }))
    .toThrow(/^the filter pattern of PrivateSshAcceptedBytes would be up to \d+ characters, over CloudWatch Logs' limit of 1024/);
});

describe('at most 100 metric filters on a log group (CloudWatch Logs\' limit)', () => {
  /** A network-interface watch (4 filters of its own) and `custom` more signatures' filters. */
  function watchWith(custom: number, others = 0): App {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const watch = new FlowLogWatch(stack, 'W', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC), queryDefinitions: false,
    });
    for (let i = 0; i < custom; i++) watch.metric(TrafficSignature.custom({ metricName: `Port${i}Bytes`, destinationPorts: [1000 + i] }));
    for (let i = 0; i < others; i++) {
      new logs.MetricFilter(stack, `Other${i}`, { logGroup: watch.logGroup, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'Mine', metricName: `M${i}` });
    }
    return app;
  }
  const ownFilters = () => Object.values(watchWith(0).synth().getStackByName('S').template.Resources)
    .filter((r: any) => r.Type === 'AWS::Logs::MetricFilter').length;

  test('100 synthesize; 101 fail, counting the watch\'s own filters', () => {
    const own = ownFilters();
    expect(() => watchWith(100 - own).synth()).not.toThrow();
    expect(() => watchWith(101 - own).synth()).toThrow(
      /S\/W's log group would have 101 metric filters \(101 of the watch's own, one per role and traffic signature\), over CloudWatch Logs' limit of 100 per log group/);
  });

  test('other metric filters of the stack on the same log group count too', () => {
    const own = ownFilters();
    expect(() => watchWith(0, 101 - own).synth()).toThrow(new RegExp(`would have 101 metric filters \\(${own} of the watch's own`));
  });
});
