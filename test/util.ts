import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

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
