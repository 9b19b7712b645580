import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { FlowLogTarget, FlowLogWatch, SubnetRole, TrafficSignature } from '../../src';
import { testStack, threeTierVpc } from '../util';

// Generated names within their limits never change (the example app's snapshot guards that);
// names over a limit are cut short and end with a hash of the full name: deterministic, unique.
const chars = (s: string) => [...s].length;

function longWatch(stack: Stack, id: string) {
  return new FlowLogWatch(stack, id, {
    target: FlowLogTarget.fromVpc(threeTierVpc(stack, `Vpc${id.slice(-1)}`, 1)),
    contributorInsights: true,
    dashboard: true,
    archive: {},
  });
}

function names(stack: Stack) {
  const template = Template.fromStack(stack);
  const props = (type: string) => Object.values(template.findResources(type)).map(r => r.Properties);
  const nameTags = props('AWS::EC2::FlowLog').map(p => p.Tags.find((t: any) => t.Key === 'Name').Value as string);
  return {
    alarms: props('AWS::CloudWatch::Alarm').map(p => p.AlarmName as string),
    descriptions: props('AWS::CloudWatch::Alarm').map(p => p.AlarmDescription as string),
    rules: props('AWS::CloudWatch::InsightRule').map(p => p.RuleName as string),
    namespaces: props('AWS::Logs::MetricFilter').map(p => p.MetricTransformations[0].MetricNamespace as string),
    metricNames: props('AWS::Logs::MetricFilter').map(p => p.MetricTransformations[0].MetricName as string),
    dashboards: props('AWS::CloudWatch::Dashboard').map(p => p.DashboardName as string),
    tables: props('AWS::Glue::Table').map(p => p.TableInput.Name as string),
    nameTags,
  };
}

describe('a watch whose construct path is 300 characters long', () => {
  const id = `Watch${'X'.repeat(295)}`;
  const stack = testStack();
  longWatch(stack, id);
  const n = names(stack);

  test('synthesizes: nothing blames a prop the user did not set (metricNamespace, dashboardName, flowLogName)', () => {
    expect(n.alarms.length).toBeGreaterThan(0);
    Annotations.fromStack(stack).hasNoError('*', '*');
  });

  test('alarm names: at most 255 characters, the role and kind kept, unique', () => {
    for (const name of n.alarms) {
      expect(chars(name)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^TestStack-WatchX+-[0-9a-f]{8}-(public|private|isolated|skipped|delivery)-[a-z-]+$/);
    }
    expect(n.alarms).toContainEqual(expect.stringMatching(/-public-ssh-accepted$/));
    expect(new Set(n.alarms).size).toBe(n.alarms.length);
  });

  test('alarm descriptions: at most 1,024 characters', () => {
    for (const description of n.descriptions) {
      expect(chars(description)).toBeLessThanOrEqual(1024);
    }
  });

  test('Contributor Insights rule names: at most 128 printable ASCII characters, unique', () => {
    expect(n.rules).toHaveLength(3);
    for (const name of n.rules) {
      expect(chars(name)).toBeLessThanOrEqual(128);
      expect(name).toMatch(/^[\x20-\x7E]+$/);
    }
    expect(new Set(n.rules).size).toBe(3);
  });

  test('the metric namespace: at most 255 characters, still FlowLogs/ and the path', () => {
    for (const namespace of n.namespaces) {
      expect(chars(namespace)).toBeLessThanOrEqual(255);
      expect(namespace).toMatch(/^FlowLogs\/TestStack\/WatchX+-[0-9a-f]{8}$/);
    }
  });

  test('metric names stay short: the role label and the signature\'s name', () => {
    for (const name of n.metricNames) {
      expect(chars(name)).toBeLessThanOrEqual(255);
    }
  });

  test('the flow logs\' Name tags: at most 256 characters, the archive\'s ending in " (archive)"', () => {
    expect(n.nameTags).toHaveLength(2);
    for (const tag of n.nameTags) {
      expect(chars(tag)).toBeLessThanOrEqual(256);
    }
    expect(n.nameTags).toContainEqual(expect.stringMatching(/^TestStack\/WatchX+-[0-9a-f]{8} \(archive\)$/));
  });

  test('the dashboard name and the Glue table name: at most 255 characters of what each allows', () => {
    expect(n.dashboards).toHaveLength(1);
    expect(n.dashboards[0]).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
    expect(n.tables).toHaveLength(1);
    expect(n.tables[0]).toMatch(/^[a-z0-9_]{1,255}$/);
  });

  test('deterministic: the same app gives the same names', () => {
    const again = testStack();
    longWatch(again, id);
    expect(names(again)).toEqual(n);
  });
});

