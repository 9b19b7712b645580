import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { addOrganizationStacks } from './organization';
import { FlowLogTarget, FlowLogWatch, SubnetRole } from '../src';

// Environment-agnostic stacks with explicit Availability Zones: synthesis needs no AWS credentials.
const AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/**
 * A 3-AZ VPC with public, private and isolated subnets, watched as a whole,
 * and one network interface watched by ID.
 */
export class NetworkStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: AVAILABILITY_ZONES,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });

    new FlowLogWatch(this, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });

    new FlowLogWatch(this, 'EniWatch', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC),
      retention: logs.RetentionDays.TWO_WEEKS,
    });
  }
}

/**
 * A second VPC of which only one private subnet is watched, with a dashboard, Contributor
 * Insights rules and an S3 archive of its own.
 */
export class WorkloadStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: AVAILABILITY_ZONES.slice(0, 2),
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });

    new FlowLogWatch(this, 'SubnetWatch', {
      target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]),
      retention: logs.RetentionDays.ONE_MONTH,
      dashboard: true,
      contributorInsights: true,
      archive: {},
    });
  }
}

export function buildExampleApp(app: App = new App()): App {
  new NetworkStack(app, 'FlowLogWatchNetwork');
  new WorkloadStack(app, 'FlowLogWatchWorkload');
  // The organization (management or delegated administrator account) and log-archive stacks.
  addOrganizationStacks(app);
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
