import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { FlowLogDetection, FlowLogFormat, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack, threeTierVpc } from '../util';

function vpcWatch(detections: ConstructorParameters<typeof FlowLogWatch>[2]['detections'] = {}) {
  const stack = testStack();
  const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), detections, queryDefinitions: false });
  return { stack, watch, template: Template.fromStack(stack) };
}

/** A public-subnet ENI target of its own (a resource takes at most 2 flow logs). */
function eni(n: number) {
  return FlowLogTarget.fromNetworkInterfaceId(`eni-${n.toString(16).padStart(17, '0')}`, SubnetRole.PUBLIC);
}

function logAlarms(template: Template): Record<string, any> {
  return Object.fromEntries(Object.values(template.findResources('AWS::CloudWatch::LogAlarm')).map(r => [r.Properties.AlarmName, r.Properties]));
}

/** A query string with its references (subnet IDs) replaced by their logical IDs. */
function queryOf(alarm: any): string {
  const q = alarm.ScheduledQueryConfiguration.QueryString;
  return typeof q === 'string' ? q : q['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : p.Ref)).join('');
}

describe('defaults by role', () => {
  test('a 3-role VPC gets one log alarm per detection, roles sharing settings sharing it', () => {
    const { watch, template } = vpcWatch();
    expect(Object.keys(logAlarms(template)).sort()).toEqual(FlowLogDetection.ALL.map(d => `TestStack-VpcWatch-${d.name}`).sort());
    expect(watch.logAlarms).toHaveLength(7);
  });

  test('each log alarm: >= threshold per contributor, 1 of 1, missing data not breaching, the topic, log lines by the stack\'s role', () => {
    const { template } = vpcWatch();
    const scan = logAlarms(template)['TestStack-VpcWatch-port-scan'];
    expect(scan).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 50,
      QueryResultsToEvaluate: 1,
      QueryResultsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      ActionLogLineCount: 10,
      AlarmActions: [{ Ref: expect.stringMatching(/^FlowLogAlarmTopic/) }],
      ActionLogLineRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^FlowLogDetectionRolesLogLinesRole/), 'Arn'] },
      ScheduledQueryConfiguration: {
        AggregationExpression: 'max(value) by srcaddr | sort desc',
        LogGroupIdentifiers: [{ Ref: expect.stringMatching(/^VpcWatchLogGroup/) }],
        ScheduleConfiguration: { ScheduleExpression: 'rate(5 minutes)', StartTimeOffset: 600 },
      },
    });
    expect(scan.AlarmDescription).toMatch(/Recon:EC2\/Portscan.*names the contributor.*'Sources of rejected flows'/);
    expect(logAlarms(template)['TestStack-VpcWatch-exfiltration'].ScheduledQueryConfiguration.ScheduleConfiguration)
      .toEqual({ ScheduleExpression: 'rate(30 minutes)', StartTimeOffset: 3600 });
  });

  test('on public subnets a scan counts only from your own hosts; on private and isolated ones from anyone', () => {
    const query = queryOf(logAlarms(vpcWatch().template)['TestStack-VpcWatch-port-scan']);
    expect(query).toMatch(/^parse @message "(\* ){22}\*" as version, /);
    expect(query).toMatch(/subnet_id in \["VpcPublicSubnet1\w+", "VpcPublicSubnet2\w+", "VpcPublicSubnet3\w+"\] and protocol = 6 and tcp_flags in \[2, 3, 6, 7\] and \(isIpv4InSubnet\(srcaddr, "10\.0\.0\.0\/8"\)/);
    expect(query).toMatch(/subnet_id in \["VpcPrivateSubnet1\w+", .*"VpcIsolatedSubnet3\w+"\] and protocol = 6 and tcp_flags in \[2, 3, 6, 7\]\)\)/);
    expect(query).toMatch(/\n\| stats count_distinct\(dstport\) as value by srcaddr$/);
  });

  test('unusual egress ports watch private subnets only, isolated egress isolated ones only, failing closed on traffic-path -', () => {
    const alarms = logAlarms(vpcWatch().template);
    const egress = queryOf(alarms['TestStack-VpcWatch-unusual-egress-port']);
    expect(egress).toContain('VpcPrivateSubnet1');
    expect(egress).not.toMatch(/VpcPublic|VpcIsolated/);
    expect(egress).toContain('dstport not in [53, 80, 123, 443]');
    const isolated = queryOf(alarms['TestStack-VpcWatch-isolated-egress']);
    expect(isolated).not.toMatch(/VpcPublic|VpcPrivate/);
    expect(isolated).toContain('flow_direction = "egress" and traffic_path != "1" and traffic_path != "7"');
  });

  test('a subnet or ENI watch has one role and no subnet clause', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Eni', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.ISOLATED) });
    const alarms = logAlarms(Template.fromStack(stack));
    expect(Object.keys(alarms).sort()).toEqual(['brute-force', 'exfiltration', 'host-sweep', 'isolated-egress', 'mining-pool', 'port-scan']
      .map(n => `TestStack-Eni-${n}`));
    expect(queryOf(alarms['TestStack-Eni-port-scan'])).not.toContain('subnet_id in');
  });
});

