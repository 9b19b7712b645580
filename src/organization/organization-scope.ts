import { Token } from 'aws-cdk-lib';
import { ACCOUNT_ID, ORGANIZATION_ID, ORGANIZATIONAL_UNIT_ID, quoted, validateFormat, validateList } from './private/identifiers';

/**
 * Which accounts of the organization an organization-wide rule covers: the whole organization,
 * organizational units (with the accounts below them), or a list of accounts.
 *
 * It renders the `Scope` filter of `AWS::ObservabilityAdmin::OrganizationTelemetryRule` and of
 * `AWS::ObservabilityAdmin::OrganizationCentralizationRule`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-observabilityadmin-organizationtelemetryrule-telemetryrule.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-observabilityadmin-organizationcentralizationrule-centralizationrulesource.html).
 * The organization form, `OrganizationId = 'o-…'`, is the one AWS's examples use; where your
 * organization needs another form, give it with `fromExpression`.
 */
export class FlowLogOrganizationScope {
  /**
   * Every account of the organization, present and future.
   *
   * @param organizationId the organization's ID, `o-` and 10 to 32 letters or digits
   */
  public static organization(organizationId: string): FlowLogOrganizationScope {
    validateFormat('scope.organizationId', organizationId, ORGANIZATION_ID, "an organization ID ('o-' and 10 to 32 lowercase letters or digits)");
    return new FlowLogOrganizationScope(`OrganizationId = ${quoted(organizationId)}`, 'organization', [organizationId]);
  }

  /**
   * The accounts in these organizational units and the OUs below them.
   *
   * @param organizationalUnitIds OU IDs, `ou-<root>-<suffix>`
   */
  public static organizationalUnits(organizationalUnitIds: string[]): FlowLogOrganizationScope {
    validateList('scope.organizationalUnitIds', organizationalUnitIds, ORGANIZATIONAL_UNIT_ID,
      "organizational unit IDs ('ou-', 4 to 32 letters or digits, '-', 8 to 32 letters or digits)");
    return new FlowLogOrganizationScope(anyOf('OrganizationUnitId', organizationalUnitIds), 'organizationalUnits', organizationalUnitIds);
  }

  /**
   * These accounts.
   *
   * @param accountIds account IDs, 12 digits each
   */
  public static accounts(accountIds: string[]): FlowLogOrganizationScope {
    validateList('scope.accountIds', accountIds, ACCOUNT_ID, 'AWS account IDs (12 digits)');
    return new FlowLogOrganizationScope(anyOf('AccountId', accountIds), 'accounts', accountIds);
  }

  /**
   * A scope filter written out, passed to CloudFormation as it is.
   */
  public static fromExpression(expression: string): FlowLogOrganizationScope {
    if (!Token.isUnresolved(expression) && (expression ?? '').trim() === '') {
      throw new Error(`\`scope\` expression must not be empty, got '${expression ?? ''}': `
        + 'use FlowLogOrganizationScope.organization(), organizationalUnits() or accounts()');
    }
    return new FlowLogOrganizationScope(expression, 'expression', []);
  }

  /** The `Scope` filter. */
  public readonly expression: string;

  /** What the scope is made of: `organization`, `organizationalUnits`, `accounts` or `expression`. */
  public readonly kind: string;

  /** The organization, OU or account IDs the scope names (empty for an expression). */
  public readonly ids: string[];

  private constructor(expression: string, kind: string, ids: string[]) {
    this.expression = expression;
    this.kind = kind;
    this.ids = [...ids];
  }
}

function anyOf(field: string, values: string[]): string {
  return values.map(v => `${field} = ${quoted(v)}`).join(' OR ');
}
