import { timeTicks, utcText, valueTicks } from './chart-axes';
import { escapeMarkup } from './markup';
import { AlarmTimeline, durationText, listText, MAX_LISTED, TimeSpan } from './report-model';
import { MAX_BUCKETS } from './series-downsampling';
import { axisScale, formatNumber, formatValue } from './value-unit';

/** The chart's box, in SVG user units: the plot area has one pixel column per bucket. */
const LEFT = 78;
const RIGHT = 24;
const TOP = 34;
const BOTTOM = 48;
const PLOT_WIDTH = MAX_BUCKETS;
const PLOT_HEIGHT = 170;
const WIDTH = LEFT + PLOT_WIDTH + RIGHT;
const HEIGHT = TOP + PLOT_HEIGHT + BOTTOM;
/** A span in ALARM stays visible however short it is against the time axis. */
const MIN_SHADE_WIDTH = 2;
/** The characters of a chart's heading that fit over the plot (12 px bold, about 7 units each); the `<title>` has them all. */
const MAX_HEADING = 80;

/**
 * An alarm's timeline as inline SVG: its series per period (a step line; gaps where a period
 * has no datapoint), the threshold as a dashed line, a dot on each breaching datapoint (when not
 * downsampled), the spans in ALARM shaded, time and value
 * axes with ticks and labels, and a title and description for screen readers. An alarm that
 * was not simulated is drawn over a hatched plot that says so, without threshold or shading:
 * it never looks like a quiet alarm.
 *
 * @param span the time axis' extent (the same for every chart of a page)
 */
