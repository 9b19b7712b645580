import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { FlowLogQuery } from './flow-log-query';
import { TrafficDirection, TrafficSignature } from '../alarms/traffic-signature';
import type { FlowLogWatch } from '../capture/flow-log-watch';
import { SubnetRole } from '../capture/subnet-role';
import { MissingFieldsError } from '../private/missing-fields-error';
import { boundedName } from '../private/resource-name';
import { stackSingleton } from '../private/stack-singleton';

const PERIOD = Duration.minutes(5);
// PutDashboard DashboardName: "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_""
// (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatch/aws.sdk.kotlin.services.cloudwatch.model/-put-dashboard-request/dashboard-name.html).
const MAX_DASHBOARD_NAME_LENGTH = 255;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
// "All dashboards in your account are global, not region-specific"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html): a name is taken once per account.
const WIDTH = 24;

/**
 * Options of a `FlowLogDashboard`.
 */
export interface FlowLogDashboardProps {
  /**
   * The dashboard's name: letters, digits, `-` and `_`.
   *
   * @default - the scope's construct path with `-` for `/`, e.g. `Network-VpcWatch`
   */
  readonly dashboardName?: string;
}

/**
 * A CloudWatch dashboard of flow-log watches: for each watch, a section with, per subnet role,
 * accepted and rejected flows and bytes over time and egress bytes with their anomaly band; SSH
 * bytes accepted; the status of the watch's alarms; and tables of the top talkers and of the
 * sources of rejected flows (Logs Insights over the watch's log group, parsed with its field list).
 *
 * `FlowLogWatch` makes one for itself with `dashboard: true`; `FlowLogBaseline` makes one per
 * stack (`FlowLogDashboard.of`) with a section per VPC.
 *
 * Metrics come from the watch's metric filters, created on first use (accepted flows and bytes,
 * rejected flows and bytes, egress bytes, SSH bytes per role); a widget whose fields the watch's
 * format lacks is left out and named in the section's header.
 */
export class FlowLogDashboard extends Construct {
  /**
   * The scope's stack's dashboard of flow-log watches, created on first use (`FlowLogDashboard`
   * at the root of the stack, named `<stack name>-FlowLogs`).
   */
  public static of(scope: IConstruct): FlowLogDashboard {
    return stackSingleton(scope, 'FlowLogDashboard', (c): c is FlowLogDashboard => c instanceof FlowLogDashboard,
      (stack, id) => new FlowLogDashboard(stack, id, {
        dashboardName: Token.isUnresolved(stack.stackName) ? undefined : `${stack.stackName}-FlowLogs`,
      }));
  }

  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly watches: FlowLogWatch[] = [];

  constructor(scope: Construct, id: string, props: FlowLogDashboardProps = {}) {
    super(scope, id);
    const given = props.dashboardName;
    if (given !== undefined && !Token.isUnresolved(given) && !DASHBOARD_NAME.test(given)) {
      throw new Error(`\`dashboardName\` must be 1 to 255 letters, digits, '-' or '_', got '${given}'`);
    }
    // The default, from the construct path, is shortened with a hash when the path is long.
    const dashboardName = given ?? (Token.isUnresolved(Stack.of(this).stackName) ? undefined
      : boundedName(scope.node.path.replace(/\//g, '-').replace(/[^A-Za-z0-9_-]/g, '_'), '', MAX_DASHBOARD_NAME_LENGTH, scope.node.path));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName,
      defaultInterval: Duration.hours(24),
    });
    this.node.addValidation({ validate: () => dashboardNameCollisions(this.dashboard) });
  }

  /**
   * Adds a section for the watch.
   *
   * @throws when the watch is already on the dashboard
   */
  public addWatch(watch: FlowLogWatch): void {
    if (this.watches.includes(watch)) {
      throw new Error(`addWatch: ${watch.node.path} is already on the dashboard ${this.node.path}`);
    }
    this.watches.push(watch);
    const leftOut: string[] = [];
    const tryWidget = (what: string, make: () => cloudwatch.IWidget): cloudwatch.IWidget[] => {
      try {
        return [make()];
      } catch (e) {
        // Only a field the format lacks leaves a widget out; any other error (a clash of metric names,
        // a filter pattern over its limit) is the user's to fix, not a widget to drop.
        if (!(e instanceof MissingFieldsError)) {
          throw e;
        }
        leftOut.push(`${what} (${e.message.replace(/ \(fields: .*$/, '')})`);
        return [];
      }
    };
    const roles = watch.roles;
    const width = Math.max(6, Math.floor(WIDTH / roles.length));

    const flows = roles.flatMap(role => tryWidget(`flows of ${role.name} subnets`, () => graph(
      `Flows: ${role.name} subnets`, 'flows / 5 min',
      [metricOf(watch, TrafficSignature.ACCEPTED_FLOWS, role, 'accepted'), metricOf(watch, TrafficSignature.REJECTED_FLOWS, role, 'rejected')],
      width)));
    const bytes = roles.flatMap(role => tryWidget(`bytes of ${role.name} subnets`, () => graph(
      `Bytes: ${role.name} subnets`, 'bytes / 5 min',
      [metricOf(watch, TrafficSignature.ACCEPTED_BYTES, role, 'accepted'), metricOf(watch, TrafficSignature.REJECTED_BYTES, role, 'rejected')],
      width)));
    const egress = roles.flatMap(role => tryWidget(`egress of ${role.name} subnets`, () => {
      const metric = watch.metricTransferBytes(TrafficDirection.EGRESS, role, { period: PERIOD, label: 'egress bytes' });
      const band = new cloudwatch.MathExpression({
        expression: 'ANOMALY_DETECTION_BAND(m1, 2)',
        usingMetrics: { m1: metric },
        label: 'expected range',
        period: PERIOD,
      });
      return graph(`Egress bytes and expected range: ${role.name} subnets`, 'bytes / 5 min', [metric, band], width);
    }));
    const ssh = tryWidget('SSH bytes accepted', () => graph('SSH bytes accepted inbound', 'bytes / 5 min',
      roles.map(role => metricOf(watch, TrafficSignature.SSH_ACCEPTED_BYTES, role, `${role.name} subnets`)), 8));
    const alarms = watch.alarms.length === 0 ? [] : [new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: watch.alarms,
      width: 16,
      height: 6,
      sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
    })];
    const tables = [FlowLogQuery.TOP_TALKERS, FlowLogQuery.REJECTED_SOURCES].flatMap(query => tryWidget(`table '${query.title}'`,
      () => new cloudwatch.LogQueryWidget({
        title: query.title,
        logGroupNames: [watch.logGroup.logGroupName],
        queryString: query.renderQuery(watch.logFormat),
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 12,
        height: 8,
      })));

    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: header(watch, leftOut),
      width: WIDTH,
      height: leftOut.length > 0 ? 3 : 2,
    }));
    for (const row of [flows, bytes, egress, [...ssh, ...alarms], tables]) {
      if (row.length > 0) {
        this.dashboard.addWidgets(...row);
      }
    }
  }
}

