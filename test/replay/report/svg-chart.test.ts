import { iso, metricAlarm, MINUTE, resultOf, series, T0 } from './fixtures';
import type { AlarmReplay } from '../../../src/replay/replay-result';
import { buildReportModel } from '../../../src/replay/report/report-model';
import { renderChart } from '../../../src/replay/report/svg-chart';

function chartOf(alarm: AlarmReplay) {
  const model = buildReportModel(resultOf([alarm], { firstRecordAt: undefined, lastRecordAt: undefined }));
  const svg = renderChart(model.alarms[0], model.chartSpan!);
  const plot = attributes(svg, 'rect class="plot"');
  const span = model.chartSpan!;
  const xOf = (t: number) => plot.x + ((t - span.start) / (span.end - span.start)) * plot.width;
  return { svg, plot, xOf, timeline: model.alarms[0] };
}

/** The numeric attributes of the first element whose tag starts with `start`. */
function attributes(svg: string, start: string): Record<string, number> {
  const tag = svg.slice(svg.indexOf(`<${start}`), svg.indexOf('>', svg.indexOf(`<${start}`)));
  expect(tag).not.toBe('');
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="(-?[\d.]+)"/g)].map(m => [m[1], Number(m[2])]));
}

function gridlineY(svg: string, label: string): number {
  const m = new RegExp(`<line class="grid"[^>]*y1="([\\d.]+)"[^>]*/><text class="tick"[^>]*>${label}</text>`).exec(svg);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

/** The y coordinates the series path reaches. */
function pathYs(svg: string): number[] {
  const d = /<path class="series" d="([^"]+)"/.exec(svg)![1];
  return [...d.matchAll(/([MLV])([\d.]+)(?: ([\d.]+))?/g)].map(m => Number(m[1] === 'V' ? m[2] : m[3]));
}

test('the chart is an image with a title and a description naming its peak, condition and ALARM times', () => {
  const { svg } = chartOf(metricAlarm({
    series: series([0, 750, 750, 0], 5 * MINUTE),
    enteredAlarmAt: [iso(T0 + 10 * MINUTE)],
    alarmPeriods: [{ start: iso(T0 + 10 * MINUTE), end: iso(T0 + 20 * MINUTE) }],
  }));
  const anchor = 'alarm-net-watch-private-rejected-flows';
  expect(svg).toMatch(new RegExp(`^<svg [^>]*role="img" aria-labelledby="${anchor}-title ${anchor}-desc"`));
  expect(svg).toContain(`<title id="${anchor}-title">Net-Watch-private-rejected-flows: PrivateRejectedFlows, Sum per 5 minutes</title>`);
  const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1];
  expect(desc).toContain('4 periods of 5 minutes from 2026-11-18 10:00 UTC to 2026-11-18 10:20 UTC');
  expect(desc).toContain('Peak 750 flows at 2026-11-18 10:05 UTC');
  expect(desc).toContain('ALARM when 2 of 3 periods of 5 minutes are &gt; 100 flows');
  expect(desc).toContain('In ALARM from 2026-11-18 10:10 UTC to 2026-11-18 10:20 UTC');
  expect(svg).toContain('<text class="axis-label"');
});

test('the threshold line is drawn at the threshold\'s height on the value axis', () => {
  const { svg } = chartOf(metricAlarm({ series: series([0, 750, 10], 5 * MINUTE), threshold: 200 }));
  const line = attributes(svg, 'line class="threshold"');
  expect(line.y1).toBe(gridlineY(svg, '200'));
  expect(svg).toContain('threshold &gt; 200 flows');
});

test('the series reaches its peak\'s height, and steps at each period\'s start and end', () => {
  const { svg, plot, xOf } = chartOf(metricAlarm({ series: series([0, 600, 200, 0], 5 * MINUTE), threshold: 1000 }));
  expect(Math.min(...pathYs(svg))).toBe(gridlineY(svg, '600'));
  expect(Math.max(...pathYs(svg))).toBe(gridlineY(svg, '0'));
  const d = /<path class="series" d="([^"]+)"/.exec(svg)![1];
  expect(d.startsWith(`M${plot.x} `)).toBe(true);
  for (let i = 1; i <= 4; i++) {
    expect(d).toContain(`H${Math.round(xOf(T0 + i * 5 * MINUTE) * 10) / 10}`);
  }
});

test('each period in ALARM is shaded over its time, and nothing else is', () => {
  const start = T0 + 5 * MINUTE;
  const end = T0 + 15 * MINUTE;
  const { svg, plot, xOf } = chartOf(metricAlarm({
    series: series([0, 750, 750, 0], 5 * MINUTE), enteredAlarmAt: [iso(start)], alarmPeriods: [{ start: iso(start), end: iso(end) }],
  }));
  expect(svg.match(/class="alarm-period"/g)).toHaveLength(1);
  const shade = attributes(svg, 'rect class="alarm-period"');
  expect(shade.x).toBeCloseTo(xOf(start), 1);
  expect(shade.width).toBeCloseTo(xOf(end) - xOf(start), 1);
  expect(shade.y).toBe(plot.y);
  expect(shade.height).toBe(plot.height);
});

