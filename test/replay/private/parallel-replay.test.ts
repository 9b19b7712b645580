import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { main } from '../../../src/replay/cli';
import { partitionReplay, planRanges } from '../../../src/replay/private/parallel-replay';
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

describe('one file cut into byte ranges, a thread each', () => {
  const { dir, templateFile: template, refsFile, scenarios } = writeScenarioFiles('ranges-');
  const HOUR = 3600;
  // The benign scenarios between the first attacks, so that attacks come in every third of the twelve hours.
  const attacks = scenarios.filter(s => s.expect.length > 0);
  const benign = scenarios.filter(s => s.expect.length === 0);
  const arranged = attacks.flatMap((a, i) => (i < benign.length ? [a, benign[i]] : [a]));
  /** Every scenario an hour after the one before, records sorted by time: twelve hours of traffic with attacks in it. */
  const ordered: string[] = arranged.flatMap((s, k) => s.records
    .filter(line => /^\d/.test(line))
    .map(line => {
      const fields = line.split(' ');
      fields[10] = String(Number(fields[10]) + k * HOUR);
      fields[11] = String(Number(fields[11]) + k * HOUR);
      return fields;
    })
    .sort((a, b) => Number(a[11]) - Number(b[11]))
    .map(fields => fields.join(' ')));

  function write(name: string, lines: readonly string[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  async function replay(file: string, threads: number, maxDisorder = 60): Promise<{ json: any; stderr: string }> {
    let stdout = '';
    let stderr = '';
    await main(['replay', '--template', template, '--log-group', SCENARIO_LOG_GROUP, '--refs', refsFile,
      '--json', '--max-disorder', String(maxDisorder), '--threads', String(threads), file], { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
    return { json: JSON.parse(stdout), stderr };
  }

  test('records in time order: three ranges give the one-thread result, the ranges merged (no second reading)', async () => {
    const file = write('ordered.log', ordered);
    const one = await replay(file, 1);
    const three = await replay(file, 3);
    expect(three.stderr).not.toContain('again on one thread');
    expect(three.json).toEqual(one.json);
    const fired = one.json.alarms.filter((a: any) => a.alarmKind === 'LOG' && a.enteredAlarmAt.length > 0);
    expect(fired.length).toBeGreaterThanOrEqual(5);
    // Detections fire in the first and the last third of the twelve hours (from 10:00): the ranges ran executions of their own.
    const hours = fired.flatMap((a: any) => a.enteredAlarmAt.map((t: string) => new Date(t).getUTCHours()));
    expect(Math.min(...hours)).toBeLessThan(14);
    expect(Math.max(...hours)).toBeGreaterThanOrEqual(18);
  }, 120_000);

  test('records a few minutes out of order, across the cuts too, and lines that are no records: the same result', async () => {
    // Each block of 200 records reversed (a few minutes of disorder), and a malformed line every 1,500.
    const shuffled: string[] = [];
    for (let i = 0; i < ordered.length; i += 200) shuffled.push(...ordered.slice(i, i + 200).reverse());
    const lines = shuffled.flatMap((line, i) => (i % 1500 === 700 ? ['not a flow-log record', line] : [line]));
    const file = write('disordered-a-little.log', lines);
    const one = await replay(file, 1);
    const three = await replay(file, 3);
    expect(three.stderr).not.toContain('again on one thread');
    expect(three.json).toEqual(one.json);
    expect(one.json.problems[0].count).toBeGreaterThanOrEqual(5);
    expect(Math.max(...one.json.problems[0].lineNumbers)).toBeGreaterThan(lines.length / 3);
  }, 120_000);

  test('records out of order by more than 15 minutes, within maxDisorder: a range stops at the first beyond its boundaries, the same result', async () => {
    // Each 40 minutes of records reversed: at any cut, the records after it go back up to 40 minutes before the range's first.
    const blocks = new Map<number, string[]>();
    for (const line of ordered) {
      const block = Math.floor(Number(line.split(' ')[11]) / 2400);
      blocks.set(block, [...blocks.get(block) ?? [], line]);
    }
    const file = write('disordered-across-cuts.log', [...blocks.values()].flatMap(lines => lines.reverse()));
    const one = await replay(file, 1);
    const three = await replay(file, 3);
    expect(three.stderr).toMatch(/again on one thread: byte range [123] of 3: a record is more than 15 minutes out of time order across the range's boundaries\n/);
    expect(three.json).toEqual(one.json);
    expect(one.json.alarms.filter((a: any) => a.alarmKind === 'LOG').every((a: any) => a.simulated)).toBe(true);
  }, 120_000);

  test('records too far out of order, or a header line before the last range: replayed again on one thread, the same result', async () => {
    // Two hours of records moved to the end: older by more than maxDisorder, the log alarms they fall in are not simulated.
    const late = ordered.filter(line => Number(line.split(' ')[11]) < Number(ordered[0].split(' ')[11]) + 2 * HOUR);
    const moved = write('moved.log', [...ordered.slice(late.length), ...late]);
    const one = await replay(moved, 1);
    const three = await replay(moved, 3);
    expect(three.stderr).toMatch(new RegExp(`flowlog-watch: replaying ${moved} again on one thread: byte range [23] of 3: a record is more than maxDisorder older than one before it\n`));
    expect(three.json).toEqual(one.json);
    expect(one.json.alarms.filter((a: any) => a.alarmKind === 'LOG' && !a.simulated).length).toBeGreaterThan(0);

    // An hour's records moved two hours later, in the first range (the main thread's): it stops there.
    const hourOf = (line: string) => Math.floor((Number(line.split(' ')[11]) - Number(ordered[0].split(' ')[11])) / HOUR);
    const early = write('early.log', [
      ...ordered.filter(l => hourOf(l) === 1), ...ordered.filter(l => hourOf(l) === 2), ...ordered.filter(l => hourOf(l) === 0),
      ...ordered.filter(l => hourOf(l) > 2),
    ]);
    const earlyOne = await replay(early, 1);
    const earlyThree = await replay(early, 3);
    expect(earlyThree.stderr).toContain('again on one thread: byte range 1 of 3: a record is more than maxDisorder older than one before it\n');
    expect(earlyThree.json).toEqual(earlyOne.json);

    const withHeader = write('header.log', [...ordered.slice(0, 1000), scenarios[0].records[0], ...ordered.slice(1000)]);
    const headerOne = await replay(withHeader, 1);
    const headerThree = await replay(withHeader, 3);
    expect(headerThree.stderr).toContain('a header line names the fields of the records after it, in the next byte range');
    expect(headerThree.json).toEqual(headerOne.json);
  }, 180_000);
});

describe('planRanges', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cuts-'));
  const time = (line: string) => (/^r (\d+)$/.test(line) ? Number(line.slice(2)) : undefined);

  test('cuts after a line break, each range starting with its first record\'s time, the next range\'s as its end', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => (i % 10 === 5 ? '# comment' : `r ${1000 + i}`));
    const file = path.join(dir, 'records.txt');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const text = fs.readFileSync(file, 'latin1');
    const ranges = planRanges(file, 4, time)!;
    expect(ranges).toHaveLength(4);
    expect(ranges[0]).toMatchObject({ start: 0, low: -Infinity });
    expect(ranges[3]).toMatchObject({ end: text.length, high: Infinity });
    ranges.forEach((r, k) => {
      if (k > 0) {
        expect(text[r.start - 1]).toBe('\n');
        expect(r.start).toBe(ranges[k - 1].end);
        expect(r.low).toBe(ranges[k - 1].high);
        expect(r.low).toBe(time(text.slice(r.start).split('\n').find(l => time(l) !== undefined)!));
      }
    });
  });

  test('gzip and JSON exports are not cut, nor a file without a record after the cut', () => {
    const gz = path.join(dir, 'records.gz');
    fs.writeFileSync(gz, zlib.gzipSync('r 1\nr 2\n'));
    expect(planRanges(gz, 2, time)).toBeUndefined();
    const json = path.join(dir, 'export.json');
    fs.writeFileSync(json, ` {"events": [${'{"timestamp": 1, "message": "r 1"},'.repeat(100)}{}]}`);
    expect(planRanges(json, 2, time)).toBeUndefined();
    const comments = path.join(dir, 'comments.txt');
    fs.writeFileSync(comments, `r 1\n${'# comment\n'.repeat(100)}`);
    expect(planRanges(comments, 2, time)).toBeUndefined();
  });
});