test('two long paths that differ only in their last characters get different names', () => {
  const stack = testStack();
  longWatch(stack, `Watch${'X'.repeat(290)}1`);
  longWatch(stack, `Watch${'X'.repeat(290)}2`);
  const n = names(stack);
  for (const list of [n.alarms, n.rules, n.dashboards, n.tables]) {
    expect(new Set(list).size).toBe(list.length);
  }
  expect(new Set(n.namespaces).size).toBe(2);
});

test('an alarm name of exactly 255 characters is kept as it is; one more character shortens it', () => {
  // `TestStack-<id>-public-ssh-accepted`: 10 + id + 20 characters.
  const atLimit = testStack();
  new FlowLogWatch(atLimit, 'W'.repeat(225), { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC) });
  expect(names(atLimit).alarms).toContain(`TestStack-${'W'.repeat(225)}-public-ssh-accepted`);

  const over = testStack();
  new FlowLogWatch(over, 'W'.repeat(226), { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC) });
  const name = names(over).alarms.find(a => a.endsWith('-public-ssh-accepted'))!;
  expect(chars(name)).toBe(255);
  expect(name).toMatch(/^TestStack-W+-[0-9a-f]{8}-public-ssh-accepted$/);
});

test('Glue tables of watches Net-Watch and Net_Watch (both net_watch in Glue\'s lowercase) are unique; the first keeps its name', () => {
  const stack = testStack();
  for (const id of ['Net-Watch', 'Net_Watch']) {
    new FlowLogWatch(stack, id, { target: FlowLogTarget.fromVpc(threeTierVpc(stack, `${id}Vpc`, 1)), archive: {} });
  }
  const tables = names(stack).tables;
  expect(tables[0]).toBe('teststack_net_watch');
  expect(tables[1]).toMatch(/^teststack_net_watch_[0-9a-f]{8}$/);
});

test('the longest custom metric name, with the longest role label, is within CloudWatch\'s 255 characters', () => {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'Watch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  watch.metric(TrafficSignature.custom({ metricName: `L${'o'.repeat(200)}`, destinationPorts: [5432] }), SubnetRole.ISOLATED);
  const longest = Math.max(...names(stack).metricNames.map(chars));
  expect(longest).toBe('Isolated'.length + 201);
  expect(longest).toBeLessThanOrEqual(255);
});

test('names within their limits do not change', () => {
  const app = new App();
  const stack = testStack('Network', app);
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), contributorInsights: true, dashboard: true, archive: {} });
  const n = names(stack);
  expect(n.alarms).toContain('Network-VpcWatch-public-ssh-accepted');
  expect(n.rules).toContain('Network-VpcWatch-top-talkers');
  expect(n.namespaces[0]).toBe('FlowLogs/Network/VpcWatch');
  expect(n.dashboards).toEqual(['Network-VpcWatch']);
  expect(n.tables).toEqual(['network_vpcwatch']);
  expect(n.nameTags.sort()).toEqual(['Network/VpcWatch', 'Network/VpcWatch (archive)']);
});

test('alarm descriptions that long paths would take over 1,024 characters are cut there, ending in …', () => {
  const stack = testStack();
  const vpc = threeTierVpc(stack, `Vpc${'V'.repeat(400)}`, 1);
  new FlowLogWatch(stack, `Watch${'W'.repeat(400)}`, { target: FlowLogTarget.fromVpc(vpc) });
  const descriptions = names(stack).descriptions;
  expect(descriptions.some(d => chars(d) === 1024 && d.endsWith('…'))).toBe(true);
  for (const description of descriptions) {
    expect(chars(description)).toBeLessThanOrEqual(1024);
  }
});
