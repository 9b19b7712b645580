import { Token } from 'aws-cdk-lib';
import { quoted } from './private/identifiers';

/**
 * Which VPCs of the accounts in scope the telemetry rule turns flow logs on for, by tag: the
 * `SelectionCriteria` filter of the rule
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-observabilityadmin-organizationtelemetryrule-telemetryrule.html).
 */
export class FlowLogResourceSelection {
  /**
   * VPCs that carry this tag with this value.
   */
  public static tagged(key: string, value: string): FlowLogResourceSelection {
    for (const [prop, v, max] of [['key', key, 128], ['value', value, 256]] as const) {
      if (v === undefined || (!Token.isUnresolved(v) && (v.length > max || (prop === 'key' && v.length === 0)))) {
        throw new Error(`\`resourceSelection\` tag ${prop} must be ${prop === 'key' ? 1 : 0} to ${max} characters, got '${v ?? ''}'`);
      }
    }
    return new FlowLogResourceSelection(`TagKey = ${quoted(key)} AND TagValue = ${quoted(value)}`);
  }

  /**
   * A selection filter written out, passed to CloudFormation as it is.
   */
  public static fromExpression(expression: string): FlowLogResourceSelection {
    if (!Token.isUnresolved(expression) && (expression ?? '').trim() === '') {
      throw new Error(`\`resourceSelection\` expression must not be empty, got '${expression ?? ''}': leave the option out to select every VPC`);
    }
    return new FlowLogResourceSelection(expression);
  }

  /** The `SelectionCriteria` filter. */
  public readonly expression: string;

  private constructor(expression: string) {
    this.expression = expression;
  }
}
