import { App, AspectPriority, Aspects, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FlowLogBaseline, FlowLogFormat, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

function archived(archive = {}, app = new App()) {
  const stack = testStack('TestStack', app);
  const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive, queryDefinitions: false });
  return { stack, watch, template: Template.fromStack(stack) };
}

const SOURCE_ARN = { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:*']] } };

function deliveryStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Principal?.Service === 'delivery.logs.amazonaws.com');
}

describe('the archive bucket', () => {
  test('encrypted, TLS only, public access blocked, ACLs disabled, versioned, kept a year, cold after 90 days, retained', () => {
    const { template } = archived();
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [{
            Id: 'FlowLogArchive',
            Status: 'Enabled',
            Prefix: 'flow-logs/',
            ExpirationInDays: 365,
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }, {
            Id: 'AthenaResults',
            Status: 'Enabled',
            Prefix: 'athena-results/',
            ExpirationInDays: 30,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }],
        },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('log delivery may write under the watch\'s prefix only, for this account\'s deliveries', () => {
    const { stack, template } = archived();
    const bucket = stack.resolve((stack.node.findChild('FlowLogArchiveBucket') as any).bucket.bucketArn);
    expect(deliveryStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucket, '/flow-logs/TestStack/VpcWatch/AWSLogs/aws-account-id=123456789012/*']] },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012', 's3:x-amz-acl': 'bucket-owner-full-control' },
          ArnLike: SOURCE_ARN,
        },
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: bucket,
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: SOURCE_ARN },
      },
    ]);
  });

  test('a KMS key of yours encrypts it, with an S3 bucket key', () => {
    const app = new App();
    const keyStack = testStack('Keys', app);
    const key = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
    const { template } = archived({ encryptionKey: key, expiration: Duration.days(730), coldStorageAfter: Duration.days(30) }, app);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 730, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] })]) },
    });
    // Without it, log delivery cannot write to the bucket: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
    Template.fromStack(keyStack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowFlowLogDeliveryToTheArchive',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: SOURCE_ARN },
        }]),
      },
    });
  });

  test('an imported key: a warning says what its owner must add to its policy', () => {
    const stack = testStack('TestStack');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: { encryptionKey: key }, queryDefinitions: false });
    Annotations.fromStack(stack).hasWarning('/TestStack/FlowLogArchiveBucket',
      Match.stringLikeRegexp('`archive\\.encryptionKey` is an imported key, whose policy cannot be changed from here'));
  });

  test.each([
    [{ expiration: Duration.days(180) }, '`archive.expiration` must be a whole number of days, at least 365, got 180 days: keep flow logs for less than a year in the log group'],
    [{ expiration: Duration.hours(9001) }, '`archive.expiration` must be a whole number of days, at least 365, got 375 days 1 hour'],
    [{ coldStorageAfter: Duration.hours(36) }, '`archive.coldStorageAfter` must be a whole number of days, at least 0 and less than the expiration (365 days), got 1 day 12 hours'],
    [{ coldStorageAfter: Duration.days(365) }, '`archive.coldStorageAfter` must be a whole number of days, at least 0 and less than the expiration (365 days), got 365 days'],
  ])('%p fails: %s', (archive, message) => {
    expect(() => archived(archive)).toThrow(message);
  });
});

describe('the archive flow log', () => {
  test('the same target, traffic, aggregation and format as the CloudWatch one, to S3 in Parquet with hourly Hive partitions', () => {
    const { watch, template } = archived();
    template.resourceCountIs('AWS::EC2::FlowLog', 2);
    template.hasResource('AWS::EC2::FlowLog', {
      Properties: {
        ResourceType: 'VPC',
        LogDestinationType: 's3',
        LogDestination: { 'Fn::Join': ['', [Match.anyValue(), '/flow-logs/TestStack/VpcWatch/']] },
        DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
        LogFormat: FlowLogFormat.KIT.renderLogFormat(),
        TrafficType: 'ALL',
        MaxAggregationInterval: 60,
        Tags: [{ Key: 'Name', Value: 'TestStack/VpcWatch (archive)' }],
      },
      DependsOn: [Match.stringLikeRegexp('^FlowLogArchiveBucketPolicy')],
    });
    expect(watch.archiveFlowLog).toBeDefined();
  });

  test('DestinationOptions in the schema\'s PascalCase only: no camelCase key that CloudFormation would reject or ignore', () => {
    const { template } = archived();
    const archive = Object.values(template.findResources('AWS::EC2::FlowLog')).find((r: any) => r.Properties.LogDestinationType === 's3') as any;
    expect(Object.keys(archive.Properties.DestinationOptions).sort()).toEqual(['FileFormat', 'HiveCompatiblePartitions', 'PerHourPartition']);
  });

  test('no archive by default', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 0);
    expect(watch.archiveFlowLog).toBeUndefined();
  });

  test('the watches of a stack share the bucket, each under its own prefix; different options fail', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'A', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'VpcA')), archive: {} });
    new FlowLogWatch(stack, 'B', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'VpcB')), archive: { expiration: Duration.days(365) } });
    expect(() => new FlowLogWatch(stack, 'C', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'VpcC')), archive: { expiration: Duration.days(400) } }))
      .toThrow("archive options of TestStack/C differ from those the stack's FlowLogArchiveBucket was created with (expiration)");
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    const writes = deliveryStatements(template).filter(s => s.Action === 's3:PutObject').map(s => s.Resource['Fn::Join'][1][1]);
    expect(writes).toEqual(['/flow-logs/TestStack/A/AWSLogs/aws-account-id=123456789012/*', '/flow-logs/TestStack/B/AWSLogs/aws-account-id=123456789012/*']);
  });

  test('a bucket of yours (a central log archive): no bucket created; bucket options with it fail', () => {
    const stack = testStack();
    const central = s3.Bucket.fromBucketName(stack, 'Central', 'org-log-archive-123456789012');
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), archive: { bucket: central } });
    expect(() => new FlowLogWatch(stack, 'Other', {
      target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Vpc2')), archive: { bucket: central, removalPolicy: RemovalPolicy.DESTROY },
    })).toThrow('`archive.removalPolicy` applies to the bucket the stack creates, but `archive.bucket` is given');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-log-archive-123456789012/flow-logs/TestStack/VpcWatch/']] },
    });
  });

  test('with aws-cdk-lib\'s createDefaultLoggingPolicy flag on, the delivery statements are not doubled', () => {
    const { template } = archived({}, new App({ context: { '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true } }));
    expect(deliveryStatements(template)).toHaveLength(2);
  });

  test.each([false, true])('log delivery may write where the Hive-partitioned flow log writes (createDefaultLoggingPolicy %s)', (flag) => {
    const { template } = archived({}, new App({ context: { '@aws-cdk/aws-s3:createDefaultLoggingPolicy': flag } }));
    // Hive-compatible keys: <prefix>AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/… (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html)
    const puts = deliveryStatements(template).filter((st: any) => st.Action === 's3:PutObject');
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0].Resource)).toContain('/flow-logs/TestStack/VpcWatch/AWSLogs/aws-account-id=123456789012/*');
  });

  test('the baseline archives every VPC of a stack into one bucket', () => {
    const app = new App();
    const stack = testStack('Network', app);
    threeTierVpc(stack, 'Edge');
    threeTierVpc(stack, 'Core');
    Aspects.of(app).add(new FlowLogBaseline({ archive: {} }), { priority: AspectPriority.MUTATING });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 4);
  });
});
