import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { iso, metricAlarm, MINUTE, resultOf, series, T0 } from './fixtures';
import { buildExampleApp } from '../../../examples/app';
import { writeCaptures } from '../../../examples/captures';
import { main } from '../../../src/replay/cli';
import type { AlarmReplay, ReplayResult } from '../../../src/replay/replay-result';
import { FlowLogReplayReport } from '../../../src/replay/report';

/** The report's sections, one per alarm, by alarm name. */
function sectionsOf(html: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of html.matchAll(/<section class="alarm [^"]*"[^>]*>[\s\S]*?<\/section>/g)) {
    sections.set(/<h3>([^<]*)</.exec(m[0])![1], m[0]);
  }
  return sections;
}

/** Everything in the page that could make a browser fetch or run something. */
function externalReferences(html: string): string[] {
  const urls = [...html.matchAll(/\b(?:https?|ftp|file|data|javascript):[^\s"')<]*/gi)].map(m => m[0])
    .filter(u => u !== 'http://www.w3.org/2000/svg'); // the SVG namespace: a name, never fetched
  const tags = [...html.matchAll(/<(script|link|img|iframe|object|embed|image|use|foreignObject)\b/gi)].map(m => m[0]);
  const attributes = [...html.matchAll(/\s(src|href|srcset|xlink:href)="(?!#)[^"]*"/gi)].map(m => m[0]);
  const styles = [...html.matchAll(/url\((?!#)[^)]*\)|@import/g)].map(m => m[0]);
  return [...urls, ...tags, ...attributes, ...styles];
}

describe('the worked example\'s report', () => {
  // What `npx projen replay-example` replays, as captures.test.ts makes it, with --html.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-report-'));
  const app = buildExampleApp(new App({ context: { 'aws:cdk:enable-path-metadata': true } }));
  const network = app.node.findChild('FlowLogWatchNetwork') as Stack;
  const templateFile = path.join(dir, 'FlowLogWatchNetwork.template.json');
  fs.writeFileSync(templateFile, JSON.stringify(app.synth().getStackArtifact(network.artifactId).template));
  const files = writeCaptures(templateFile, path.join(dir, 'captures'));
  const htmlFile = path.join(dir, 'port-scan.html');
  let result: ReplayResult & { alarms: AlarmReplay[] };
  let html: string;

  beforeAll(async () => {
    let out = '';
    const code = await main(['replay', '--template', templateFile, '--log-group', 'VpcWatch/LogGroup', '--refs', files.refs,
      '--json', '--html', htmlFile, files.portScan], { stdout: t => out += t, stderr: () => undefined });
    expect(code).toBe(0);
    result = JSON.parse(out);
    html = fs.readFileSync(htmlFile, 'utf8');
  });

  test('the replay result carries what the report draws: threshold, M of N, unit and the spans in ALARM', () => {
    const ssh = result.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-public-ssh-accepted')!;
    expect(ssh).toMatchObject({
      alarmKind: 'METRIC',
      metricName: 'PublicSshAcceptedBytes',
      statistic: 'Sum',
      valueExpression: '$bytes',
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      periodSeconds: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    for (const alarm of result.alarms.filter(a => a.simulated)) {
      // Each span starts where the alarm entered ALARM, and ends at a period boundary of its series.
      expect(alarm.alarmPeriods!.map(p => p.start)).toEqual(alarm.enteredAlarmAt);
      const starts = alarm.series.map(d => Date.parse(d.periodStart));
      for (const p of alarm.alarmPeriods!) {
        expect(Date.parse(p.end) > Date.parse(p.start)).toBe(true);
        expect(starts.includes(Date.parse(p.end)) || Date.parse(p.end) === starts[starts.length - 1] + alarm.periodSeconds! * 1000).toBe(true);
      }
    }
    const rejected = result.alarms.find(a => a.alarmName === 'FlowLogWatchNetwork-VpcWatch-private-rejected-flows')!;
    // 2 of 3: ALARM from the second breaching period (10:25) until the window holds one breach only (10:35).
    expect(rejected.alarmPeriods).toEqual([{ start: '2026-11-18T10:25:00.000Z', end: '2026-11-18T10:35:00.000Z' }]);
    expect(result.alarms.find(a => a.alarmName!.endsWith('-anomaly'))).toMatchObject({ alarmKind: 'ANOMALY', simulated: false });
    expect(result.firstRecordAt! <= result.lastRecordAt!).toBe(true);
    expect(result.filters[0].metricValue).toBe('$bytes');
  });

  test('the header names the template, the log group, the record counts and the time span', () => {
    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    expect(header).toContain(`<dt>Template</dt><dd>${templateFile}</dd>`);
    expect(header).toContain(`<dt>Log group</dt><dd>${result.logGroup}</dd>`);
    expect(header).toContain(`${result.recordsRead.toLocaleString('en-US')} read · 0 skipped (blank or comment) · 0 malformed (no flow-log record, or no timestamp) · 0 of another format`);
    expect(header).toContain('2026-11-18 10:00:05 UTC to 2026-11-18 10:59:05 UTC (59 minutes)');
  });

  test('the summary lists every alarm once, with its outcome and a link to its section, their shared name prefix said once', () => {
    const summary = html.slice(html.indexOf('<table class="summary">'), html.indexOf('</table>', html.indexOf('<table class="summary">')));
    expect(summary).toContain('<th>alarm (FlowLogWatchNetwork-VpcWatch-…)</th>');
    const sections = sectionsOf(html);
    for (const alarm of result.alarms) {
      const anchor = /id="([^"]+)"/.exec(sections.get(alarm.alarmName!)!)![1];
      const row = new RegExp(`<tr><td class="name"><a href="#${anchor}">${alarm.alarmName!.replace('FlowLogWatchNetwork-VpcWatch-', '')}</a></td>`
        + '<td class="kind">[^<]*</td><td><span class="badge (\\w[\\w-]*)">').exec(summary);
      expect(row).not.toBeNull();
      expect(row![1]).toBe(!alarm.simulated ? 'not-simulated' : alarm.enteredAlarmAt.length > 0 ? 'fired' : 'quiet');
    }
  });

  test('every simulated alarm has a chart with its series and threshold; the ones that fired, and only they, are shaded', () => {
    const sections = sectionsOf(html);
    expect(sections.size).toBe(result.alarms.length);
    const simulated = result.alarms.filter(a => a.simulated);
    expect(simulated.length).toBeGreaterThan(0);
    for (const alarm of simulated) {
      const section = sections.get(alarm.alarmName!)!;
      expect(section.match(/<svg /g)).toHaveLength(1);
      if (alarm.series.some(d => d.value !== undefined)) {
        expect(section).toMatch(/<path class="series" d="M[\d.]+ [\d.]+/);
      }
      expect(section).toContain('<line class="threshold"');
      expect(section).toContain(`(M of N: ${alarm.datapointsToAlarm} of ${alarm.evaluationPeriods})`);
      const shades = section.match(/<rect class="alarm-period"/g) ?? [];
      expect(shades).toHaveLength(alarm.alarmPeriods!.length);
      expect(shades.length > 0).toBe(alarm.enteredAlarmAt.length > 0);
    }
    const fired = simulated.filter(a => a.enteredAlarmAt.length > 0).map(a => a.alarmName);
    expect(fired).toEqual(['FlowLogWatchNetwork-VpcWatch-public-ssh-accepted', 'FlowLogWatchNetwork-VpcWatch-private-rejected-flows',
      'FlowLogWatchNetwork-VpcWatch-port-scan']);
    expect(sections.get(fired[0]!)).toContain('60 KiB'); // the login's 61,200 bytes on a KiB axis
    expect(sections.get(fired[1]!)).toContain('threshold &gt; 100 flows');
  });

  test('every alarm not simulated states its reason and is never drawn as quiet', () => {
    const sections = sectionsOf(html);
    const notSimulated = result.alarms.filter(a => !a.simulated);
    expect(notSimulated.length).toBeGreaterThan(0);
    for (const alarm of notSimulated) {
      const section = sections.get(alarm.alarmName!)!;
      expect(section).toContain('data-simulated="false"');
      expect(section).toContain(`<strong>Not simulated:</strong> ${alarm.notSimulatedReason!.replace(/'/g, '&#39;')}`);
      expect(section).toContain('NOT SIMULATED');
      expect(section).not.toContain('class="threshold"');
      expect(section).not.toContain('alarm-period');
      expect(section).not.toMatch(/badge quiet|>OK</);
      if (alarm.series.length === 0) {
        expect(section).not.toContain('<svg');
        expect(section).toContain('the alarm is not known to be quiet');
      } else {
        expect(section).toMatch(/fill="url\(#[\w-]+-hatch\)"/);
      }
    }
  });

  test('each metric filter\'s matched records and sum are listed, in their units', () => {
    const table = html.slice(html.indexOf('<table class="filters">'), html.indexOf('</table>', html.indexOf('<table class="filters">')));
    for (const f of result.filters) {
      expect(table).toContain(`${f.metricName}<br>`);
      expect(table).toContain(`<td class="num">${f.recordsMatched.toLocaleString('en-US')}</td>`);
    }
    expect(table).toContain(`<td class="num">${(61260 / 1024).toFixed(1)} KiB</td>`); // PublicSshAcceptedBytes' sum
    expect(table).toContain('<td class="num">1,500 flows</td>'); // PrivateRejectedFlows'
  });

  test('the page is self-contained: no script, no URL, no external resource, ids unique and links resolved', () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">');
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map(m => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/(?:href|aria-labelledby)="#?([^"]+)"/g)) {
      for (const id of m[1].split(' ')) expect(ids).toContain(id);
    }
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  test('the quiet day\'s report shades nothing', async () => {
    const quietFile = path.join(dir, 'quiet-day.html');
    const code = await main(['replay', '--template', templateFile, '--log-group', 'VpcWatch/LogGroup', '--refs', files.refs,
      '--html', quietFile, files.quietDay], { stdout: () => undefined, stderr: () => undefined });
    expect(code).toBe(0);
    const quiet = fs.readFileSync(quietFile, 'utf8');
    expect(quiet).not.toContain('alarm-period');
    expect(quiet.match(/<svg /g)!.length).toBeGreaterThanOrEqual(8);
    // Records end at :55 of each minute, from 00:00 to 23:59.
    expect(quiet).toContain('2026-11-17 00:00:05 UTC to 2026-11-17 23:59:05 UTC (23 hours, 59 minutes)');
  });

  test('a report that cannot be written exits 2 with the reason', async () => {
    let err = '';
    const code = await main(['replay', '--template', templateFile, '--log-group', 'VpcWatch/LogGroup', '--refs', files.refs,
      '--html', path.join(dir, 'no', 'such', 'dir', 'r.html'), files.portScan], { stdout: () => undefined, stderr: t => err += t });
    expect(code).toBe(2);
    expect(err).toMatch(/cannot write the report --html .*r\.html: ENOENT/);
  });
});

describe('bounded size', () => {
  test('a week of 1-minute data for 25 alarms, each often in ALARM, with 1,000 offenders each, stays under 2 MB', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const minutes = 7 * 24 * 60;
    const offenders = Array.from({ length: 1000 }, (_, j) => ({ group: `10.0.${Math.floor(j / 256)}.${j % 256}`, value: j, at: iso(T0) }));
    const alarms = Array.from({ length: 25 }, (_unused, k) => {
      const values = Array.from({ length: minutes }, () => (random() < 0.02 ? undefined : Math.floor(random() * 1e9)));
      // Every 45 minutes, 3 pixels apart on the chart: as many separate shaded rectangles as a chart can hold.
      const alarmPeriods = Array.from({ length: minutes / 45 }, (_, j) => ({
        start: iso(T0 + j * 45 * MINUTE),
        end: iso(T0 + (j * 45 + 2) * MINUTE),
      }));
      return metricAlarm({
        logicalId: `Alarm${k}`,
        alarmName: `Stack-Watch-alarm-number-${k}`,
        series: series(values, MINUTE),
        periodSeconds: 60,
        valueExpression: '$bytes',
        metricName: 'EgressBytes',
        threshold: 9e8,
        enteredAlarmAt: alarmPeriods.map(p => p.start),
        alarmPeriods,
        ...(k % 2 ? { alarmKind: 'LOG', topOffenders: offenders } : {}),
      });
    });
    const html = FlowLogReplayReport.renderHtml(resultOf(alarms, { lastRecordAt: iso(T0 + minutes * MINUTE) }));
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(html.match(/<svg /g)).toHaveLength(25);
    expect(html.match(/<rect class="alarm-period"/g)).toHaveLength(25 * (minutes / 45));
    expect(html).toContain(`and ${minutes / 45 - 10} more`); // the spans in ALARM listed in words, capped
    expect(html.match(/<tr><td>10\.0\./g)).toHaveLength(12 * 10); // 10 offenders listed per log alarm
    expect(html).toContain('and 990 more, not listed');
  });
});

test('the screenshot README shows stays under 200 KB', () => {
  // Made by scripts/check-report-in-browser.ts --docs-screenshot docs/replay-report.png
  expect(fs.statSync(path.join(__dirname, '../../../docs/replay-report.png')).size).toBeLessThan(200 * 1024);
});

describe('FlowLogReplayReport.renderHtml', () => {
  test('fails when maxOffenders is not a whole number of 1 or more', () => {
    expect(() => FlowLogReplayReport.renderHtml(resultOf([]), { maxOffenders: 0 }))
      .toThrow('`maxOffenders` must be a whole number of 1 or more, got 0');
  });

  test('takes its title from the options, and escapes it', () => {
    const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm()]), { title: 'PR #42 <thresholds>' });
    expect(html).toContain('<title>PR #42 &lt;thresholds&gt;</title>');
  });

  test('a log alarm\'s section lists its top offending sources with their values', () => {
    const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm({
      alarmKind: 'LOG',
      alarmName: 'Net-Watch-port-scan',
      metricName: undefined,
      statistic: undefined,
      valueExpression: 'count_distinct(dstport)',
      threshold: 200,
      series: series([12, 400, 3], 5 * MINUTE),
      enteredAlarmAt: [iso(T0 + 5 * MINUTE)],
      alarmPeriods: [{ start: iso(T0 + 5 * MINUTE), end: iso(T0 + 10 * MINUTE) }],
      topOffenders: [{ group: '203.0.113.66', value: 400, at: iso(T0 + 5 * MINUTE) }, { group: '198.51.100.7', value: 12, at: iso(T0) }],
    })]));
    const section = sectionsOf(html).get('Net-Watch-port-scan')!;
    expect(section).toContain('Top offending sources');
    expect(section).toContain('<tr><td>203.0.113.66</td><td class="num">400 ports</td><td>2026-11-18 10:05 UTC</td></tr>');
    expect(section.indexOf('203.0.113.66')).toBeLessThan(section.indexOf('198.51.100.7'));
    expect(section).toContain('top group&#39;s value per evaluation');
  });
});

describe('empty inputs', () => {
  test('a replay without alarms says so instead of an empty summary', () => {
    const html = FlowLogReplayReport.renderHtml(resultOf([]));
    const alarms = html.slice(html.indexOf('<h2>Alarms</h2>'), html.indexOf('<h2>Metric filters</h2>'));
    expect(alarms).not.toContain('<table');
    expect(alarms).toContain('No alarm: the template has no alarm on this log group&#39;s metrics and no log alarm on it');
  });

  test('a replay without metric filters says so instead of an empty table', () => {
    const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm()], { filters: [] }));
    const filters = html.slice(html.indexOf('<h2>Metric filters</h2>'), html.indexOf('<h2>Input problems</h2>'));
    expect(filters).not.toContain('<table');
    expect(filters).toContain('No metric filter on this log group');
  });
});

