import { Annotations, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FlowLogInsightRule } from './flow-log-insight-rule';
import { FlowLogFormat } from '../capture/flow-log-format';
import { INSIGHT_RULE_NAME, watchResourceName } from '../private/resource-name';

/**
 * The Contributor Insights rules of `FlowLogInsightRule.ALL` on a watch's log group, under
 * `<watch>/ContributorInsights`; rules whose fields the format lacks are left out, and an info
 * message names them.
 */
export function addWatchInsightRules(watch: Construct, logGroup: logs.ILogGroup, logFormat: FlowLogFormat): cloudwatch.CfnInsightRule[] {
  const rules = new Construct(watch, 'ContributorInsights');
  const created: cloudwatch.CfnInsightRule[] = [];
  const left: string[] = [];
  for (const rule of FlowLogInsightRule.ALL) {
    const missing = rule.missingFields(logFormat);
    if (missing.length > 0) {
      left.push(`${rule.id} (needs ${missing.join(', ')})`);
      continue;
    }
    created.push(new cloudwatch.CfnInsightRule(rules, rule.id, {
      ruleName: watchResourceName(watch, rule.suffix, INSIGHT_RULE_NAME),
      ruleState: 'ENABLED',
      ruleBody: Stack.of(watch).toJsonString(rule.renderRuleBody(logFormat, [logGroup.logGroupName])),
    }));
  }
  if (left.length > 0) {
    Annotations.of(watch).addInfo(`Contributor Insights rules left out, their fields are not in the format: ${left.join('; ')}`);
  }
  return created;
}
