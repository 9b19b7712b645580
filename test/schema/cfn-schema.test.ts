import { App, AspectPriority, Aspects, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { assertSchemaValid, SchemaViolation, validateTemplate } from './cfn-schema';
import { buildExampleApp } from '../../examples/app';
import { FlowLogBaseline, FlowLogField, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { everythingOn, testStack, threeTierVpc } from '../util';

/** A template of one resource. */
function templateOf(type: string, properties?: object, attributes: object = {}): object {
  return { Resources: { Thing: { Type: type, ...(properties ? { Properties: properties } : {}), ...attributes } } };
}

/** The violations as `path: message` lines, for readable expectations. */
function lines(violations: SchemaViolation[]): string[] {
  return violations.map(v => `${v.path}: ${v.message}`);
}

const FLOW_LOG = { ResourceId: 'vpc-0123456789abcdef0', ResourceType: 'VPC', TrafficType: 'ALL', LogDestination: 'arn:aws:s3:::bucket' };
const DESTINATION_OPTIONS = { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true };

describe('planted violations are caught', () => {
  test('a valid resource has none', () => {
    expect(validateTemplate(templateOf('AWS::EC2::FlowLog', { ...FLOW_LOG, DestinationOptions: DESTINATION_OPTIONS }))).toEqual([]);
  });

  test('a misspelled property names the resource, its type and the path', () => {
    expect(validateTemplate(templateOf('AWS::Logs::LogGroup', { RetentionInDay: 14 }))).toEqual([{
      logicalId: 'Thing',
      resourceType: 'AWS::Logs::LogGroup',
      path: 'Properties.RetentionInDay',
      message: 'AWS::Logs::LogGroup has no property `RetentionInDay`; it has BearerTokenAuthenticationEnabled, DataProtectionPolicy, '
        + 'DeletionProtectionEnabled, FieldIndexPolicies, KmsKeyId, LogGroupClass, LogGroupName, ResourcePolicyDocument, RetentionInDays, Tags',
    }]);
  });

  test('camelCase keys inside the flow log\'s DestinationOptions: unknown, and the PascalCase ones missing', () => {
    const camelCase = { fileFormat: 'parquet', hiveCompatiblePartitions: true, perHourPartition: true };
    const violations = lines(validateTemplate(templateOf('AWS::EC2::FlowLog', { ...FLOW_LOG, DestinationOptions: camelCase })));
    expect(violations).toEqual(expect.arrayContaining([
      'Properties.DestinationOptions.fileFormat: AWS::EC2::FlowLog.DestinationOptions has no property `fileFormat`; did you mean `FileFormat`? (names are case-sensitive)',
      'Properties.DestinationOptions.FileFormat: required property of AWS::EC2::FlowLog.DestinationOptions is missing; `fileFormat` is given instead (names are case-sensitive)',
    ]));
    expect(violations).toHaveLength(6);
  });

  test('a missing required property', () => {
    const { ResourceId: _, ...withoutResourceId } = FLOW_LOG;
    expect(lines(validateTemplate(templateOf('AWS::EC2::FlowLog', withoutResourceId))))
      .toEqual(['Properties.ResourceId: required property of AWS::EC2::FlowLog is missing']);
    // No Properties at all: every required property is missing.
    expect(lines(validateTemplate(templateOf('AWS::EC2::FlowLog'))))
      .toEqual(['Properties.ResourceId: required property of AWS::EC2::FlowLog is missing',
        'Properties.ResourceType: required property of AWS::EC2::FlowLog is missing']);
    // { Ref: AWS::NoValue } removes a property: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
    expect(lines(validateTemplate(templateOf('AWS::EC2::FlowLog', { ...FLOW_LOG, ResourceId: { Ref: 'AWS::NoValue' } }))))
      .toEqual(['Properties.ResourceId: required property of AWS::EC2::FlowLog is missing']);
  });

  test('wrong literal types; values CloudFormation converts ("14" for an Integer, "true" for a Boolean) pass', () => {
    const invalid = (properties: object) => lines(validateTemplate(templateOf('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, ...properties,
    })));
    expect(invalid({ EvaluationPeriods: 'one' })).toEqual(['Properties.EvaluationPeriods: expected an Integer, got "one"']);
    expect(invalid({ EvaluationPeriods: 1.5 })).toEqual(['Properties.EvaluationPeriods: expected an Integer, got 1.5']);
    expect(invalid({ EvaluationPeriods: true })).toEqual(['Properties.EvaluationPeriods: expected an Integer, got true']);
    expect(invalid({ Threshold: 'high' })).toEqual(['Properties.Threshold: expected a Number, got "high"']);
    expect(invalid({ ActionsEnabled: 'yes' })).toEqual(['Properties.ActionsEnabled: expected a Boolean, got "yes"']);
    expect(invalid({ AlarmActions: 'arn:aws:sns:us-east-1:123456789012:topic' }))
      .toEqual(['Properties.AlarmActions: expected a List of String, got "arn:aws:sns:us-east-1:123456789012:topic"']);
    expect(invalid({ AlarmName: { name: 'x' } })).toEqual(['Properties.AlarmName: expected a String, got {"name":"x"}']);
    expect(invalid({ Dimensions: { Name: 'a', Value: 'b' } }))
      .toEqual(['Properties.Dimensions: expected a List of Dimension object, got {"Name":"a","Value":"b"}']);

    expect(invalid({ EvaluationPeriods: '3', Threshold: '1.5', DatapointsToAlarm: 2, ActionsEnabled: 'true', AlarmName: 42 })).toEqual([]);
  });

  test('values outside the allowed values, at the top and inside a property type', () => {
    expect(lines(validateTemplate(templateOf('AWS::Logs::LogGroup', { RetentionInDays: 13 }))))
      .toEqual([expect.stringMatching(/^Properties.RetentionInDays: 13 is not an allowed value; allowed: 1, 3, 5, 7, 14, .*, 3653$/)]);
    expect(validateTemplate(templateOf('AWS::Logs::LogGroup', { RetentionInDays: '14' }))).toEqual([]);
    expect(lines(validateTemplate(templateOf('AWS::EC2::FlowLog', { ...FLOW_LOG, ResourceType: 'Vpc' }))))
      .toEqual([expect.stringMatching(/^Properties.ResourceType: "Vpc" is not an allowed value; allowed: .*"VPC"/)]);
    expect(lines(validateTemplate(templateOf('AWS::EC2::FlowLog', { ...FLOW_LOG, DestinationOptions: { ...DESTINATION_OPTIONS, FileFormat: 'json' } }))))
      .toEqual(['Properties.DestinationOptions.FileFormat: "json" is not an allowed value; allowed: "plain-text", "parquet"']);
  });

  test('inside a nested property type, a list of them, a map and tags', () => {
    const alarm = { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 };
    expect(lines(validateTemplate(templateOf('AWS::CloudWatch::Alarm', {
      ...alarm,
      Dimensions: [{ Name: 'VpcId', Value: 'vpc-1' }, { Name: 'SubnetId' }, { Name: 'Az', Vaule: 'a' }],
    })))).toEqual([
      'Properties.Dimensions[1].Value: required property of AWS::CloudWatch::Alarm.Dimension is missing',
      'Properties.Dimensions[2].Value: required property of AWS::CloudWatch::Alarm.Dimension is missing',
      'Properties.Dimensions[2].Vaule: AWS::CloudWatch::Alarm.Dimension has no property `Vaule`; it has Name, Value',
    ]);
    // Two levels down: Metrics[].MetricStat.Metric.Dimensions[]
    expect(lines(validateTemplate(templateOf('AWS::CloudWatch::Alarm', {
      ...alarm,
      Metrics: [{ Id: 'm1', MetricStat: { Metric: { MetricName: 'Bytes', Dimensions: [{ Name: 'Vpc', Value: 7 }, { name: 'x', Value: 'y' }] }, Period: 60, Stat: 'Sum' } }],
    })))).toEqual([
      'Properties.Metrics[0].MetricStat.Metric.Dimensions[1].Name: required property of AWS::CloudWatch::Alarm.Dimension is missing; `name` is given instead (names are case-sensitive)',
      'Properties.Metrics[0].MetricStat.Metric.Dimensions[1].name: AWS::CloudWatch::Alarm.Dimension has no property `name`; did you mean `Name`? (names are case-sensitive)',
    ]);
    expect(lines(validateTemplate(templateOf('AWS::Lambda::Function', {
      Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' }, Environment: { Variables: { A: 'a', B: { nested: true } } },
    })))).toEqual(['Properties.Environment.Variables.B: expected a String, got {"nested":true}']);
    expect(lines(validateTemplate(templateOf('AWS::Logs::LogGroup', { Tags: [{ Key: 'team', Value: 'net' }, { Key: 'owner' }, { key: 'a', Value: 'b' }] }))))
      .toEqual([
        'Properties.Tags[1].Value: required property of Tag is missing',
        'Properties.Tags[2].Key: required property of Tag is missing; `key` is given instead (names are case-sensitive)',
        'Properties.Tags[2].key: Tag has no property `key`; did you mean `Key`? (names are case-sensitive)',
      ]);
  });

  test('a union type accepts any of its members and reports the closest one', () => {
    const role = (document: unknown) => validateTemplate(templateOf('AWS::IAM::Role', { AssumeRolePolicyDocument: document }));
    expect(role({ Version: '2012-10-17', Statement: [] })).toEqual([]);
    expect(role('{"Version":"2012-10-17"}')).toEqual([]);
    expect(lines(role(null))).toEqual(['Properties.AssumeRolePolicyDocument: expected a JSON object or a String, got null']);
  });

  test('intrinsic functions are skipped wherever they appear', () => {
    expect(validateTemplate({
      Parameters: { Retention: { Type: 'Number' } },
      Conditions: { Long: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Thing: {
          Type: 'AWS::EC2::FlowLog',
          Properties: {
            ResourceId: { Ref: 'Vpc' },
            ResourceType: { 'Fn::If': ['Long', 'VPC', 'Subnet'] },
            MaxAggregationInterval: { Ref: 'Retention' },
            DestinationOptions: { 'Fn::If': ['Long', { fileFormat: 'not checked' }, { Ref: 'AWS::NoValue' }] },
            LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b']] },
            Tags: [{ Key: 'a', Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } }, { 'Fn::If': ['Long', { Key: 'b', Value: 'c' }, { Ref: 'AWS::NoValue' }] }],
          },
        },
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { 'Fn::If': ['Long', { RetentionInDays: 13 }, {}] } },
      },
    })).toEqual([]);
  });

  test('unknown resource types, resource attributes and their values', () => {
    expect(lines(validateTemplate(templateOf('AWS::EC2::Flowlog', FLOW_LOG))))
      .toEqual(['Type: unknown resource type `AWS::EC2::Flowlog`; did you mean `AWS::EC2::FlowLog`? (names are case-sensitive)']);
    expect(lines(validateTemplate({ Resources: { 'Thing': { Type: 'AWS::Logs::LogGroup', Propertes: {} }, 'Bad-Id': { Type: 'AWS::Logs::LogGroup' } } })))
      .toEqual(['Propertes: unknown resource attribute', ': a logical ID must be alphanumeric (A-Za-z0-9)']);
    expect(lines(validateTemplate(templateOf('AWS::Logs::LogGroup', {}, {
      DependsOn: ['Thing', 'Nothing', 3],
      Condition: 'Never',
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'RetainExceptOnCreate',
      Metadata: 'note',
    })))).toEqual([
      'DependsOn[0]: a resource cannot depend on itself',
      'DependsOn[1]: `Nothing` is not a resource of this template',
      'DependsOn[2]: must be a logical ID (a string), got 3',
      'Condition: `Never` is not a condition of this template',
      expect.stringMatching(/^DeletionPolicy: `Snapshot` is only for resources that support snapshots \(AWS::EC2::Volume, .*\), not AWS::Logs::LogGroup$/),
      'UpdateReplacePolicy: must be one of Delete, Retain, Snapshot, got "RetainExceptOnCreate"',
      'Metadata: must be an object, got "note"',
    ]);
    expect(validateTemplate(templateOf('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' }, { DeletionPolicy: 'Snapshot' }))).toEqual([]);
    expect(lines(validateTemplate({ resources: {} }))).toEqual(['resources: unknown template section; did you mean `Resources`? (names are case-sensitive)']);
  });

  test('Ref and Fn::GetAtt must name something the template has', () => {
    const group = { Type: 'AWS::Logs::LogGroup' };
    expect(lines(validateTemplate({
      Resources: {
        Group: group,
        Thing: { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'Gruop' }, FilterPattern: { 'Fn::GetAtt': ['Group', 'arn'] }, MetricTransformations: [] } },
      },
      Outputs: { Arn: { Value: { 'Fn::GetAtt': 'Missing.Arn' } }, Empty: { Description: 'no value' } },
    }))).toEqual([
      'Properties.LogGroupName: { Ref: Gruop } names no resource, parameter or pseudo parameter of this template',
      'Properties.FilterPattern: Fn::GetAtt: AWS::Logs::LogGroup has no attribute `arn`; did you mean `Arn`? (names are case-sensitive)',
      'Outputs.Arn.Value: Fn::GetAtt names `Missing`, which is not a resource of this template',
      'Outputs.Empty.Value: required output key is missing',
    ]);
  });

  test('custom resources: only ServiceToken is checked', () => {
    expect(validateTemplate(templateOf('Custom::Anything', { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', anyKey: { any: ['value'] } }))).toEqual([]);
    expect(lines(validateTemplate(templateOf('AWS::CloudFormation::CustomResource', { Token: 'x' }))))
      .toEqual(['Properties.ServiceToken: required property of AWS::CloudFormation::CustomResource is missing']);
    expect(lines(validateTemplate(templateOf('Custom::Anything', { ServiceToken: ['x'] }))))
      .toEqual(['Properties.ServiceToken: expected a String, got ["x"]']);
  });

  test('assertSchemaValid lists every violation, one per line, with logical ID, type and path', () => {
    const template = {
      Resources: {
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 13, Retention: 14 } },
        Log: { Type: 'AWS::EC2::FlowLog', Properties: { ...FLOW_LOG, DestinationOptions: { ...DESTINATION_OPTIONS, fileFormat: 'parquet' } } },
      },
    };
    expect(() => assertSchemaValid(template, 'stack Network')).toThrow([
      'stack Network: the template is not valid against CloudFormation\'s resource schemas (3 violations):',
      '  - Group (AWS::Logs::LogGroup) Properties.RetentionInDays: 13 is not an allowed value; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      '  - Group (AWS::Logs::LogGroup) Properties.Retention: AWS::Logs::LogGroup has no property `Retention`; it has '
        + 'BearerTokenAuthenticationEnabled, DataProtectionPolicy, DeletionProtectionEnabled, FieldIndexPolicies, KmsKeyId, LogGroupClass, LogGroupName, ResourcePolicyDocument, RetentionInDays, Tags',
      '  - Log (AWS::EC2::FlowLog) Properties.DestinationOptions.fileFormat: AWS::EC2::FlowLog.DestinationOptions has no property `fileFormat`; did you mean `FileFormat`? (names are case-sensitive)',
    ].join('\n'));
    expect(() => assertSchemaValid(templateOf('AWS::Logs::LogGroup', { RetentionInDays: 14 }), 'stack Network')).not.toThrow();
  });
});