test('hostile names: ids stay unique and links resolve when one alarm\'s name is another\'s plus "title" or "desc"', () => {
  const html = FlowLogReplayReport.renderHtml(resultOf(['Net-db', 'Net-db title', 'Net-db <desc>'].map((alarmName, i) =>
    metricAlarm({ alarmName, logicalId: `A${i}`, simulated: i !== 1, series: series([1, 2], 5 * MINUTE) }))));
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map(m => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const m of html.matchAll(/(?:href|aria-labelledby)="#?([^"]+)"/g)) {
    for (const id of m[1].split(' ')) expect(ids).toContain(id);
  }
  expect(html).toContain('Net-db &lt;desc&gt;');
});

test('an alarm in ALARM over periods without a datapoint says how many had none, not only that none breached', () => {
  // The delivery-stopped alarm (< 1 record, missing data breaching) in ALARM over a gap in the capture.
  const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm({
    alarmName: 'Net-Watch-delivery-stopped',
    metricName: 'IncomingLogEvents',
    valueExpression: 'records',
    threshold: 1,
    comparisonOperator: 'LessThanThreshold',
    datapointsToAlarm: 3,
    series: series([15, 20, undefined, undefined, undefined, undefined, undefined, 15], 5 * MINUTE),
    enteredAlarmAt: [iso(T0 + 30 * MINUTE)],
    alarmPeriods: [{ start: iso(T0 + 30 * MINUTE), end: iso(T0 + 35 * MINUTE) }],
  })]));
  const section = sectionsOf(html).get('Net-Watch-delivery-stopped')!;
  expect(section).toContain('0 periods breaching the threshold');
  expect(section).toContain('5 periods without a datapoint (gaps in the line)');
});

