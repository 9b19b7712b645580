import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FlowLogOrganizationArchive, FlowLogOrganizationArchiveProps, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

const ORG = 'o-abcdefghij';

function archive(props: Partial<FlowLogOrganizationArchiveProps> = { organizationId: ORG }, stack: Stack = testStack()) {
  const construct = new FlowLogOrganizationArchive(stack, 'Archive', props as FlowLogOrganizationArchiveProps);
  return { stack, archive: construct, template: Template.fromStack(stack) };
}

function policyStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('the organization archive bucket', () => {
  test('is encrypted, versioned, TLS only, public access blocked, ACLs off, kept on removal, with the archive lifecycle', () => {
    const { template } = archive();
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: {
          Rules: [{
            Id: 'FlowLogArchive',
            Prefix: 'flow-logs/',
            Status: 'Enabled',
            ExpirationInDays: 365,
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }],
        },
      },
    });
    const tlsOnly = policyStatements(template).find(s => s.Effect === 'Deny');
    expect(tlsOnly).toMatchObject({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } });
  });

  test('lets log delivery write under flow-logs/ for the organization\'s accounts only (aws:SourceOrgID)', () => {
    const { template } = archive();
    const allows = policyStatements(template).filter(s => s.Effect === 'Allow');
    expect(allows.map(s => s.Sid)).toEqual(['AWSLogDeliveryWrite', 'AWSLogDeliveryAclCheck']);
    for (const statement of allows) {
      expect(statement.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceOrgID': ORG } });
    }
    expect(allows[0].Action).toBe('s3:PutObject');
    expect(JSON.stringify(allows[0].Resource)).toMatch(/"\/flow-logs\/\*"/);
    expect(allows[1].Action).toEqual(['s3:GetBucketAcl', 's3:ListBucket']);
  });

  test('has no s3:x-amz-acl condition anywhere: under BucketOwnerEnforced it would deny every write', () => {
    expect(JSON.stringify(archive().template.toJSON())).not.toMatch(/x-amz-acl/);
    expect(JSON.stringify(archive({ accountIds: ['111122223333'] }).template.toJSON())).not.toMatch(/x-amz-acl/);
  });

  test('with an account list, admits those accounts\' deliveries by aws:SourceAccount and aws:SourceArn', () => {
    const { template } = archive({ accountIds: ['111122223333', '444455556666'] });
    const write = policyStatements(template).find(s => s.Sid === 'AWSLogDeliveryWrite');
    expect(write.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ['111122223333', '444455556666'] });
    // arn:<partition>:logs:*:<account>:*, the partition a pseudo parameter
    const arns = write.Condition.ArnLike['aws:SourceArn'].map((a: any) => a['Fn::Join'][1].map((p: any) => p.Ref ? `<${p.Ref}>` : p).join(''));
    expect(arns).toEqual(['arn:<AWS::Partition>:logs:*:111122223333:*', 'arn:<AWS::Partition>:logs:*:444455556666:*']);
  });

  test('with a customer-managed key: SSE-KMS with a bucket key, and the key lets log delivery use it for the same accounts', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const { template } = archive({ organizationId: ORG, encryptionKey: key }, stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowFlowLogDeliveryToTheArchive',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: Match.arrayWith(['kms:GenerateDataKey*']),
          Condition: { StringEquals: { 'aws:SourceOrgID': ORG } },
        })]),
      },
    });
  });

  test('moves flow logs to Glacier Instant Retrieval from day 0 if asked: S3 sets no minimum for GLACIER_IR', () => {
    const { template } = archive({ organizationId: ORG, coldStorageAfter: Duration.days(0) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 0 }] })] },
    });
  });

  test('warns when flow logs would leave Glacier Instant Retrieval before its 90-day minimum storage duration', () => {
    const { stack } = archive({ organizationId: ORG, coldStorageAfter: Duration.days(330) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Archive',
      Match.stringLikeRegexp('`coldStorageAfter` \\(330 days\\) leaves archived flow logs 65 days in S3 Glacier Instant Retrieval'));
  });

  test('an imported key: its policy cannot be changed from here, and a warning says what its owner must add', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    archive({ organizationId: ORG, encryptionKey: key }, stack);
    Annotations.fromStack(stack).hasWarning('/TestStack/Archive',
      Match.stringLikeRegexp('`encryptionKey` is an imported key, .*allows delivery\\.logs\\.amazonaws\\.com kms:Encrypt, kms:Decrypt, kms:ReEncrypt\\*, kms:GenerateDataKey\\*, kms:DescribeKey'));
  });

  test('takes a name, an expiration, a cold-storage age, an access-log bucket and a removal policy', () => {
    const stack = testStack();
    const accessLogs = new s3.Bucket(stack, 'AccessLogs');
    const { template } = archive({
      organizationId: ORG,
      bucketName: 'org-flow-logs',
      expiration: Duration.days(730),
      coldStorageAfter: Duration.days(30),
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.DESTROY,
    }, stack);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: {
        BucketName: 'org-flow-logs',
        LoggingConfiguration: { LogFilePrefix: 'flow-log-archive/' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 730, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] })] },
      },
    });
  });
});