test('a quiet alarm has no shading; breaching datapoints are marked', () => {
  const { svg } = chartOf(metricAlarm({ series: series([0, 150, 0, 0], 5 * MINUTE) }));
  expect(svg).not.toContain('alarm-period');
  expect(svg.match(/<circle class="breach"/g)).toHaveLength(1);
});

test('a one-minute ALARM in a week of 1-minute data stays visible', () => {
  const values = Array.from({ length: 10_080 }, (_, i) => (i === 5000 ? 500 : 1));
  const at = T0 + 5000 * MINUTE;
  const { svg, xOf } = chartOf(metricAlarm({
    series: series(values, MINUTE), periodSeconds: 60, enteredAlarmAt: [iso(at)], alarmPeriods: [{ start: iso(at), end: iso(at + MINUTE) }],
  }));
  const shade = attributes(svg, 'rect class="alarm-period"');
  expect(shade.width).toBeGreaterThanOrEqual(2);
  expect(Math.abs(shade.x - xOf(at))).toBeLessThan(2);
  // The spike survives downsampling: the line reaches the top tick's side of the axis.
  expect(Math.min(...pathYs(svg))).toBeLessThan(gridlineY(svg, '400'));
});

test('a period without a datapoint is a gap in the line, not a zero', () => {
  const { svg } = chartOf(metricAlarm({ series: series([5, undefined, undefined, 5], 5 * MINUTE) }));
  const d = /<path class="series" d="([^"]+)"/.exec(svg)![1];
  expect(d.match(/M/g)).toHaveLength(2);
});

test('an alarm not simulated is drawn over a hatched plot that says so, without threshold or shading', () => {
  const { svg } = chartOf(metricAlarm({
    simulated: false,
    notSimulatedReason: 'anomaly detection: its band is learned by CloudWatch from history',
    alarmKind: 'ANOMALY',
    threshold: undefined,
    comparisonOperator: 'GreaterThanUpperThreshold',
    series: series([0, 1544, 1527, 0], 5 * MINUTE),
    enteredAlarmAt: [],
    alarmPeriods: undefined,
  }));
  expect(svg).toMatch(/<rect class="plot"[^>]*fill="url\(#[\w-]+-hatch\)"/);
  expect(svg).toContain('NOT SIMULATED');
  expect(svg).not.toContain('class="threshold"');
  expect(svg).not.toContain('alarm-period');
  expect(/<desc[^>]*>([^<]*)</.exec(svg)![1]).toMatch(/^Not simulated: anomaly detection: its band is learned by CloudWatch from history\./);
});

test('text from the result is escaped', () => {
  const { svg } = chartOf(metricAlarm({ alarmName: '<script>alert(1)</script>' }));
  expect(svg).not.toContain('<script>');
  expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
});

test('a metric name as long as CloudWatch allows (255 characters) is shortened in the chart\'s heading, whole in its title', () => {
  const metricName = `Egress${'X'.repeat(243)}Bytes`;
  const { svg } = chartOf(metricAlarm({ metricName }));
  const heading = /<text class="chart-title"[^>]*>([^<]*)<\/text>/.exec(svg)![1];
  // 12 px bold, about 7 units a character: the plot is 720 units wide.
  expect(heading.length).toBeLessThanOrEqual(100);
  expect(heading).toMatch(/…/);
  expect(svg).toContain(`<title id="alarm-net-watch-private-rejected-flows-title">Net-Watch-private-rejected-flows: ${metricName}, Sum per 5 minutes</title>`);
});

test('the time axis names the day once when the chart is within one day, and a span that ends at midnight ends on its day', () => {
  const { svg } = chartOf(metricAlarm({ series: series([1, 2, 3], 5 * MINUTE) }));
  expect(svg).toContain('>time (UTC), 2026-11-18</text>');
  const day = Date.UTC(2026, 10, 17);
  const whole = chartOf(metricAlarm({ series: series(Array.from({ length: 288 }, () => 1), 5 * MINUTE, day) }));
  expect(whole.svg).toContain('>time (UTC), 2026-11-17</text>');
  const two = chartOf(metricAlarm({ series: series(Array.from({ length: 289 }, () => 1), 5 * MINUTE, day) }));
  expect(two.svg).toContain('>time (UTC), 2026-11-17 to 2026-11-18</text>');
});

test('a log alarm\'s description names its executions by their scheduled times, not as periods that last', () => {
  const { svg } = chartOf(metricAlarm({
    alarmKind: 'LOG',
    metricName: undefined,
    statistic: undefined,
    valueExpression: 'count_distinct(dstport)',
    threshold: 50,
    series: series([0, 400, 3], 5 * MINUTE),
  }));
  const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1];
  // The last execution runs at 10:10: nothing is evaluated at 10:15.
  expect(desc).toContain('3 evaluations every 5 minutes, the first at 2026-11-18 10:00 UTC, the last at 2026-11-18 10:10 UTC, 3 with a value.');
});