test('names as long as CloudWatch allows (255 characters, no space) may wrap in the tables instead of widening the page', () => {
  const long = `Net-${'x'.repeat(251)}`;
  const metricName = `Egress${'Y'.repeat(244)}Bytes`;
  const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm({ alarmName: long }), metricAlarm({ alarmName: 'Other' })], {
    filters: [{ logicalId: 'Filter1', metricName, metricValue: '$bytes', recordsMatched: 1, sum: 10, unresolved: [] }],
  }));
  const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
  expect(style).toContain('td.long{white-space:normal;overflow-wrap:anywhere}');
  expect(html).toContain(`<tr><td class="name long"><a href="#alarm-net-${'x'.repeat(251)}">${long}</a></td>`);
  expect(html).toContain('<tr><td class="name"><a href="#alarm-other">Other</a></td>');
  expect(html).toContain(`<tr><td class="long">${metricName}<br>`);
});

test('a log alarm whose groups had values but none breached says so, not that no group had a value', () => {
  // The worked example's host sweep: 3 addresses at most, under its 20.
  const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm({
    alarmKind: 'LOG',
    alarmName: 'Net-Watch-host-sweep',
    metricName: undefined,
    statistic: undefined,
    valueExpression: 'count_distinct(dstaddr)',
    threshold: 20,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    series: series([0, 3, 0], 5 * MINUTE),
    topOffenders: [],
  })]));
  const section = sectionsOf(html).get('Net-Watch-host-sweep')!;
  expect(section).not.toContain('no group had a value');
  expect(section).toContain('No offending source: no group breached the threshold.');
});

