import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { FlowLogBaseline, FlowLogDashboard, FlowLogFormat, FlowLogQuery, FlowLogTarget, FlowLogWatch, TrafficSignature } from '../../src';
import { testStack, threeTierVpc } from '../util';

/** The dashboards of a stack: name and parsed body, references written as `<Ref:LogicalId>` and `<GetAtt:LogicalId>`. */
function dashboards(stack: Stack): Array<{ name?: string; widgets: any[] }> {
  const resources = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  return Object.values(resources).map((r: any) => {
    const body = r.Properties.DashboardBody;
    const text = typeof body === 'string' ? body : body['Fn::Join'][1]
      .map((part: any) => (typeof part === 'string' ? part : part.Ref ? `<Ref:${part.Ref}>` : `<GetAtt:${part['Fn::GetAtt'][0]}>`)).join('');
    return { name: r.Properties.DashboardName, widgets: JSON.parse(text).widgets };
  });
}

function titles(widgets: any[]): string[] {
  return widgets.map(w => w.properties.title ?? w.properties.markdown.split('\n')[0]);
}

describe('FlowLogWatch dashboard', () => {
  test('off by default', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('on: per role flows, bytes and egress with its band; SSH bytes; alarm status; top talkers and rejected sources', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), dashboard: true });
    const [board] = dashboards(stack);
    expect(board.name).toBe('TestStack-VpcWatch');
    expect(titles(board.widgets)).toEqual([
      '## Flow logs: TestStack/VpcWatch',
      'Flows: public subnets', 'Flows: private subnets', 'Flows: isolated subnets',
      'Bytes: public subnets', 'Bytes: private subnets', 'Bytes: isolated subnets',
      'Egress bytes and expected range: public subnets', 'Egress bytes and expected range: private subnets',
      'Egress bytes and expected range: isolated subnets',
      'SSH bytes accepted inbound', 'Alarms',
      'Top talkers by source address', 'Sources of rejected flows',
    ]);
    const byTitle = (title: string) => board.widgets.find(w => w.properties.title === title);

    const flows = byTitle('Flows: private subnets');
    expect(flows.properties.metrics).toEqual([
      ['FlowLogs/TestStack/VpcWatch', 'PrivateAcceptedFlows', { label: 'accepted', stat: 'Sum' }],
      ['FlowLogs/TestStack/VpcWatch', 'PrivateRejectedFlows', { label: 'rejected', stat: 'Sum' }],
    ]);
    expect(flows.properties).toMatchObject({ yAxis: { left: { label: 'flows / 5 min', min: 0, showUnits: false } } });
    expect(flows).toMatchObject({ width: 8, height: 6 });

    const egress = byTitle('Egress bytes and expected range: public subnets');
    expect(egress.properties.metrics).toEqual([
      ['FlowLogs/TestStack/VpcWatch', 'PublicEgressBytes', { label: 'egress bytes', id: 'm1', stat: 'Sum' }],
      [{ expression: 'ANOMALY_DETECTION_BAND(m1, 2)', label: 'expected range' }],
    ]);

    expect(byTitle('Alarms').properties.alarms).toHaveLength(watch.alarms.length);
    expect(byTitle('SSH bytes accepted inbound').properties.metrics.map((m: any) => m.at(-1).label))
      .toEqual(['public subnets', 'private subnets', 'isolated subnets']);

    const talkers = byTitle('Top talkers by source address');
    expect(talkers.type).toBe('log');
    expect(talkers.properties.query).toBe(`SOURCE '<Ref:${stack.resolve(watch.logGroup.logGroupName).Ref}>' | `
      + FlowLogQuery.TOP_TALKERS.renderQuery(FlowLogFormat.KIT).replace(/\n/g, '\n'));
    expect(talkers.properties.view).toBe('table');

    // The dashboard's metrics come from filters the watch creates for it: accepted flows and bytes, rejected bytes per role,
    // and egress bytes of the isolated subnets (whose alarms watch external egress only).
    const filters = Template.fromStack(stack).findResources('AWS::Logs::MetricFilter');
    const metricNames = Object.values(filters).map((f: any) => f.Properties.MetricTransformations[0].MetricName);
    expect(metricNames).toEqual(expect.arrayContaining(['PublicAcceptedFlows', 'PrivateAcceptedBytes', 'IsolatedRejectedBytes', 'IsolatedEgressBytes']));
    expect(metricNames).toHaveLength(10 + 3 * 3 + 1);
  });

  test('widgets whose fields the format lacks are left out, and the header says which', () => {
    const stack = testStack();
    const logFormat = FlowLogFormat.fromFieldNames(['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
      'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'vpc-id', 'subnet-id']);
    new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), logFormat, dashboard: true, alarms: { enabled: false } });
    const [board] = dashboards(stack);
    expect(titles(board.widgets).some(t => t.startsWith('Egress'))).toBe(false);
    expect(titles(board.widgets)).toContain('Bytes: public subnets');
    expect(titles(board.widgets)).not.toContain('Alarms');
    expect(board.widgets[0].properties.markdown).toMatch(/Not shown, the record format lacks their fields: egress of public subnets \(`logFormat` lacks 'flow-direction'.*\)/);
  });

  test('a watch is added once; a dashboard name is checked', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), dashboard: true });
    expect(() => watch.dashboard!.addWatch(watch)).toThrow('addWatch: TestStack/VpcWatch is already on the dashboard TestStack/VpcWatch/Dashboard');
    expect(() => new FlowLogDashboard(stack, 'Bad', { dashboardName: 'has space' }))
      .toThrow("`dashboardName` must be 1 to 255 letters, digits, '-' or '_', got 'has space'");
  });
});