describe('overrides', () => {
  test('a role with its own settings gets a log alarm of its own; the others keep theirs', () => {
    const { template } = vpcWatch({ publicSubnets: { portScan: { threshold: 200, window: Duration.minutes(30), schedule: Duration.minutes(15) } } });
    const alarms = logAlarms(template);
    expect(alarms['TestStack-VpcWatch-public-port-scan']).toMatchObject({
      Threshold: 200, ScheduledQueryConfiguration: { ScheduleConfiguration: { ScheduleExpression: 'rate(15 minutes)', StartTimeOffset: 1800 } },
    });
    expect(alarms['TestStack-VpcWatch-private-isolated-port-scan']).toMatchObject({ Threshold: 50 });
    expect(alarms['TestStack-VpcWatch-port-scan']).toBeUndefined();
  });

  test('detections switched off one by one, or all', () => {
    const some = logAlarms(vpcWatch({
      publicSubnets: { bruteForce: { enabled: false } }, privateSubnets: { unusualEgressPort: { enabled: false } },
    }).template);
    expect(some['TestStack-VpcWatch-unusual-egress-port']).toBeUndefined();
    // Private and isolated subnets still share one brute-force alarm.
    expect(queryOf(some['TestStack-VpcWatch-brute-force'])).not.toContain('VpcPublic');
    vpcWatch({ enabled: false }).template.resourceCountIs('AWS::CloudWatch::LogAlarm', 0);
  });

  test('ports, internal address space, log lines and actions are yours to set', () => {
    const { template } = vpcWatch({
      allowedEgressPorts: [443, 5432], miningPoolPorts: [3333], bruteForcePorts: [22], internalCidrs: ['10.1.0.0/16'], actionLogLineCount: 0,
    });
    const alarms = logAlarms(template);
    expect(queryOf(alarms['TestStack-VpcWatch-unusual-egress-port'])).toContain('dstport not in [443, 5432] and not (isIpv4InSubnet(dstaddr, "10.1.0.0/16"))');
    expect(queryOf(alarms['TestStack-VpcWatch-mining-pool'])).toContain('dstport in [3333]');
    expect(queryOf(alarms['TestStack-VpcWatch-brute-force'])).toContain('dstport in [22]');
    expect(alarms['TestStack-VpcWatch-port-scan'].ActionLogLineCount).toBeUndefined();
  });

  test('a format without a default detection\'s fields leaves it out with a warning; one you configured fails', () => {
    const stack = testStack();
    new FlowLogWatch(stack, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PRIVATE),
      logFormat: FlowLogFormat.AWS_DEFAULT,
      alarms: { enabled: false },
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Watch', Match.stringLikeRegexp('detection PortScan reads tcp-flags, which `logFormat` does not record, so it is left out'));
    const other = testStack();
    expect(() => new FlowLogWatch(other, 'Watch', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PRIVATE),
      logFormat: FlowLogFormat.AWS_DEFAULT,
      alarms: { enabled: false },
      detections: { privateSubnets: { portScan: { threshold: 10 } } },
    })).toThrow(/^detection PortScan reads tcp-flags, which `logFormat` does not record: add the fields, or switch it off/);
  });
});

