import * as fs from 'fs';
import * as path from 'path';
import { SCENARIO_LOG_GROUP, writeScenarioFiles } from './scenario-files';
import { byRole, subnetsOf } from '../../examples/captures';
import { FlowLogReplay } from '../../src';

// The labelled scenarios of examples/scenarios.ts replayed through the example network stack's
// template: every attack fires the alarms it is labelled with, and no benign hour fires any.
const { dir, templateFile, refs, scenarios: all } = writeScenarioFiles('scenarios-');
const replay = FlowLogReplay.fromTemplateFile(templateFile, { refs, logGroup: SCENARIO_LOG_GROUP });
const PREFIX = 'FlowLogWatchNetwork-VpcWatch-';

function outcome(name: string) {
  const records = fs.readFileSync(path.join(dir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(1);
  const result = replay.replay(records);
  return {
    result,
    fired: result.alarms.filter(a => a.enteredAlarmAt.length > 0).map(a => a.alarmName!.replace(PREFIX, '')).sort(),
    notSimulated: result.alarms.filter(a => !a.simulated),
  };
}

test('the set has the eight attacks of issue 12 and four benign hours', () => {
  expect(all.filter(s => s.expect.length > 0)).toHaveLength(8);
  expect(all.filter(s => s.expect.length === 0)).toHaveLength(4);
});

test('replay simulates every detection and every static alarm; only the anomaly bands are not', () => {
  const { result, notSimulated } = outcome(all[0].name);
  expect(result.alarms.filter(a => a.alarmKind === 'LOG').every(a => a.simulated)).toBe(true);
  expect(result.alarms.filter(a => a.alarmKind === 'LOG')).toHaveLength(7);
  expect(notSimulated.map(a => a.alarmKind)).toEqual(notSimulated.map(() => 'ANOMALY'));
});

describe.each(all.filter(s => s.expect.length > 0).map(s => [s.name, s] as const))('attack: %s', (_name, scenario) => {
  test(`${scenario.description}: fires ${scenario.expect.join(', ')}`, () => {
    const { fired } = outcome(scenario.name);
    expect(fired).toEqual(expect.arrayContaining(scenario.expect));
  });
});

describe.each(all.filter(s => s.expect.length === 0).map(s => [s.name, s] as const))('benign: %s', (_name, scenario) => {
  test(`${scenario.description}: no simulated alarm fires`, () => {
    const { fired, result } = outcome(scenario.name);
    expect(fired).toEqual([]);
    expect(result.recordsRead).toBeGreaterThan(1000);
  });
});

test('a detection names its offender: the port scan\'s top offender is the scanning host', () => {
  const { result } = outcome('neighbour-port-scan');
  const scan = result.alarms.find(a => a.alarmName === `${PREFIX}port-scan`)!;
  const scanner = byRole(subnetsOf(JSON.parse(fs.readFileSync(templateFile, 'utf8'))), 'Private')[0];
  expect(scan.topOffenders![0].group).toBe(scanner.address);
  expect(scan.topOffenders![0].value).toBe(300);
});

