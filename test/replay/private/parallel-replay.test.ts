import * as path from 'path';
import { main } from '../../../src/replay/cli';
import { partitionReplay } from '../../../src/replay/private/parallel-replay';
import { SCENARIO_LOG_GROUP, writeScenarioFiles } from '../../examples/scenario-files';

describe('partitionReplay', () => {
  test('alarms of one query stay together; the first part runs the filters and the unsimulated alarms', () => {
    // Alarms 0 and 3 share query 0; alarm 2 is not simulated. The filters weigh as one query, so query 0
    // goes to the second part, query 1 to the first, query 2 to the second.
    expect(partitionReplay([0, 1, -1, 0, 2], 2)).toEqual([
      { filters: true, logAlarms: [1, 2] },
      { filters: false, logAlarms: [0, 3, 4] },
    ]);
  });

  test('never more parts than queries plus the filters; one thread is one part with everything', () => {
    expect(partitionReplay([0, 1], 8)).toHaveLength(3);
    expect(partitionReplay([0, 1, 2], 1)).toEqual([{ filters: true, logAlarms: [0, 1, 2] }]);
    expect(partitionReplay([], 4)).toEqual([{ filters: true, logAlarms: [] }]);
  });
});

describe('the command line on several threads', () => {
  const { dir, templateFile: template, refsFile, scenarios } = writeScenarioFiles('threads-');
  const files = scenarios.map(s => path.join(dir, `${s.name}.log`));

  async function replay(threads: number): Promise<any> {
    let stdout = '';
    const status = await main(['replay', '--template', template, '--log-group', SCENARIO_LOG_GROUP, '--refs', refsFile,
      '--json', '--max-disorder', '10080', '--threads', String(threads), ...files], { stdout: t => { stdout += t; }, stderr: () => undefined });
    expect(status).toBe(0);
    return JSON.parse(stdout);
  }

  test('one thread and three give the same result, every alarm simulated as on one', async () => {
    const one = await replay(1);
    const three = await replay(3);
    expect(three).toEqual(one);
    // The attacks fire detections, so the comparison is not between two empty results.
    const fired = one.alarms.filter((a: any) => a.alarmKind === 'LOG' && a.enteredAlarmAt.length > 0);
    expect(fired.length).toBeGreaterThanOrEqual(5);
    expect(one.alarms.filter((a: any) => a.alarmKind === 'LOG' && !a.simulated)).toEqual([]);
  }, 120_000);
});