/**
 * Two dashboards of one name in an account, whatever their Regions or stacks, are one dashboard: the second
 * deployment fails or overwrites the first. Every `AWS::CloudWatch::Dashboard` of the app counts (a kit's or
 * not); environment-agnostic stacks count as one account.
 */
function dashboardNameCollisions(dashboard: cloudwatch.Dashboard): string[] {
  const own = dashboard.node.defaultChild as cloudwatch.CfnDashboard;
  const key = dashboardKey(own);
  if (key === undefined) {
    return [];
  }
  const same = dashboard.node.root.node.findAll()
    .filter((c): c is cloudwatch.CfnDashboard => c instanceof cloudwatch.CfnDashboard && c !== own && dashboardKey(c) === key);
  if (same.length === 0) {
    return [];
  }
  const [account, name] = JSON.parse(key) as string[];
  const paths = [own, ...same].map(c => (c.node.scope ?? c).node.path).sort();
  return [`two CloudWatch dashboards would be named '${name}' in ${account === '' ? 'the same (environment-agnostic) account' : `account ${account}`}: `
    + `${paths.join(' and ')}. Dashboards are global to an account, not per Region, so one deployment would fail or overwrite the other: `
    + 'give them different `dashboardName`s (a FlowLogBaseline\'s stack dashboard is named `<stack name>-FlowLogs`).'];
}

/** The account and name of a dashboard with a name known at synth. */
function dashboardKey(dashboard: cloudwatch.CfnDashboard): string | undefined {
  const stack = Stack.of(dashboard);
  const name = stack.resolve(dashboard.dashboardName);
  if (typeof name !== 'string') {
    return undefined;
  }
  return JSON.stringify([Token.isUnresolved(stack.account) ? '' : stack.account, name]);
}

function metricOf(watch: FlowLogWatch, signature: TrafficSignature, role: SubnetRole, label: string): cloudwatch.IMetric {
  return watch.metric(signature, role, { period: PERIOD, label });
}

function graph(title: string, unit: string, metrics: cloudwatch.IMetric[], width: number): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: metrics,
    leftYAxis: { label: unit, min: 0, showUnits: false },
    width,
    height: 6,
  });
}

function header(watch: FlowLogWatch, leftOut: string[]): string {
  const lines = [
    `## Flow logs: ${watch.node.path}`,
    `${watch.target.targetType} target · subnet roles: ${watch.roles.map(r => r.name).join(', ')} · `
      + `${watch.alarms.length} alarms · metrics in \`${watch.metricNamespace}\``,
  ];
  if (leftOut.length > 0) {
    lines.push(`Not shown, the record format lacks their fields: ${leftOut.join('; ')}`);
  }
  return lines.join('\n\n');
}
