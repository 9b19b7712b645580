import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmProfile, FlowLogAlarmKind, ResolvedFlowLogAlarm, SubnetRole, TrafficSignature } from '../../src';

const OPTION_OF: Record<FlowLogAlarmKind, string> = {
  [FlowLogAlarmKind.SSH_ACCEPTED]: 'sshAccepted',
  [FlowLogAlarmKind.RDP_ACCEPTED]: 'rdpAccepted',
  [FlowLogAlarmKind.REJECTED_FLOWS]: 'rejectedFlows',
  [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: 'rejectedFlowsAnomaly',
  [FlowLogAlarmKind.EGRESS_ANOMALY]: 'egressAnomaly',
  [FlowLogAlarmKind.EGRESS_CEILING]: 'egressCeiling',
  [FlowLogAlarmKind.EXTERNAL_EGRESS]: 'externalEgress',
};

/** The README's cell for an alarm of a profile, in the README's notation. */
function cell(profile: AlarmProfile, alarm: ResolvedFlowLogAlarm): string {
  if (!profile.isEnabled(alarm.kind)) {
    return 'off';
  }
  const evaluation = `(${alarm.datapointsToAlarm} of ${alarm.evaluationPeriods})`;
  if (alarm.anomalyDetection) {
    return `band ${alarm.anomalyBandWidth} ${evaluation}`;
  }
  return `> ${formatThreshold(alarm)} ${evaluation}`;
}

function formatThreshold(alarm: ResolvedFlowLogAlarm): string {
  if (alarm.signature === TrafficSignature.REJECTED_FLOWS) {
    return `${alarm.threshold} flows`;
  }
  const units: Array<[number, string]> = [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];
  const unit = units.find(([size]) => alarm.threshold! >= size && alarm.threshold! % size === 0);
  return unit ? `${alarm.threshold! / unit[0]} ${unit[1]}` : `${alarm.threshold} B`;
}

test('the README table of role defaults is exactly what the code creates', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('### Alarm profiles by role');
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  const rows = section.split('\n').filter(l => l.startsWith('| `')).map(l => l.split('|').map(c => c.trim()));
  const readmeCells = Object.fromEntries(rows.map(r => [r[1].replace(/`/g, ''), [r[2], r[3], r[4]]]));

  const profiles = SubnetRole.all().map(role => AlarmProfile.defaultsFor(role));
  const codeCells = Object.fromEntries(profiles[0].all.map((alarm, i) =>
    [OPTION_OF[alarm.kind], profiles.map(p => cell(p, p.all[i]))]));

  expect(readmeCells).toEqual(codeCells);
});

test('defaults: every role alarms on accepted SSH, with a 5-minute period and missing data not breaching', () => {
  for (const role of SubnetRole.all()) {
    const ssh = AlarmProfile.defaultsFor(role).alarms.find(a => a.kind === FlowLogAlarmKind.SSH_ACCEPTED)!;
    expect(ssh).toMatchObject({
      signature: TrafficSignature.SSH_ACCEPTED_BYTES, threshold: 0, anomalyDetection: false, evaluationPeriods: 1, datapointsToAlarm: 1,
    });
    expect(ssh.period.toSeconds()).toBe(300);
    expect(ssh.treatMissingData).toBe(cloudwatch.TreatMissingData.NOT_BREACHING);
  }
});

test('defaults: the alarms switched on per role', () => {
  const kinds = (role: SubnetRole) => AlarmProfile.defaultsFor(role).alarms.map(a => a.kind);
  expect(kinds(SubnetRole.PUBLIC)).toEqual([FlowLogAlarmKind.SSH_ACCEPTED, FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY, FlowLogAlarmKind.EGRESS_ANOMALY]);
  expect(kinds(SubnetRole.PRIVATE)).toEqual([
    FlowLogAlarmKind.SSH_ACCEPTED, FlowLogAlarmKind.REJECTED_FLOWS, FlowLogAlarmKind.EGRESS_ANOMALY, FlowLogAlarmKind.EGRESS_CEILING,
  ]);
  expect(kinds(SubnetRole.ISOLATED)).toEqual([FlowLogAlarmKind.SSH_ACCEPTED, FlowLogAlarmKind.REJECTED_FLOWS, FlowLogAlarmKind.EXTERNAL_EGRESS]);
});

test('overrides replace exactly what they name, per alarm', () => {
  const actions: cloudwatch.IAlarmAction[] = [{ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:pager' }) }];
  const profile = AlarmProfile.forRole(SubnetRole.PRIVATE, {
    rejectedFlows: {
      maxRejectedFlows: 500,
      period: Duration.minutes(10),
      evaluationPeriods: 6,
      datapointsToAlarm: 4,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    },
    egressAnomaly: { anomalyBandWidth: 5 },
    sshAccepted: { actionsOverride: actions },
  });
  const byKind = (k: FlowLogAlarmKind) => profile.all.find(a => a.kind === k)!;
  expect(byKind(FlowLogAlarmKind.REJECTED_FLOWS)).toMatchObject({ threshold: 500, evaluationPeriods: 6, datapointsToAlarm: 4, treatMissingData: 'ignore' });
  expect(byKind(FlowLogAlarmKind.REJECTED_FLOWS).period.toMinutes()).toBe(10);
  expect(byKind(FlowLogAlarmKind.EGRESS_ANOMALY)).toMatchObject({ anomalyBandWidth: 5, evaluationPeriods: 3, datapointsToAlarm: 3 });
  expect(byKind(FlowLogAlarmKind.SSH_ACCEPTED).actionsOverride).toBe(actions);
  expect(byKind(FlowLogAlarmKind.EGRESS_CEILING)).toMatchObject({ threshold: 5 * 1024 ** 3 });
});

test('any alarm can be switched on or off', () => {
  const profile = AlarmProfile.forRole(SubnetRole.PUBLIC, { sshAccepted: { enabled: false }, rdpAccepted: { enabled: true } });
  expect(profile.isEnabled(FlowLogAlarmKind.SSH_ACCEPTED)).toBe(false);
  expect(profile.isEnabled(FlowLogAlarmKind.RDP_ACCEPTED)).toBe(true);
  expect(profile.alarms.map(a => a.kind)).toEqual([
    FlowLogAlarmKind.RDP_ACCEPTED, FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY, FlowLogAlarmKind.EGRESS_ANOMALY,
  ]);
});

test('fewer evaluation periods than the default datapoints lowers the datapoints with them', () => {
  const rejected = AlarmProfile.forRole(SubnetRole.ISOLATED, { rejectedFlows: { evaluationPeriods: 1 } }).all
    .find(a => a.kind === FlowLogAlarmKind.REJECTED_FLOWS)!;
  expect(rejected).toMatchObject({ evaluationPeriods: 1, datapointsToAlarm: 1 });
});

describe('bad overrides fail, naming the prop, the value and what is allowed', () => {
  test.each([
    [{ sshAccepted: { maxAcceptedSshBytes: -1 } }, '`alarms.privateSubnets.sshAccepted.maxAcceptedSshBytes` must be a number of 0 or more, got -1'],
    [{ egressAnomaly: { anomalyBandWidth: 0 } }, '`alarms.privateSubnets.egressAnomaly.anomalyBandWidth` must be a number greater than 0 (standard deviations), got 0'],
    [{ rejectedFlows: { evaluationPeriods: 0 } }, '`alarms.privateSubnets.rejectedFlows.evaluationPeriods` must be a whole number of 1 or more, got 0'],
    [{ rejectedFlows: { evaluationPeriods: 2.5 } }, '`alarms.privateSubnets.rejectedFlows.evaluationPeriods` must be a whole number of 1 or more, got 2.5'],
    [{ rejectedFlows: { evaluationPeriods: 3, datapointsToAlarm: 4 } }, '`alarms.privateSubnets.rejectedFlows.datapointsToAlarm` must be a whole number from 1 to evaluationPeriods (3), got 4'],
    [{ egressCeiling: { period: Duration.seconds(30) } }, '`alarms.privateSubnets.egressCeiling.period` must be a whole number of minutes (metric-filter metrics have 1-minute resolution), got 30 seconds'],
    [{ egressCeiling: { period: Duration.seconds(90) } }, '`alarms.privateSubnets.egressCeiling.period` must be a whole number of minutes (metric-filter metrics have 1-minute resolution), got 1 minute 30 seconds'],
  ])('%p', (overrides, message) => {
    expect(() => AlarmProfile.forRole(SubnetRole.PRIVATE, overrides as any, 'alarms.privateSubnets')).toThrow(message);
  });

  test('a disabled alarm is still validated (so a typo does not hide until it is switched on)', () => {
    expect(() => AlarmProfile.forRole(SubnetRole.PUBLIC, { rdpAccepted: { maxAcceptedRdpBytes: -5 } }, 'alarms.publicSubnets'))
      .toThrow('`alarms.publicSubnets.rdpAccepted.maxAcceptedRdpBytes` must be a number of 0 or more, got -5');
  });
});