test('a log alarm not simulated does not claim it had no offending source', () => {
  const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm({
    alarmKind: 'LOG',
    alarmName: 'Net-Watch-odd-query',
    metricName: undefined,
    statistic: undefined,
    simulated: false,
    notSimulatedReason: '`bin()` in `by` is not simulated',
    series: [],
    alarmPeriods: [],
    topOffenders: [],
  })]));
  const section = sectionsOf(html).get('Net-Watch-odd-query')!;
  expect(section).not.toContain('No offending source');
  expect(section).toContain('Offending sources: not known, as the alarm was not simulated.');
});

test('an alarm\'s heading reads its name and its outcome as separate words (screen readers, copied text)', () => {
  const html = FlowLogReplayReport.renderHtml(resultOf([metricAlarm()]));
  const heading = /<h3>([\s\S]*?)<\/h3>/.exec(html)![1].replace(/<[^>]*>/g, '');
  expect(heading).toBe('Net-Watch-private-rejected-flows OK');
});

test('a long input path may wrap in the input problems instead of widening the page', () => {
  const source = `/home/runner/work/network/${'captures/'.repeat(12)}2026-11-18.log`;
  const html = FlowLogReplayReport.renderHtml(resultOf([], {
    problems: [{ source, kind: 'field-count', count: 1, lineNumbers: [3], detail: 'a record of 14 fields' }],
  }));
  expect(html).toContain(`<tr><td class="long">${source}</td>`);
});