export function renderChart(timeline: AlarmTimeline, span: TimeSpan): string {
  const id = timeline.anchor;
  const simulated = timeline.simulated;
  const values = timeline.buckets.flatMap(b => (b.min === undefined ? [] : [b.min, b.max!]));
  const threshold = simulated ? timeline.threshold : undefined;
  const limits = threshold === undefined ? values : [...values, threshold];
  const dataMax = limits.length ? Math.max(...limits) : 0;
  const dataMin = limits.length ? Math.min(...limits) : 0;
  const scale = axisScale(Math.max(Math.abs(dataMax), Math.abs(dataMin)), timeline.unit);
  const ticks = valueTicks(dataMin / scale.divisor, dataMax / scale.divisor, timeline.wholeNumbers ? 1 / scale.divisor : 0)
    .map(t => t * scale.divisor);
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const x = (t: number) => LEFT + ((t - span.start) / Math.max(1, span.end - span.start)) * PLOT_WIDTH;
  const y = (v: number) => TOP + PLOT_HEIGHT - ((v - low) / (high - low)) * PLOT_HEIGHT;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" `
    + `aria-labelledby="${id}-title ${id}-desc" data-alarm="${escapeMarkup(timeline.name)}">`);
  parts.push(`<title id="${id}-title">${escapeMarkup(`${timeline.name}: ${timeline.valueLabel}`)}</title>`);
  parts.push(`<desc id="${id}-desc">${escapeMarkup(describe(timeline))}</desc>`);
  parts.push(`<text class="chart-title" x="${LEFT}" y="20">${escapeMarkup(shortened(`${timeline.valueLabel} (${timeline.unit.noun || 'value'})`, MAX_HEADING))}</text>`);
  if (!simulated) {
    parts.push(`<defs><pattern id="${id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`
      + '<rect width="8" height="8" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="8" stroke="#c8c8c8" stroke-width="3"/></pattern></defs>');
  }
  parts.push(`<rect class="plot" x="${LEFT}" y="${TOP}" width="${PLOT_WIDTH}" height="${PLOT_HEIGHT}" `
    + `fill="${simulated ? '#ffffff' : `url(#${id}-hatch)`}" stroke="#999"/>`);

  const shades = simulated ? shadesOf(timeline.alarmSpans, x) : [];
  for (const shade of shades) {
    // A tooltip per span while they are few; past that the text under the chart lists them.
    const title = shades.length <= MAX_LISTED && shade.spans.length === 1
      ? `<title>${escapeMarkup(`ALARM from ${utcText(shade.spans[0].start)} to ${utcText(shade.spans[0].end)}`)}</title>` : '';
    parts.push(`<rect class="alarm-period" x="${r(shade.x)}" y="${TOP}" width="${r(shade.width)}" height="${PLOT_HEIGHT}" `
      + `fill="#d62728" fill-opacity="0.2">${title}</rect>`);
  }

  // Value axis: gridlines and tick labels.
  for (const t of ticks) {
    parts.push(`<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="#e3e3e3"/>`
      + `<text class="tick" x="${LEFT - 6}" y="${r(y(t) + 4)}" text-anchor="end">${escapeMarkup(tickLabel(t, scale))}</text>`);
  }
  parts.push(`<text class="axis-label" transform="translate(16 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">`
    + `${escapeMarkup(timeline.unit.noun || 'value')}</text>`);

  // Time axis.
  for (const t of timeTicks(span.start, span.end)) {
    parts.push(`<line class="tick-mark" x1="${r(x(t.at))}" x2="${r(x(t.at))}" y1="${TOP + PLOT_HEIGHT}" y2="${TOP + PLOT_HEIGHT + 5}" stroke="#666"/>`
      + `<text class="tick" x="${r(x(t.at))}" y="${TOP + PLOT_HEIGHT + 18}" text-anchor="middle">${escapeMarkup(t.label)}</text>`);
  }
  parts.push(`<text class="axis-label" x="${LEFT + PLOT_WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">`
    + `${escapeMarkup(`time (UTC), ${daysText(span)}`)}</text>`);

  if (threshold !== undefined) {
    const ty = r(y(threshold));
    parts.push(`<line class="threshold" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${ty}" y2="${ty}" stroke="#b00020" stroke-width="1.5" stroke-dasharray="6 4"/>`
      + `<text class="threshold-label" x="${LEFT + PLOT_WIDTH - 4}" y="${r(y(threshold) - 5)}" text-anchor="end" fill="#b00020" stroke="#fff" stroke-width="3" paint-order="stroke">`
      + `${escapeMarkup(`threshold ${timeline.comparison ?? ''} ${formatValue(threshold, timeline.unit)}`)}</text>`);
  }

  const path = seriesPath(timeline, x, y);
  if (path !== '') {
    parts.push(`<path class="series" d="${path}" fill="none" stroke="${simulated ? '#1f5fa8' : '#555'}" stroke-width="1.5" stroke-linejoin="round"/>`);
  } else {
    parts.push(`<text class="no-data" x="${LEFT + PLOT_WIDTH / 2}" y="${TOP + PLOT_HEIGHT / 2}" text-anchor="middle">no datapoint in any period</text>`);
  }
  for (const b of simulated ? timeline.breaches : []) {
    parts.push(`<circle class="breach" cx="${r(x(b.at + timeline.periodMs / 2))}" cy="${r(y(b.value))}" r="3.5" fill="#b00020"/>`);
  }
  if (!simulated) {
    parts.push(`<text class="not-simulated-label" x="${LEFT + PLOT_WIDTH / 2}" y="${TOP + 24}" text-anchor="middle">`
      + 'NOT SIMULATED: whether it would have fired is unknown</text>');
  }
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The rectangles that shade the spans in ALARM: each at least MIN_SHADE_WIDTH wide, and spans
 * less than a pixel apart drawn as one (they look the same, and the page stays small).
 */
function shadesOf(spans: readonly TimeSpan[], x: (t: number) => number): Array<{ x: number; width: number; spans: TimeSpan[] }> {
  const shades: Array<{ x: number; width: number; spans: TimeSpan[] }> = [];
  for (const s of spans) {
    const width = Math.max(MIN_SHADE_WIDTH, Math.min(x(s.end), LEFT + PLOT_WIDTH) - Math.max(x(s.start), LEFT));
    const x0 = Math.min(Math.max(x(s.start), LEFT), LEFT + PLOT_WIDTH - width);
    const last = shades[shades.length - 1];
    if (last && x0 - (last.x + last.width) < 1) {
      last.width = Math.max(last.width, x0 + width - last.x);
      last.spans.push(s);
    } else {
      shades.push({ x: x0, width, spans: [s] });
    }
  }
  return shades;
}

/**
 * The series as one path: a step per bucket, a vertical stroke from its smallest to its largest
 * value where it holds several periods, a new subpath after a gap.
 */
function seriesPath(timeline: AlarmTimeline, x: (t: number) => number, y: (v: number) => number): string {
  const out: string[] = [];
  let penX: number | undefined;
  for (const b of timeline.buckets) {
    if (b.min === undefined) {
      penX = undefined;
      continue;
    }
    const x0 = r(x(b.start));
    const x1 = r(x(b.end));
    out.push(penX === undefined ? `M${x0} ${r(y(b.first!))}` : penX === x0 ? `V${r(y(b.first!))}` : `L${x0} ${r(y(b.first!))}`);
    if (b.min !== b.max) {
      const [a, c] = b.minFirst ? [b.min, b.max!] : [b.max!, b.min];
      out.push(`H${r((x0 + x1) / 2)}V${r(y(a))}V${r(y(c))}V${r(y(b.last!))}`);
    }
    out.push(`H${x1}`);
    penX = x1;
  }
  return out.join('');
}

function tickLabel(value: number, scale: { divisor: number; suffix: string }): string {
  if (value === 0) return '0';
  const text = formatNumber(value / scale.divisor, 3);
  return scale.suffix ? `${text} ${scale.suffix}` : text;
}

/** The chart in words, for its `<desc>`. */
export function describe(timeline: AlarmTimeline): string {
  const sentences: string[] = [];
  if (!timeline.simulated) {
    sentences.push(`Not simulated: ${timeline.notSimulatedReason ?? 'no reason given'}. `
      + 'Its metric is drawn for reference only: whether the alarm would have fired is unknown.');
  }
  const drawnAs = timeline.downsampled ? `, drawn as ${timeline.buckets.length} columns of their smallest and largest values` : '';
  if (timeline.periods > 0 && timeline.kind === 'LOG') {
    // A log alarm's query runs at scheduled times: the last one is the last bucket's start, not its end.
    const first = timeline.buckets[0].start;
    const last = timeline.buckets[timeline.buckets.length - 1].end - timeline.periodMs;
    sentences.push(`${timeline.periods} evaluation${timeline.periods === 1 ? '' : 's'} every ${durationText(timeline.periodMs)}, `
      + `the first at ${utcText(first)}, the last at ${utcText(last)}, ${timeline.datapoints} with a value${drawnAs}.`);
  } else if (timeline.periods > 0) {
    const first = timeline.buckets[0].start;
    const last = timeline.buckets[timeline.buckets.length - 1].end;
    sentences.push(`${timeline.periods} ${timeline.periodNoun}s of ${durationText(timeline.periodMs)} from ${utcText(first)} to ${utcText(last)}, `
      + `${timeline.datapoints} with a datapoint${drawnAs}.`);
  }
  if (timeline.peak) {
    sentences.push(`Peak ${formatValue(timeline.peak.value, timeline.unit)} at ${utcText(timeline.peak.at)}.`);
  }
  if (timeline.simulated) {
    if (timeline.condition) sentences.push(`${timeline.condition}.`);
    if (timeline.threshold !== undefined) {
      sentences.push(`${timeline.breachCount} ${timeline.periodNoun}${timeline.breachCount === 1 ? '' : 's'} breaching the threshold.`);
    }
    sentences.push(timeline.alarmSpans.length === 0 ? 'Never in ALARM.'
      : `In ALARM ${listText(timeline.alarmSpans.map(s => `from ${utcText(s.start)} to ${utcText(s.end)}`))}.`);
  }
  return sentences.join(' ');
}

/** The days a span covers: `2026-11-18`, or `2026-11-17 to 2026-11-18` (its end is excluded: a span to midnight ends on its day). */
function daysText(span: TimeSpan): string {
  const first = utcText(span.start).slice(0, 10);
  const last = utcText(Math.max(span.start, span.end - 1)).slice(0, 10);
  return first === last ? first : `${first} to ${last}`;
}

/** The text, cut to at most `max` characters with an ellipsis in the middle (a metric's name differs at its end as often as at its start). */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/** A coordinate with one decimal: enough for a pixel, and short. */
function r(v: number): number {
  return Math.round(v * 10) / 10;
}
