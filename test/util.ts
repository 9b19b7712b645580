import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FlowLogTarget, FlowLogWatch } from '../src';

/** A stack with a fixed environment, as the tests of aws-cdk's own constructs use. */
export function testStack(id = 'TestStack', app = new App()): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** A VPC with one public, one private (with egress) and one isolated subnet group. */
export function threeTierVpc(scope: Stack, id = 'Vpc', maxAzs = 3): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/**
 * A stack with a key and one watch of a three-tier VPC with every option on: the key for its log
 * group and archive, the S3 archive with Athena, a dashboard and Contributor Insights.
 */
export function everythingOn(app: App, id: string): { stack: Stack; key: kms.Key; watch: FlowLogWatch } {
  const stack = new Stack(app, id);
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  const watch = new FlowLogWatch(stack, 'VpcWatch', {
    target: FlowLogTarget.fromVpc(threeTierVpc(stack)),
    encryptionKey: key,
    archive: { encryptionKey: key },
    dashboard: true,
    contributorInsights: true,
  });
  return { stack, key, watch };
}
