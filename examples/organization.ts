import { App, AspectPriority, Aspects, BootstraplessSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import {
  FlowLogBaseline, FlowLogCentralEncryption, FlowLogOrganization, FlowLogOrganizationAdministrator, FlowLogOrganizationArchive,
  FlowLogOrganizationScope, FlowLogTamperAlert, FlowLogTamperProtectionPolicy,
} from '../src';

// Placeholders of an example organization; put your own IDs here.
export const EXAMPLE_ORGANIZATION = {
  organizationId: 'o-exampleorg1',
  rootId: 'r-exmp',
  logArchiveAccountId: '111111111111',
  homeRegion: 'eu-west-1',
  regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
  archiveBucketName: 'example-org-flow-log-archive',
  platformRoleArn: 'arn:aws:iam::*:role/PlatformAdmin',
};

/**
 * The management (or delegated administrator) account's stack: the organization telemetry rule
 * with its centralization rule into the log-archive account, the tamper-protection SCP, and the
 * alert on tampering in this account.
 */
export class OrganizationStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const org = EXAMPLE_ORGANIZATION;
    const flowLogs = new FlowLogOrganization(this, 'FlowLogs', {
      scope: FlowLogOrganizationScope.organization(org.organizationId),
      administrator: FlowLogOrganizationAdministrator.delegatedAdministrator(org.logArchiveAccountId),
      regions: org.regions,
      centralization: {
        destinationAccountId: org.logArchiveAccountId,
        destinationRegion: org.homeRegion,
        encryption: FlowLogCentralEncryption.AWS_OWNED,
      },
    });
    new FlowLogTamperProtectionPolicy(this, 'TamperProtection', {
      exemptPrincipalArns: [org.platformRoleArn],
      logGroupNamePatterns: [`${flowLogs.logGroupNamePrefix}*`],
      targetIds: [org.rootId],
    });
    new FlowLogTamperAlert(this, 'TamperAlert', { logGroupNamePrefixes: [flowLogs.logGroupNamePrefix] });
  }
}

/**
 * The log-archive account's stack: the S3 bucket that keeps the organization's flow logs for a
 * year and more, accepting deliveries from the organization's accounts only.
 */
export class LogArchiveStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new FlowLogOrganizationArchive(this, 'FlowLogArchive', {
      organizationId: EXAMPLE_ORGANIZATION.organizationId,
      bucketName: EXAMPLE_ORGANIZATION.archiveBucketName,
    });
  }
}

/**
 * A member account's stack for a service-managed StackSet: a VPC (as an account vending process
 * would create), watched by the baseline and archived to the organization's bucket, and the
 * tamper alert. No assets, custom resources, lookups or bootstrap parameter: the bootstrapless
 * synthesizer fails synthesis if anything needs an asset.
 */
export class MemberAccountStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { synthesizer: new BootstraplessSynthesizer(), ...props });
    new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      // true makes a custom resource with a Lambda asset, which a StackSet cannot deploy.
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    Aspects.of(this).add(new FlowLogBaseline({
      archive: { bucket: FlowLogOrganizationArchive.fromBucketName(this, 'OrgArchive', EXAMPLE_ORGANIZATION.archiveBucketName), athena: false },
    }), { priority: AspectPriority.MUTATING });
    new FlowLogTamperAlert(this, 'TamperAlert');
  }
}

/**
 * Adds the organization stack (management or delegated administrator account) and the
 * log-archive stack to the app, both environment-agnostic.
 */
export function addOrganizationStacks(app: App): { organization: OrganizationStack; logArchive: LogArchiveStack } {
  return {
    organization: new OrganizationStack(app, 'FlowLogWatchOrganization'),
    logArchive: new LogArchiveStack(app, 'FlowLogWatchLogArchive'),
  };
}

/**
 * Adds the member-account stack that README's StackSet commands deploy.
 */
export function addMemberAccountStack(app: App): MemberAccountStack {
  return new MemberAccountStack(app, 'FlowLogWatchMember');
}
