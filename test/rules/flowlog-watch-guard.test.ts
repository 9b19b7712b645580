import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { FlowLogBaseline } from '../../src';
import { GuardResult, runGuard } from '../cfn-guard';

/**
 * rules/flowlog-watch.guard, the cfn-guard rule file shipped in the package: it passes on the
 * example app's templates, and each rule fails, alone, on a template broken for it.
 */
const RULES_FILE = path.join(__dirname, '..', '..', 'rules', 'flowlog-watch.guard');

const VPC_RULE = 'flowlog_watch_vpc_has_flow_log';
const RETENTION_RULE = 'flowlog_watch_log_group_retention';
const FILTERS_RULE = 'flowlog_watch_filters';
const ALARMS_RULE = 'flowlog_watch_alarm_actions';
const ALL_RULES = [ALARMS_RULE, FILTERS_RULE, RETENTION_RULE, VPC_RULE];

type Template = { Resources: Record<string, any> };

// The example app under the org-wide baseline: the workload VPC, of which the example watches
// one subnet only, gets its VPC-level watch from the baseline.
const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
buildExampleApp(app);
const examples: Record<string, Template> = Object.fromEntries(app.synth().stacks.map(s => [s.stackName, s.template]));

const NETWORK = 'FlowLogWatchNetwork';
const WORKLOAD = 'FlowLogWatchWorkload';

/** The logical ID of the resource at a construct path (under the stack, without the stack name). */
function idOf(stack: string, constructPath: string): string {
  const full = `${stack}/${constructPath}`;
  const ids = Object.keys(examples[stack].Resources).filter(id => examples[stack].Resources[id].Metadata?.['aws:cdk:path'] === full);
  if (ids.length !== 1) {
    throw new Error(`expected one resource at ${full}, found ${ids.length}`);
  }
  return ids[0];
}

/** A copy of an example template, changed. */
function broken(stack: string, change: (resources: Record<string, any>) => void): Template {
  const template: Template = structuredClone(examples[stack]);
  change(template.Resources);
  return template;
}

/**
 * A failure about the template as a whole: a template with VPCs but no VPC-level flow log at all
 * fails on that ("the template has VPCs but no VPC-level flow log"), without naming a VPC.
 */
const TEMPLATE_WIDE = '(template)';

interface BrokenCase {
  /** What was broken. */
  readonly name: string;
  readonly template: Template;
  /** The one rule that must fail. */
  readonly rule: string;
  /** The logical ID the failure names, or TEMPLATE_WIDE. */
  readonly resource: string;
}

