/**
 * Hand-written templates for the cost tests: every billed resource kind once, with round numbers.
 */

/** One log group (30 days), its flow log, 3 metric filters publishing 2 metrics, and one of each alarm kind. */
export function smallTemplate(): { Resources: Record<string, any> } {
  return {
    Resources: {
      LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, Metadata: { 'aws:cdk:path': 'Stack/Watch/LogGroup/Resource' } },
      FlowLog: {
        Type: 'AWS::EC2::FlowLog',
        Properties: { LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: 'LogGroup' }, ResourceId: 'vpc-1', ResourceType: 'VPC', TrafficType: 'ALL' },
        Metadata: { 'aws:cdk:path': 'Stack/Watch/FlowLog/FlowLog' },
      },
      FilterA: metricFilter('A'),
      FilterB: metricFilter('B'),
      FilterA2: metricFilter('A'), // the same metric as FilterA: one metric, billed once
      StandardAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'ns', MetricName: 'A', Period: 300, Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 } },
      HighResolutionAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'ns', MetricName: 'B', Period: 10, Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 } },
      AnomalyAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          ComparisonOperator: 'GreaterThanUpperThreshold',
          EvaluationPeriods: 3,
          ThresholdMetricId: 'band',
          Metrics: [
            { Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m, 3)' },
            { Id: 'm', MetricStat: { Metric: { Namespace: 'ns', MetricName: 'A' }, Period: 300, Stat: 'Sum' } },
          ],
        },
      },
    },
  };
}

/** smallTemplate plus a log alarm, a Contributor Insights rule, a dashboard, an S3 archive with a lifecycle, and an Athena query. */
export function fullTemplate(): { Resources: Record<string, any> } {
  const template = smallTemplate();
  Object.assign(template.Resources, {
    LogAlarm: {
      Type: 'AWS::CloudWatch::LogAlarm',
      Properties: {
        AlarmName: 'scan',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 100,
        QueryResultsToAlarm: 1,
        QueryResultsToEvaluate: 1,
        ScheduledQueryConfiguration: {
          QueryString: 'filter action = "REJECT"',
          AggregationExpression: 'count(*) by srcaddr',
          LogGroupIdentifiers: [{ 'Fn::GetAtt': ['LogGroup', 'Arn'] }],
          ScheduledQueryRoleARN: 'arn:aws:iam::123456789012:role/q',
          // Every 5 minutes over the window [now − 15 min, now − 5 min]: 600 s.
          ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 900, EndTimeOffset: 300 },
        },
      },
    },
    Rule: {
      Type: 'AWS::CloudWatch::InsightRule',
      Properties: {
        RuleName: 'rejected-sources',
        RuleState: 'ENABLED',
        RuleBody: {
          'Fn::Join': ['', [
            '{"Schema":{"Name":"CloudWatchLogRule","Version":1},"LogGroupNames":["', { Ref: 'LogGroup' },
            '"],"LogFormat":"CLF","Fields":{"4":"srcaddr","13":"action"},"Contribution":{"Keys":["srcaddr"],'
            + '"Filters":[{"Match":"action","In":["REJECT"]}]},"AggregateOn":"Count"}',
          ]],
        },
      },
    },
    DisabledRule: { Type: 'AWS::CloudWatch::InsightRule', Properties: { RuleName: 'off', RuleState: 'DISABLED', RuleBody: '{"LogGroupNames":["x"],"LogFormat":"CLF"}' } },
    Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        LifecycleConfiguration: {
          Rules: [
            { Id: 'other', Prefix: 'results/', Status: 'Enabled', ExpirationInDays: 1 },
            // GLACIER_IR after 30 days, expired at 60: 30 days in GLACIER_IR, billed 90 (its minimum storage duration).
            { Id: 'archive', Prefix: 'archive/', Status: 'Enabled', ExpirationInDays: 60, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] },
          ],
        },
      },
    },
    ArchiveFlowLog: {
      Type: 'AWS::EC2::FlowLog',
      Properties: {
        LogDestinationType: 's3',
        LogDestination: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/archive/']] },
        ResourceId: 'vpc-1',
        ResourceType: 'VPC',
        TrafficType: 'ALL',
      },
    },
    Table: {
      Type: 'AWS::Glue::Table',
      Properties: {
        DatabaseName: 'db',
        TableInput: { Name: 't', StorageDescriptor: { Location: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/archive/AWSLogs/']] } } },
      },
    },
    Query: { Type: 'AWS::Athena::NamedQuery', Properties: { Database: 'db', Name: 'rejects', QueryString: 'SELECT srcaddr FROM "db"."t" WHERE action = \'REJECT\'' } },
  });
  return template;
}

function metricFilter(metricName: string) {
  return {
    Type: 'AWS::Logs::MetricFilter',
    Properties: {
      LogGroupName: { Ref: 'LogGroup' },
      FilterPattern: '[version, ...]',
      MetricTransformations: [{ MetricNamespace: 'ns', MetricName: metricName, MetricValue: '1', DefaultValue: 0 }],
    },
  };
}
