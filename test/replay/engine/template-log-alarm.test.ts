import { KIT_PARSE } from './kit-records';
import { readTemplateLogAlarms } from '../../../src/replay/engine/template-log-alarm';

const QUERY = `${KIT_PARSE} | filter action = "REJECT" | stats count_distinct(dstport) as ports by srcaddr`;

function logAlarm(overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}, schedule: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::CloudWatch::LogAlarm',
    Properties: {
      AlarmName: 'port-scan',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 100,
      QueryResultsToEvaluate: 3,
      QueryResultsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      ActionLogLineCount: 5,
      ScheduledQueryConfiguration: {
        QueryString: QUERY,
        AggregationExpression: 'max(ports) by srcaddr',
        LogGroupIdentifiers: [{ Ref: 'FlowLogs' }],
        ScheduledQueryRoleARN: { 'Fn::GetAtt': ['QueryRole', 'Arn'] },
        ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 300, ...schedule },
        ...config,
      },
      ...overrides,
    },
  };
}

function read(alarm: object, refs: Record<string, string> = {}) {
  return readTemplateLogAlarms({ Resources: { FlowLogs: { Type: 'AWS::Logs::LogGroup' }, QueryRole: { Type: 'AWS::IAM::Role' }, Alarm: alarm } }, refs)[0];
}

test('reads a log alarm: its settings, schedule, query and the log group it Refs', () => {
  const alarm = read(logAlarm());
  expect(alarm).toMatchObject({
    logicalId: 'Alarm',
    alarmName: 'port-scan',
    logGroups: ['FlowLogs'],
    logGroupsUnresolved: false,
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
    queryResultsToEvaluate: 3,
    queryResultsToAlarm: 1,
    treatMissingData: 'notBreaching',
    rateSeconds: 300,
    startTimeOffset: 300,
    actionLogLineCount: 5,
    settings: { threshold: 100, queryResultsToEvaluate: 3, queryResultsToAlarm: 1, rateSeconds: 300, startTimeOffset: 300 },
  });
  expect(alarm.notSimulated).toBeUndefined();
  expect(alarm.query?.aggregation).toEqual({ fn: 'max', field: 'ports', by: ['srcaddr'], sort: undefined });
});

test('log group identifiers: Ref or GetAtt of a log group, a literal name, the name in a literal ARN, a resolved Join', () => {
  const groups = (ids: unknown[], refs: Record<string, string> = {}) => read(logAlarm({}, { LogGroupIdentifiers: ids }), refs).logGroups;
  expect(groups([{ 'Fn::GetAtt': ['FlowLogs', 'Arn'] }])).toEqual(['FlowLogs']);
  expect(groups(['/vpc/flow-logs'])).toEqual(['/vpc/flow-logs']);
  expect(groups(['arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*'])).toEqual(['/vpc/flow-logs']);
  expect(groups(['arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs'])).toEqual(['/vpc/flow-logs']);
  expect(groups([{ 'Fn::Join': ['', ['/vpc/', { Ref: 'Env' }]] }], { Env: 'prod' })).toEqual(['/vpc/prod']);
});

test('what cannot be resolved or simulated is said, with the settings still read', () => {
  const unresolved = read(logAlarm({}, { LogGroupIdentifiers: [{ 'Fn::Join': ['', ['/vpc/', { Ref: 'Env' }]] }] }));
  expect(unresolved).toMatchObject({ logGroupsUnresolved: true, notSimulated: 'its name or log groups have unresolved references: Env (give their values)' });
  expect(read(logAlarm({}, { QueryString: { 'Fn::Sub': 'x' } })).notSimulated)
    .toBe('its QueryString or AggregationExpression has unresolved references: {"Fn::Sub":"x"} (give their values)');
  expect(read(logAlarm({}, {}, { ScheduleExpression: 'cron(0/5 * * * ? *)' })).notSimulated).toMatch(/^ScheduleExpression "cron/);
  expect(read(logAlarm({}, {}, { StartTimeOffset: undefined })).notSimulated).toBe('it has no StartTimeOffset, and CloudWatch documents no default for it');
  const distinct = read(logAlarm({}, { AggregationExpression: 'count_distinct(dstport) by srcaddr' }));
  expect(distinct).toMatchObject({ threshold: 100, rateSeconds: 300, notSimulated: expect.stringMatching(/^`count_distinct\(\)` in an AggregationExpression is not simulated/) });
  expect(read(logAlarm({ Threshold: { Ref: 'Limit' } })).notSimulated).toBe('its Threshold is not a literal number');
  expect(read(logAlarm({ QueryResultsToAlarm: 4 })).notSimulated).toBe('QueryResultsToAlarm must be a whole number from 1 to QueryResultsToEvaluate (3), got 4');
  expect(read(logAlarm({ Threshold: '100', QueryResultsToEvaluate: '3' })).notSimulated).toBeUndefined(); // numbers written as strings
});