test('the baseline makes one dashboard per stack, with a section per VPC', () => {
  const app = new App();
  const stack = testStack('Network', app);
  threeTierVpc(stack, 'Edge');
  threeTierVpc(stack, 'Core');
  Aspects.of(app).add(new FlowLogBaseline({ dashboard: true }), { priority: AspectPriority.MUTATING });
  const boards = dashboards(stack);
  expect(boards).toHaveLength(1);
  expect(boards[0].name).toBe('Network-FlowLogs');
  expect(titles(boards[0].widgets).filter(t => t.startsWith('## '))).toEqual(['## Flow logs: Network/Edge/FlowLogWatch', '## Flow logs: Network/Core/FlowLogWatch']);
});

describe('dashboard names are taken once per account (dashboards are global, not per Region)', () => {
  test('fails at synth when two dashboards of a stack would get the same default name', () => {
    const stack = testStack();
    new FlowLogDashboard(stack, 'Ops');
    new FlowLogDashboard(stack, 'Security');
    expect(() => Template.fromStack(stack)).toThrow(/two CloudWatch dashboards would be named 'TestStack' in account 123456789012: TestStack\/Ops\/Dashboard and TestStack\/Security\/Dashboard/);
  });

  test('fails at synth when stacks of one name in two Regions of an account both get the baseline\'s dashboard', () => {
    const app = new App();
    for (const [id, region] of [['East', 'us-east-1'], ['West', 'eu-west-1']]) {
      threeTierVpc(new Stack(app, id, { stackName: 'Network', env: { account: '123456789012', region } }));
    }
    Aspects.of(app).add(new FlowLogBaseline({ dashboard: true }), { priority: AspectPriority.MUTATING });
    expect(() => app.synth()).toThrow(/two CloudWatch dashboards would be named 'Network-FlowLogs' in account 123456789012: East\/FlowLogDashboard\/Dashboard and West\/FlowLogDashboard\/Dashboard/);
  });

  test('a dashboard of your own of the same name counts; other accounts, and names given apart, do not', () => {
    const app = new App();
    const stack = testStack('Network', app);
    new cloudwatch.Dashboard(stack, 'Mine', { dashboardName: 'Network-FlowLogs' });
    FlowLogDashboard.of(stack);
    expect(() => app.synth()).toThrow(/two CloudWatch dashboards would be named 'Network-FlowLogs' in account 123456789012/);

    const fine = new App();
    const a = testStack('A', fine);
    new FlowLogDashboard(a, 'Ops', { dashboardName: 'ops' });
    new FlowLogDashboard(a, 'Security', { dashboardName: 'security' });
    const other = new Stack(fine, 'B', { stackName: 'A', env: { account: '210987654321', region: 'us-east-1' } });
    new FlowLogDashboard(other, 'Ops', { dashboardName: 'ops' });
    expect(() => fine.synth()).not.toThrow();
  });
});

test('a widget is left out only for a field the format lacks: any other error stops synth', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), alarms: { enabled: false } });
  // A signature of the user's under a metric name the dashboard's accepted-flows widget needs.
  watch.metric(TrafficSignature.custom({ metricName: 'AcceptedFlows', destinationPorts: [443] }), watch.roles[0]);
  expect(() => new FlowLogDashboard(stack, 'Board').addWatch(watch)).toThrow(/`metricName` 'AcceptedFlows' is already used on TestStack\/VpcWatch/);
});
