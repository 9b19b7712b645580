import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FlowLogFormat, FlowLogInsightRule, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

/** The 1-based position of each named field in a space-delimited record of the format. */
function position(format: FlowLogFormat, name: string): string {
  return String(format.fieldNames.indexOf(name) + 1);
}

describe('FlowLogInsightRule', () => {
  test('field positions come from the format: the kit\'s', () => {
    const body = FlowLogInsightRule.SSH_SOURCES.renderRuleBody(FlowLogFormat.KIT, ['lg']);
    expect(body).toEqual({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: ['lg'],
      LogFormat: 'CLF',
      Fields: { 4: 'srcaddr', 13: 'action', 7: 'dstport', 8: 'protocol' },
      Contribution: {
        Keys: ['srcaddr', 'action'],
        Filters: [{ Match: 'dstport', EqualTo: 22 }, { Match: 'protocol', EqualTo: 6 }],
      },
      AggregateOn: 'Count',
    });
  });

  test('field positions come from the format: a custom one with the fields elsewhere', () => {
    const custom = FlowLogFormat.fromFieldNames(['start', 'end', 'action', 'bytes', 'dstaddr', 'srcaddr', 'log-status']);
    expect(FlowLogInsightRule.TOP_TALKERS.renderRuleBody(custom, ['lg'])).toMatchObject({
      Fields: { [position(custom, 'srcaddr')]: 'srcaddr', [position(custom, 'bytes')]: 'bytes' },
      Contribution: { Keys: ['srcaddr'], ValueOf: 'bytes', Filters: [] },
      AggregateOn: 'Sum',
    });
    expect(position(custom, 'srcaddr')).toBe('6');
    expect(FlowLogInsightRule.REJECTED_SOURCES.renderRuleBody(custom, ['lg'])).toMatchObject({
      Fields: { 6: 'srcaddr', 3: 'action' },
      Contribution: { Keys: ['srcaddr'], Filters: [{ Match: 'action', In: ['REJECT'] }] },
      AggregateOn: 'Count',
    });
    expect(FlowLogInsightRule.SSH_SOURCES.missingFields(custom)).toEqual(['dstport', 'protocol']);
    expect(() => FlowLogInsightRule.SSH_SOURCES.renderRuleBody(custom, ['lg']))
      .toThrow("Contributor Insights rule 'SshSources' reads dstport, protocol, which the format does not record");
  });
});

describe('FlowLogWatch contributorInsights', () => {
  test('off by default', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::InsightRule', 0);
  });

  test('on: three enabled rules on the watch\'s log group, named after the watch', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), contributorInsights: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::InsightRule', 3);
    const rules = template.findResources('AWS::CloudWatch::InsightRule');
    expect(Object.values(rules).map((r: any) => [r.Properties.RuleName, r.Properties.RuleState])).toEqual([
      ['TestStack-VpcWatch-top-talkers', 'ENABLED'],
      ['TestStack-VpcWatch-rejected-sources', 'ENABLED'],
      ['TestStack-VpcWatch-ssh-sources', 'ENABLED'],
    ]);
    // The body is JSON with the log group's name resolved at deploy time.
    const body = JSON.stringify(Object.values(rules)[0].Properties.RuleBody);
    expect(body).toContain('\\"LogFormat\\":\\"CLF\\"');
    expect(body).toContain(`"${stack.resolve(watch.logGroup.logGroupName).Ref}"`);
    expect(watch.insightRules).toHaveLength(3);
    expect(Object.keys(rules)[0]).toMatch(/^VpcWatchContributorInsightsTopTalkers/);
  });

  test('a format without dstport and protocol leaves the SSH rule out, and says so', () => {
    const stack = testStack();
    const logFormat = FlowLogFormat.fromFieldNames(['version', 'srcaddr', 'dstaddr', 'bytes', 'start', 'end', 'action', 'log-status']);
    new FlowLogWatch(stack, 'VpcWatch', {
      target: FlowLogTarget.fromVpc(threeTierVpc(stack)), logFormat, contributorInsights: true, alarms: { enabled: false }, queryDefinitions: false,
    });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::InsightRule', 2);
    Annotations.fromStack(stack).hasInfo('/TestStack/VpcWatch', Match.stringLikeRegexp(
      'Contributor Insights rules left out, their fields are not in the format: SshSources \\(needs dstport, protocol\\)'));
  });
});