describe('every synthesized template is validated (test/schema/validate-synthesized-templates.ts)', () => {
  function stackWithPlantedViolation(): Stack {
    const stack = testStack();
    const group = new logs.LogGroup(stack, 'Group', { retention: logs.RetentionDays.TWO_WEEKS });
    (group.node.defaultChild as CfnResource).addPropertyOverride('DataProtectionPolicy', 'not an object');
    (group.node.defaultChild as CfnResource).addPropertyOverride('retentionInDays', 14);
    return stack;
  }

  test('Template.fromStack fails on a violation, and keeps failing for the same app', () => {
    const stack = stackWithPlantedViolation();
    const expected = /stack TestStack: .* \(2 violations\):\n {2}- Group\w+ \(AWS::Logs::LogGroup\) Properties.DataProtectionPolicy: expected a JSON object, got "not an object"\n.*`retentionInDays`; did you mean `RetentionInDays`\?/;
    expect(() => Template.fromStack(stack)).toThrow(expected);
    expect(() => Template.fromStack(stack)).toThrow(expected);
  });

  test('app.synth() fails on a violation in any stack, nested stages included', () => {
    const app = new App();
    new Stack(app, 'Valid');
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Inner');
    (new logs.LogGroup(stack, 'Group').node.defaultChild as CfnResource).addPropertyOverride('RetentionInDays', 'fourteen');
    expect(() => app.synth()).toThrow(/stack Prod\/Inner: .*\n {2}- Group\w+ \(AWS::Logs::LogGroup\) Properties.RetentionInDays: expected an Integer, got "fourteen"/);
  });

  test('a valid app synthesizes as before', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'Group', { retention: logs.RetentionDays.TWO_WEEKS });
    expect(Template.fromStack(stack).toJSON().Resources).toBeDefined();
  });
});