const cases: BrokenCase[] = [
  {
    name: 'the VPC flow log of the network VPC deleted',
    template: broken(NETWORK, r => delete r[idOf(NETWORK, 'VpcWatch/FlowLog/FlowLog')]),
    rule: VPC_RULE,
    resource: TEMPLATE_WIDE,
  },
  {
    name: 'the workload stack without the baseline (the example watches one subnet of its VPC only)',
    template: broken(WORKLOAD, r => {
      for (const id of Object.keys(r).filter(i => r[i].Metadata['aws:cdk:path'].startsWith(`${WORKLOAD}/Vpc/FlowLogWatch/`))) {
        delete r[id];
      }
    }),
    rule: VPC_RULE,
    resource: TEMPLATE_WIDE,
  },
  {
    name: 'a second VPC without a flow log',
    template: broken(NETWORK, r => r.SecondVpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.1.0.0/16' } }),
    rule: VPC_RULE,
    resource: 'SecondVpc',
  },
  {
    name: 'the VPC log group kept 365 days',
    template: broken(NETWORK, r => r[idOf(NETWORK, 'VpcWatch/LogGroup/Resource')].Properties.RetentionInDays = 365),
    rule: RETENTION_RULE,
    resource: idOf(NETWORK, 'VpcWatch/LogGroup/Resource'),
  },
  {
    name: 'the network-interface log group kept forever (no RetentionInDays)',
    template: broken(NETWORK, r => delete r[idOf(NETWORK, 'EniWatch/LogGroup/Resource')].Properties.RetentionInDays),
    rule: RETENTION_RULE,
    resource: idOf(NETWORK, 'EniWatch/LogGroup/Resource'),
  },
  {
    name: 'the subnet log group kept 1 day',
    template: broken(WORKLOAD, r => r[idOf(WORKLOAD, 'SubnetWatch/LogGroup/Resource')].Properties.RetentionInDays = 1),
    rule: RETENTION_RULE,
    resource: idOf(WORKLOAD, 'SubnetWatch/LogGroup/Resource'),
  },
  {
    name: 'a flow log naming its log group by ARN (LogDestination), kept 365 days',
    template: broken(WORKLOAD, r => {
      const logGroup = idOf(WORKLOAD, 'SubnetWatch/LogGroup/Resource');
      const flowLog = r[idOf(WORKLOAD, 'SubnetWatch/FlowLog/FlowLog')].Properties;
      delete flowLog.LogGroupName;
      flowLog.LogDestination = { 'Fn::GetAtt': [logGroup, 'Arn'] };
      r[logGroup].Properties.RetentionInDays = 365;
    }),
    rule: RETENTION_RULE,
    resource: idOf(WORKLOAD, 'SubnetWatch/LogGroup/Resource'),
  },
  {
    name: 'the SSH filter of the subnet watch deleted (a plain-string pattern)',
    template: broken(WORKLOAD, r => delete r[idOf(WORKLOAD, 'SubnetWatch/PrivateSshAcceptedBytesFilter/Resource')]),
    rule: FILTERS_RULE,
    resource: idOf(WORKLOAD, 'SubnetWatch/FlowLog/FlowLog'),
  },
  {
    name: 'the SSH filter of the subnet watch on port 2222 instead of 22',
    template: broken(WORKLOAD, r => {
      const filter = r[idOf(WORKLOAD, 'SubnetWatch/PrivateSshAcceptedBytesFilter/Resource')].Properties;
      filter.FilterPattern = filter.FilterPattern.replace('dstport=22,', 'dstport=2222,');
    }),
    rule: FILTERS_RULE,
    resource: idOf(WORKLOAD, 'SubnetWatch/FlowLog/FlowLog'),
  },
  {
    name: 'the three SSH filters of the VPC watch deleted (Fn::Join patterns, one per role)',
    template: broken(NETWORK, r => {
      for (const role of ['Public', 'Private', 'Isolated']) {
        delete r[idOf(NETWORK, `VpcWatch/${role}SshAcceptedBytesFilter/Resource`)];
      }
    }),
    rule: FILTERS_RULE,
    resource: idOf(NETWORK, 'VpcWatch/FlowLog/FlowLog'),
  },
  {
    name: 'the REJECT filter of the network-interface watch deleted',
    template: broken(NETWORK, r => delete r[idOf(NETWORK, 'EniWatch/PublicRejectedFlowsFilter/Resource')]),
    rule: FILTERS_RULE,
    resource: idOf(NETWORK, 'EniWatch/FlowLog/FlowLog'),
  },
  {
    name: 'a static alarm (Namespace FlowLogs/...) with empty AlarmActions',
    template: broken(WORKLOAD, r => r[idOf(WORKLOAD, 'SubnetWatch/PrivateSshAcceptedAlarm/Resource')].Properties.AlarmActions = []),
    rule: ALARMS_RULE,
    resource: idOf(WORKLOAD, 'SubnetWatch/PrivateSshAcceptedAlarm/Resource'),
  },
  {
    name: 'an anomaly alarm (namespace in Metrics) without AlarmActions',
    template: broken(NETWORK, r => delete r[idOf(NETWORK, 'VpcWatch/PublicRejectedFlowsAnomalyAlarm/Resource')].Properties.AlarmActions),
    rule: ALARMS_RULE,
    resource: idOf(NETWORK, 'VpcWatch/PublicRejectedFlowsAnomalyAlarm/Resource'),
  },
  {
    name: 'a per-source detection (log alarm) without AlarmActions',
    template: broken(NETWORK, r => delete r[idOf(NETWORK, 'VpcWatch/PortScanLogAlarm')].Properties.AlarmActions),
    rule: ALARMS_RULE,
    resource: idOf(NETWORK, 'VpcWatch/PortScanLogAlarm'),
  },
  {
    name: 'the delivery health alarm (AWS/Logs IncomingLogEvents) with empty AlarmActions',
    template: broken(WORKLOAD, r => r[idOf(WORKLOAD, 'Vpc/FlowLogWatch/DeliveryStoppedAlarm/Resource')].Properties.AlarmActions = []),
    rule: ALARMS_RULE,
    resource: idOf(WORKLOAD, 'Vpc/FlowLogWatch/DeliveryStoppedAlarm/Resource'),
  },
  {
    name: 'an alarm with its actions disabled',
    template: broken(NETWORK, r => r[idOf(NETWORK, 'EniWatch/SkippedRecordsAlarm/Resource')].Properties.ActionsEnabled = false),
    rule: ALARMS_RULE,
    resource: idOf(NETWORK, 'EniWatch/SkippedRecordsAlarm/Resource'),
  },
];

/** A template the rules do not concern: no VPC, no flow log, an alarm on another namespace without actions. */
const unrelated: Template = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    QueueAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' },
    },
  },
};

// One cfn-guard run for every template of this file.
const result: GuardResult = runGuard([RULES_FILE], {
  ...examples,
  unrelated,
  ...Object.fromEntries(cases.map(c => [c.name, c.template])),
});

test('the example templates pass every rule (each applies: none is skipped)', () => {
  for (const stack of [NETWORK, WORKLOAD]) {
    expect({ stack, failures: result[stack].failures }).toEqual({ stack, failures: [] });
    expect({ stack, passed: result[stack].passedRules }).toEqual({ stack, passed: ALL_RULES });
  }
});

test('a template without VPCs, flow logs or flow-log alarms is skipped, not failed', () => {
  expect(result.unrelated.status).toEqual('SKIP');
  expect(result.unrelated.failedRules).toEqual([]);
});

test.each(cases.map(c => [c.name, c.rule, c] as const))('%s: fails %s alone, naming the offender', (_name, _rule, c) => {
  const r = result[c.name];
  expect(r.failedRules).toEqual([c.rule]);
  const [failure] = r.failures;
  if (c.resource === TEMPLATE_WIDE) {
    expect(failure.resources).toEqual([]);
    expect(failure.messages.join('\n')).toContain(`[${c.rule}]: the template has VPCs but no VPC-level flow log`);
  } else {
    expect(failure.resources).toEqual([c.resource]);
    expect(failure.messages.join('\n')).toContain(`[${c.rule}]`);
  }
});

test('a rule file cfn-guard cannot parse throws with its error, never passes as "no findings"', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-guard-'));
  try {
    const bad = path.join(dir, 'bad.guard');
    fs.writeFileSync(bad, 'rule broken {\n  Resources.*[ Type == ] not empty\n}\n');
    expect(() => runGuard([bad], { unrelated })).toThrow(/cfn-guard failed[\s\S]*Parsing error/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
