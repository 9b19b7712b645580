import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';

// Whole-template snapshots guard logical IDs: a log group whose ID changes is replaced and its data lost.
// Update on purpose with `npx projen test:update`; CI never rewrites them.
const app = buildExampleApp(new App());

test.each(['FlowLogWatchNetwork', 'FlowLogWatchWorkload', 'FlowLogWatchOrganization', 'FlowLogWatchLogArchive'])('the %s stack matches its snapshot', (stackName) => {
  const template = Template.fromStack(app.node.findChild(stackName) as any).toJSON();
  expect(template).toMatchSnapshot();
});

test('the network stack watches the whole 3-AZ VPC and one ENI, the workload stack one subnet', () => {
  const network = Template.fromStack(app.node.findChild('FlowLogWatchNetwork') as any);
  network.resourceCountIs('AWS::EC2::Subnet', 9);
  network.resourceCountIs('AWS::EC2::FlowLog', 2);
  network.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC' });
  network.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'NetworkInterface', ResourceId: 'eni-0123456789abcdef0' });

  const workload = Template.fromStack(app.node.findChild('FlowLogWatchWorkload') as any);
  // The subnet's flow log to CloudWatch Logs, and its archive flow log to S3.
  workload.resourceCountIs('AWS::EC2::FlowLog', 2);
  workload.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'Subnet', LogDestinationType: 'cloud-watch-logs' });
  workload.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'Subnet', LogDestinationType: 's3' });
  workload.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
});