describe('the templates this library synthesizes are valid', () => {
  /** Synthesizes the app and validates each stack; also checks the stacks hold the resources expected. */
  function expectValid(app: App, expectedTypes: string[]): void {
    const assembly = app.synth();
    expect(assembly.stacks.length).toBeGreaterThan(0);
    const types = new Set<string>();
    for (const stack of assembly.stacks) {
      expect({ stack: stack.stackName, violations: validateTemplate(stack.template) }).toEqual({ stack: stack.stackName, violations: [] });
      Object.values<{ Type: string }>(stack.template.Resources ?? {}).forEach(r => types.add(r.Type));
    }
    expect([...types]).toEqual(expect.arrayContaining(expectedTypes));
  }

  test('the example app', () => {
    expectValid(buildExampleApp(new App()), ['AWS::EC2::FlowLog', 'AWS::Logs::MetricFilter', 'AWS::CloudWatch::Alarm', 'AWS::S3::Bucket', 'AWS::Glue::Table']);
  });

  test('a watch with every option on', () => {
    const app = new App();
    everythingOn(app, 'Everything');
    expectValid(app, ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Glue::Table', 'AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::InsightRule',
      'AWS::Logs::QueryDefinition', 'AWS::SNS::Topic', 'AWS::IAM::Role']);
  });

  test('a subnet watch and an ENI watch', () => {
    const app = new App();
    const stack = testStack('Targets', app);
    const vpc = threeTierVpc(stack);
    new FlowLogWatch(stack, 'SubnetWatch', { target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]) });
    new FlowLogWatch(stack, 'EniWatch', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC) });
    expectValid(app, ['AWS::EC2::FlowLog', 'AWS::CloudWatch::Alarm']);
  });

  test('FlowLogBaseline over several stacks', () => {
    const app = new App();
    threeTierVpc(testStack('Network', app), 'Edge');
    threeTierVpc(testStack('Shared', app), 'Core');
    new ec2.Vpc(testStack('Workload', app), 'App', { subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
    expectValid(app, ['AWS::EC2::FlowLog', 'AWS::Logs::QueryDefinition']);
  });

  test('a custom format', () => {
    const app = new App();
    const stack = testStack('Custom', app);
    // The kit's fields, in another order, plus three more.
    const logFormat = FlowLogFormat.fromFields([...FlowLogFormat.KIT.fields].reverse()
      .concat(FlowLogField.REGION, FlowLogField.AZ_ID, FlowLogField.ECS_CLUSTER_NAME));
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), logFormat, dashboard: true });
    expectValid(app, ['AWS::EC2::FlowLog', 'AWS::CloudWatch::Dashboard']);
  });
});
