import { validateAccountId } from './private/identifiers';

/**
 * Which account deploys the organization-wide rules. Only the organization's management
 * account or a delegated administrator account may create them
 * (https://docs.aws.amazon.com/cloudwatch/latest/observabilityadmin/API_CreateTelemetryRuleForOrganization.html).
 */
export class FlowLogOrganizationAdministrator {
  /** The organization's management account. */
  public static readonly MANAGEMENT_ACCOUNT = new FlowLogOrganizationAdministrator(false, undefined);

  /**
   * A member account registered as the CloudWatch delegated administrator of the organization
   * (CloudWatch console, Settings, Organization), often the log-archive or security account.
   *
   * @param accountId the delegated administrator's account ID (12 digits)
   */
  public static delegatedAdministrator(accountId: string): FlowLogOrganizationAdministrator {
    validateAccountId('administrator.accountId (a delegated administrator needs its account ID)', accountId);
    return new FlowLogOrganizationAdministrator(true, accountId);
  }

  /** Whether it is a delegated administrator rather than the management account. */
  public readonly delegated: boolean;

  /** The delegated administrator's account ID (none for the management account). */
  public readonly accountId?: string;

  private constructor(delegated: boolean, accountId: string | undefined) {
    this.delegated = delegated;
    this.accountId = accountId;
  }
}