describe('member accounts point their watches at it', () => {
  test('fromBucketName gives the bucket for `archive.bucket`: the watch writes there and the member stack creates no bucket or policy', () => {
    const stack = testStack('Member');
    const bucket = FlowLogOrganizationArchive.fromBucketName(stack, 'OrgArchive', 'org-flow-logs');
    new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: { bucket, athena: false } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    const archived = Object.values(template.findResources('AWS::EC2::FlowLog', { Properties: { LogDestinationType: 's3' } }));
    expect(archived).toHaveLength(1);
    const destination = archived[0].Properties.LogDestination['Fn::Join'][1].map((p: any) => p.Ref ? `<${p.Ref}>` : p).join('');
    expect(destination).toBe('arn:<AWS::Partition>:s3:::org-flow-logs/flow-logs/Member/Watch/');
  });

  test('fromBucketArn does the same from an ARN', () => {
    const stack = testStack('Member');
    expect(FlowLogOrganizationArchive.fromBucketArn(stack, 'OrgArchive', 'arn:aws:s3:::org-flow-logs').bucketName).toBe('org-flow-logs');
  });
});

describe('bad input fails at synth with the prop, the value and what is allowed', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['neither organization nor accounts', () => archive({}), /give exactly one of `organizationId` and `accountIds`, got neither/],
    ['both', () => archive({ organizationId: ORG, accountIds: ['111122223333'] }), /got both \(o-abcdefghij and 111122223333\)/],
    ['an invalid organization ID', () => archive({ organizationId: 'abc' }), /`organizationId` must be an organization ID .*got 'abc'/],
    ['an empty account list', () => archive({ accountIds: [] }), /`accountIds` must list at least one value .*got an empty list/],
    ['an invalid account', () => archive({ accountIds: ['1111-2222-3333'] }), /`accountIds\[0\]` must be AWS account IDs \(12 digits\), got '1111-2222-3333'/],
    ['less than a year', () => archive({ organizationId: ORG, expiration: Duration.days(180) }),
      /`expiration` must be a whole number of days, at least 365, got 180 days/],
    ['cold storage of half a day', () => archive({ organizationId: ORG, coldStorageAfter: Duration.hours(12) }),
      /`coldStorageAfter` must be a whole number of days, at least 0 and less than the expiration \(365 days\), got 12 hours/],
    ['an expiration token in hours', () => archive({ organizationId: ORG, expiration: Duration.hours(Token.asNumber({ Ref: 'Hours' })) }),
      /`expiration` given as a token must be Duration\.days\(token\)/],
    ['a snapshot removal policy', () => archive({ organizationId: ORG, removalPolicy: RemovalPolicy.SNAPSHOT }),
      /`removalPolicy` must be RemovalPolicy\.RETAIN, RemovalPolicy\.DESTROY or RemovalPolicy\.RETAIN_ON_UPDATE_OR_DELETE, got 'snapshot'/],
    ['a bucket name with capitals', () => archive({ organizationId: ORG, bucketName: 'Org-Flow-Logs' }),
      /`bucketName` must be an S3 bucket name \(3 to 63 lowercase letters, digits, dots and hyphens, .*got 'Org-Flow-Logs'/],
    ['a bucket name with two adjacent periods', () => archive({ organizationId: ORG, bucketName: 'org..flow-logs' }), /\(no two adjacent periods: .*got 'org\.\.flow-logs'/],
    ['a bucket name formatted as an IP address', () => archive({ organizationId: ORG, bucketName: '192.168.5.4' }), /\(not formatted as an IP address: .*got '192\.168\.5\.4'/],
    ['a reserved prefix', () => archive({ organizationId: ORG, bucketName: 'xn--flow-logs' }), /\(no reserved prefix \(xn--, sthree-, amzn-s3-demo-\): .*got 'xn--flow-logs'/],
    ['a reserved suffix', () => archive({ organizationId: ORG, bucketName: 'org-flow-logs-s3alias' }), /\(no reserved suffix \(-s3alias, .*got 'org-flow-logs-s3alias'/],
    ['cold storage after expiration', () => archive({ organizationId: ORG, coldStorageAfter: Duration.days(400) }),
      /`coldStorageAfter` must be .*less than the expiration \(365 days\), got 400 days/],
    ['a bad bucket name', () => FlowLogOrganizationArchive.fromBucketName(testStack(), 'B', 'Org_Archive'), /`bucketName` must be an S3 bucket name .*got 'Org_Archive'/],
    ['a bad bucket ARN', () => FlowLogOrganizationArchive.fromBucketArn(testStack(), 'B', 'org-archive'), /`bucketArn` must be an S3 bucket ARN .*got 'org-archive'/],
  ])('%s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