describe('descriptions', () => {
  test('a log alarm description is cut at 1,024 characters under a long construct path, as the metric alarms\' are', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    let scope: Construct = stack;
    for (let i = 0; i < 2; i++) scope = new Construct(scope, `${'X'.repeat(200)}${i}`);
    new FlowLogWatch(scope, 'W', { target: FlowLogTarget.fromVpc(threeTierVpc(scope as Stack, 'Vpc', 1)), queryDefinitions: false });
    const descriptions = Object.values(logAlarms(Template.fromStack(stack))).map(a => a.AlarmDescription);
    expect(descriptions).toHaveLength(7);
    for (const d of descriptions) {
      expect(typeof d).toBe('string');
      expect([...d].length).toBeLessThanOrEqual(1024);
    }
    expect(descriptions.filter(d => d.endsWith('…')).length).toBeGreaterThan(0);
  });
});

describe('bad input fails at synth with the prop, the value and what is allowed', () => {
  test.each([
    [{ privateSubnets: { portScan: { threshold: 0 } } }, /`detections\.privateSubnets\.portScan\.threshold` must be a number above 0 .*got 0/],
    [{ privateSubnets: { portScan: { window: Duration.seconds(90) } } }, /`detections\.privateSubnets\.portScan\.window` must be whole minutes from 1 minute to 30 days .*got 1 minute 30 seconds/],
    [{ privateSubnets: { portScan: { window: Duration.days(31) } } }, /`detections\.privateSubnets\.portScan\.window` must be whole minutes from 1 minute to 30 days/],
    [{ privateSubnets: { portScan: { schedule: Duration.minutes(20) } } }, /`detections\.privateSubnets\.portScan\.schedule` \(20 minutes\) must not be longer than `detections\.privateSubnets\.portScan\.window` \(10 minutes\)/],
    [{ privateSubnets: { portScan: { queryResultsToEvaluate: 0 } } }, /`detections\.privateSubnets\.portScan\.queryResultsToEvaluate` must be a whole number of 1 or more, got 0/],
    [{ privateSubnets: { portScan: { queryResultsToEvaluate: 2, queryResultsToAlarm: 3 } } }, /`detections\.privateSubnets\.portScan\.queryResultsToAlarm` \(3\) must not exceed/],
    [{ privateSubnets: { portScan: { actionsOverride: [] } } }, /`detections\.privateSubnets\.portScan\.actionsOverride` must list at least one action/],
    [{ internalCidrs: [] }, /`detections\.internalCidrs` must list at least one IPv4 CIDR block, got an empty list/],
    [{ internalCidrs: ['10.0.0.0/33'] }, /`detections\.internalCidrs` must be IPv4 CIDR blocks such as 10\.0\.0\.0\/8, got '10\.0\.0\.0\/33'/],
    [{ allowedEgressPorts: [] }, /`detections\.allowedEgressPorts` must list at least one port, got an empty list/],
    [{ miningPoolPorts: [70000] }, /`detections\.miningPoolPorts` must be ports from 0 to 65535, got 70000/],
    [{ actionLogLineCount: 51 }, /`detections\.actionLogLineCount` must be a whole number from 0 to 50, got 51/],
  ])('%j', (detections, message) => {
    expect(() => vpcWatch(detections as any)).toThrow(message);
  });

  test('actionsOverride takes at most 5 actions (AlarmActions takes 5): 6 fail, naming the prop and the count', () => {
    const actions = (n: number) => Array.from({ length: n }, (_, i) => ({ bind: () => ({ alarmActionArn: `arn:aws:sns:us-east-1:123456789012:t${i}` }) }));
    const five = logAlarms(vpcWatch({ privateSubnets: { portScan: { actionsOverride: actions(5) } } }).template);
    expect(five['TestStack-VpcWatch-private-port-scan'].AlarmActions).toHaveLength(5);
    expect(() => vpcWatch({ privateSubnets: { portScan: { actionsOverride: actions(6) } } }))
      .toThrow(/^`detections\.privateSubnets\.portScan\.actionsOverride` must list at most 5 actions \(an alarm's AlarmActions takes at most 5\), got 6/);
  });

  test('window: 30 days (the log alarm\'s StartTimeOffset maximum) passes, 30 days and 1 minute fails', () => {
    const alarms = logAlarms(vpcWatch({ publicSubnets: { exfiltration: { window: Duration.days(30), schedule: Duration.days(30) } } }).template);
    expect(alarms['TestStack-VpcWatch-public-exfiltration'].ScheduledQueryConfiguration.ScheduleConfiguration)
      .toEqual({ ScheduleExpression: 'rate(43200 minutes)', StartTimeOffset: 2_592_000 });
    expect(() => vpcWatch({ publicSubnets: { exfiltration: { window: Duration.minutes(43_201) } } }))
      .toThrow('`detections.publicSubnets.exfiltration.window` must be whole minutes from 1 minute to 30 days '
        + '(the log alarm\'s StartTimeOffset, at most 2,592,000 seconds), got 30 days 1 minute');
  });

  test('schedule: at most the window, so at most 30 days even beside a token window', () => {
    const stack = testStack();
    const seconds = new CfnParameter(stack, 'Window', { type: 'Number', default: 3600 }).valueAsNumber;
    const watch = (schedule: Duration) => new FlowLogWatch(stack, `W${schedule.toMinutes()}`, {
      target: eni(schedule.toMinutes()),
      queryDefinitions: false,
      detections: { publicSubnets: { exfiltration: { window: Duration.seconds(seconds), schedule } } },
    });
    expect(() => watch(Duration.days(30))).not.toThrow();
    expect(() => watch(Duration.minutes(43_201)))
      .toThrow('`detections.publicSubnets.exfiltration.schedule` must be whole minutes from 1 minute to 30 days '
        + '(rate(N minutes), at most the window, which is at most 30 days), got 30 days 1 minute');
  });

  test('tokens are not compared: a token queryResultsToEvaluate with a literal queryResultsToAlarm, and the reverse', () => {
    const stack = testStack();
    const n = new CfnParameter(stack, 'N', { type: 'Number', default: 3 }).valueAsNumber;
    new FlowLogWatch(stack, 'A', { target: eni(1), queryDefinitions: false, detections: { publicSubnets: { portScan: { queryResultsToEvaluate: n, queryResultsToAlarm: 1 } } } });
    new FlowLogWatch(stack, 'B', { target: eni(2), queryDefinitions: false, detections: { publicSubnets: { portScan: { queryResultsToEvaluate: 5, queryResultsToAlarm: n } } } });
    const alarms = logAlarms(Template.fromStack(stack));
    expect(alarms['TestStack-A-port-scan']).toMatchObject({ QueryResultsToEvaluate: { Ref: 'N' }, QueryResultsToAlarm: 1 });
    expect(alarms['TestStack-B-port-scan']).toMatchObject({ QueryResultsToEvaluate: 5, QueryResultsToAlarm: { Ref: 'N' } });
    // The description says the token's value, not its placeholder number.
    expect(JSON.stringify(alarms['TestStack-A-port-scan'].AlarmDescription)).toMatch(/1 of the last ","?\{"Ref":"N"\}/);
  });

  test('a token window must be Duration.seconds(token) and a token schedule Duration.minutes(token), the prop named', () => {
    const stack = testStack();
    const n = new CfnParameter(stack, 'N', { type: 'Number', default: 10 }).valueAsNumber;
    const watch = (id: string, options: object) => new FlowLogWatch(stack, id, {
      target: eni(id.charCodeAt(0)),
      queryDefinitions: false,
      detections: { publicSubnets: { portScan: options } },
    });
    expect(() => watch('A', { window: Duration.minutes(n) })).toThrow('`detections.publicSubnets.portScan.window` given as a token must be '
      + 'Duration.seconds(token), as the log alarm\'s StartTimeOffset is in seconds, got <token> minutes');
    expect(() => watch('B', { schedule: Duration.seconds(n) })).toThrow('`detections.publicSubnets.portScan.schedule` given as a token must be '
      + 'Duration.minutes(token), as the schedule is written rate(N minutes), got <token> seconds');
    watch('C', { window: Duration.seconds(n), schedule: Duration.minutes(n) });
    const config = logAlarms(Template.fromStack(stack))['TestStack-C-port-scan'].ScheduledQueryConfiguration.ScheduleConfiguration;
    expect(config).toEqual({ StartTimeOffset: { Ref: 'N' }, ScheduleExpression: { 'Fn::Join': ['', ['rate(', { Ref: 'N' }, ' minutes)']] } });
  });

  test('settings for a role the target does not have', () => {
    const stack = testStack();
    expect(() => new FlowLogWatch(stack, 'Eni', {
      target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.ISOLATED),
      detections: { publicSubnets: { portScan: { threshold: 5 } } },
    })).toThrow(/^`detections\.publicSubnets` is set, but the target has no public subnets \(its roles: isolated\)/);
  });
});
