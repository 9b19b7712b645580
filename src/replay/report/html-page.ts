import { utcText } from './chart-axes';
import { escapeMarkup as e } from './markup';
import { AlarmTimeline, FilterTotals, listText, ReportModel } from './report-model';
import { renderChart } from './svg-chart';
import { formatNumber, formatValue } from './value-unit';

const KINDS: Record<string, string> = {
  METRIC: 'static threshold',
  ANOMALY: 'anomaly detection',
  LOG: 'log alarm, per source',
};

/**
 * Forbids every fetch and every script: the page is self-contained by construction, and a
 * browser that opens it does not reach the network. `default-src` is the fallback of every fetch
 * directive, and `style-src 'unsafe-inline'` lets the page's own `<style>` apply
 * (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy/style-src); the
 * meta element comes first in `<head>`, as a policy in a meta element governs what follows it.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;color:#1b1b1b;margin:0 auto;max-width:900px;padding:16px 20px 40px;line-height:1.4}
h1{font-size:1.45em;margin:.2em 0 .4em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}h3{font-size:1.02em;margin:0 0 .3em;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #e5e5e5;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.summary{font-size:.85em}table.summary td{padding:2px 8px}table.summary td.name,table.summary td.kind{white-space:nowrap}
table.summary td.long,table td.long{white-space:normal;overflow-wrap:anywhere}
section.alarm{border:1px solid #ddd;border-radius:6px;padding:10px 12px;margin:14px 0}
section.alarm.fired{border-left:6px solid #d62728}section.alarm.quiet{border-left:6px solid #2e7d32}section.alarm.not-simulated{border-left:6px solid #888;background:#fafafa}
.badge{display:inline-block;font-size:.78em;font-weight:700;padding:1px 7px;border-radius:10px;margin-left:6px;vertical-align:1px}
.badge.fired{background:#d62728;color:#fff}.badge.quiet{background:#2e7d32;color:#fff}.badge.not-simulated{background:#666;color:#fff}
p{margin:.3em 0}.condition{font-size:.92em}.muted{color:#555;font-size:.88em}
.reason{background:#fff3cd;border:1px solid #e0c36a;border-radius:4px;padding:6px 10px;font-size:.92em}
svg.timeline{width:100%;height:auto;display:block;margin:6px 0}
svg.timeline text{font-family:inherit;font-size:11px;fill:#333}svg.timeline .chart-title{font-size:12px;font-weight:600}
svg.timeline .not-simulated-label{font-size:14px;font-weight:700;fill:#444}svg.timeline .no-data{font-size:13px;fill:#666}
svg.timeline .threshold-label{fill:#b00020;font-weight:600}
footer{margin-top:2em;color:#666;font-size:.85em}
`;

/** The whole page: header, a summary and a section per alarm, the metric filters, the input problems. */
export function renderPage(model: ReportModel): string {
  const simulated = model.alarms.filter(a => a.simulated);
  const fired = simulated.filter(a => a.enteredAlarmAt.length > 0);
  const notSimulated = model.alarms.length - simulated.length;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<title>${e(model.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    '<header>',
    `<h1>${e(model.title)}</h1>`,
    '<dl class="facts">',
    fact('Template', model.template ?? 'not named'),
    fact('Log group', model.logGroup),
    fact('Records', `${count(model.recordsRead)} read · ${count(model.recordsSkipped)} skipped (blank or comment) · `
      + `${count(model.recordsMalformed)} malformed (no flow-log record, or no timestamp) · ${count(model.recordsMismatched)} of another format`),
    fact('Time span', model.timeSpan
      ? `${utcText(model.timeSpan.start)} to ${utcText(model.timeSpan.end)} (${spanText(model.timeSpan.end - model.timeSpan.start)}), by the records' start times`
      : 'none: no record was replayed'),
    fact('Alarms', `${model.alarms.length}: ${fired.length} of ${simulated.length} simulated entered ALARM, ${notSimulated} not simulated`),
    '</dl>',
    '</header><main>',
    '<h2>Alarms</h2>',
    summaryTable(model.alarms),
    ...model.alarms.map(a => alarmSection(a, model)),
    '<h2>Metric filters</h2>',
    filterTable(model.filters),
    problemList(model),
    '</main>',
    '<footer>Written by cdk-flowlog-watch replay. Self-contained: no scripts, no network; every chart is inline SVG '
      + 'with a text description. Times are UTC; a period is named by its start.</footer>',
    '</body></html>',
    '',
  ].join('\n');
}

function fact(name: string, value: string): string {
  return `<dt>${e(name)}</dt><dd>${e(value)}</dd>`;
}

function count(n: number): string {
  return formatNumber(n, 0);
}

function outcome(a: AlarmTimeline): { cls: string; badge: string; text: string } {
  if (!a.simulated) {
    return { cls: 'not-simulated', badge: 'NOT SIMULATED', text: `not simulated: ${a.notSimulatedReason ?? 'no reason given'}` };
  }
  if (a.enteredAlarmAt.length > 0) {
    const times = a.enteredAlarmAt;
    return {
      cls: 'fired',
      badge: 'ALARM',
      text: times.length <= 3 ? `entered ALARM at ${times.map(utcText).join(', ')}`
        : `entered ALARM ${count(times.length)} times, first at ${utcText(times[0])}`,
    };
  }
  return { cls: 'quiet', badge: 'OK', text: 'never in ALARM' };
}

function summaryTable(alarms: AlarmTimeline[]): string {
  if (alarms.length === 0) {
    return `<p>${e('No alarm: the template has no alarm on this log group\'s metrics and no log alarm on it, so nothing was evaluated.')}</p>`;
  }
  const prefix = commonPrefix(alarms.map(a => a.name));
  const rows = alarms.map(a => {
    const o = outcome(a);
    return `<tr><td class="name${isLong(a.name.slice(prefix.length)) ? ' long' : ''}"><a href="#${a.anchor}">${e(a.name.slice(prefix.length))}</a></td><td class="kind">${e(KINDS[a.kind] ?? a.kind)}</td>`
      + `<td><span class="badge ${o.cls}">${o.badge}</span> ${e(o.text.replace(/^not simulated: /, ''))}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>alarm${prefix ? ` (${e(prefix)}…)` : ''}</th><th>kind</th><th>outcome</th></tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table>`;
}

/**
 * Whether a cell's name is longer than a line of its column holds (CloudWatch allows names of 255
 * characters, without a space to break at): its cell is then `long`, and wraps anywhere instead of
 * widening the page.
 */
function isLong(...names: string[]): boolean {
  return names.some(n => n.length > LONG_NAME);
}

const LONG_NAME = 40;

/** The start that all names share, up to a `-`, `/` or `_` (the stack and construct part of generated names); none for one name. */
function commonPrefix(names: string[]): string {
  if (names.length < 2) {
    return '';
  }
  let prefix = names.reduce((p, n) => {
    let i = 0;
    while (i < p.length && i < n.length && p[i] === n[i]) i++;
    return p.slice(0, i);
  });
  prefix = prefix.slice(0, Math.max(...['-', '/', '_'].map(c => prefix.lastIndexOf(c))) + 1);
  return names.some(n => n.length === prefix.length) ? '' : prefix;
}

function alarmSection(a: AlarmTimeline, model: ReportModel): string {
  const o = outcome(a);
  const parts = [
    `<section class="alarm ${o.cls}" id="${a.anchor}" data-simulated="${a.simulated}" data-fired="${a.enteredAlarmAt.length > 0}">`,
    // The space inside the badge separates the words in the heading's text; at the start of its box, it is not drawn.
    `<h3>${e(a.name)}<span class="badge ${o.cls}"> ${o.badge}</span></h3>`,
    `<p class="muted">${e(KINDS[a.kind] ?? a.kind)} · logical ID ${e(a.logicalId)}</p>`,
  ];
  if (a.condition) {
    parts.push(`<p class="condition">${e(a.condition)} <strong>(M of N: ${a.datapointsToAlarm} of ${a.evaluationPeriods})</strong></p>`);
  }
  if (!a.simulated) {
    parts.push(`<p class="reason" role="note"><strong>Not simulated:</strong> ${e(a.notSimulatedReason ?? 'no reason given')}. `
      + (a.periods > 0 ? 'Its metric is drawn below for reference only; whether the alarm would have fired is unknown.'
        : 'Nothing is drawn: there is no series to show, and the alarm is not known to be quiet.')
      + '</p>');
  }
  if (a.periods > 0 && model.chartSpan) {
    parts.push(renderChart(a, model.chartSpan));
  }
  const notes: string[] = [];
  if (a.peak) {
    notes.push(a.peak.value === 0 && a.buckets.every(b => b.min === undefined || b.min === 0)
      ? `every datapoint is ${formatValue(0, a.unit)}` : `peak ${formatValue(a.peak.value, a.unit)} in the ${a.periodNoun} of ${utcText(a.peak.at)}`);
  }
  if (a.simulated && a.threshold !== undefined) {
    notes.push(`${count(a.breachCount)} ${a.periodNoun}${a.breachCount === 1 ? '' : 's'} breaching the threshold${a.downsampled || a.breachCount === 0 ? '' : ' (dots)'}`);
  }
  const missing = a.periods - a.datapoints;
  if (missing > 0) {
    // An alarm can be in ALARM without a breaching datapoint: its TreatMissingData may count these as breaching.
    notes.push(`${count(missing)} ${a.periodNoun}${missing === 1 ? '' : 's'} without a datapoint${a.downsampled ? '' : ' (gaps in the line)'}`);
  }
  if (a.downsampled) notes.push(`${count(a.periods)} ${a.periodNoun}s drawn as ${a.buckets.length} columns, each from its smallest to its largest value`);
  if (notes.length) parts.push(`<p class="muted">${e(notes.join('; '))}</p>`);
  if (a.simulated && a.alarmSpans.length > 0) {
    const spans = listText(a.alarmSpans.map(s => `${utcText(s.start)} to ${utcText(s.end)}`));
    parts.push(`<p class="condition">${a.alarmSpansExact ? 'In ALARM' : 'Entered ALARM in the periods'} (shaded): ${e(spans)}`
      + `${a.alarmSpansExact ? '' : ' (when it left ALARM is not known)'}</p>`);
  }
  if (a.kind === 'LOG' || a.offenders.length > 0) {
    parts.push(offenderTable(a));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function offenderTable(a: AlarmTimeline): string {
  if (a.offenders.length === 0) {
    // The offenders are the groups that breached: without any, what the page can say depends on the outcome.
    return `<p class="muted">${!a.simulated ? 'Offending sources: not known, as the alarm was not simulated.'
      : a.enteredAlarmAt.length > 0 ? 'No offending source listed: its aggregation is not grouped by source (no <code>by</code>).'
        : 'No offending source: no group breached the threshold.'}</p>`;
  }
  const rows = a.offenders.map(o => `<tr><td>${e(o.group)}</td><td class="num">${e(formatValue(o.value, a.unit))}</td>`
    + `<td>${e(utcText(o.at))}</td></tr>`);
  const more = a.offendersOmitted > 0 ? `<p class="muted">and ${count(a.offendersOmitted)} more, not listed</p>` : '';
  return '<table class="offenders"><caption class="muted">Top offending sources</caption><thead><tr><th>source</th><th class="num">value</th>'
    + `<th>evaluation</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function filterTable(filters: FilterTotals[]): string {
  if (filters.length === 0) {
    return '<p>No metric filter on this log group: no record was counted into a metric.</p>';
  }
  const rows = filters.map(f => `<tr><td${isLong(f.metricName, f.logicalId) ? ' class="long"' : ''}>${e(f.metricName)}<br><span class="muted">${e(f.logicalId)}</span></td>`
    + `<td>${e(f.metricValue ?? '')}</td><td class="num">${count(f.recordsMatched)}</td>`
    + `<td class="num">${e(formatValue(f.sum, f.unit))}</td>`
    + `<td>${f.unresolved.length ? e(`matched nothing: unresolved ${f.unresolved.join(', ')} (give their values)`) : ''}</td></tr>`);
  return '<table class="filters"><thead><tr><th>metric (filter)</th><th>value</th><th class="num">records matched</th>'
    + `<th class="num">sum</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function problemList(model: ReportModel): string {
  if (model.problems.length === 0) {
    return '<h2>Input problems</h2><p>None: every record read was replayed.</p>';
  }
  const rows = model.problems.map(p => `<tr><td${isLong(p.source) ? ' class="long"' : ''}>${e(p.source)}</td><td>${e(p.kind)}</td><td class="num">${count(p.count)}</td>`
    + `<td>${e(p.lineNumbers.join(', '))}${p.count > p.lineNumbers.length ? ', …' : ''}</td><td>${e(p.detail)}</td></tr>`);
  const more = model.problemsOmitted > 0 ? `<p class="muted">and ${count(model.problemsOmitted)} more problems, not listed</p>` : '';
  return '<h2>Input problems</h2><table class="problems"><thead><tr><th>source</th><th>kind</th><th class="num">records</th>'
    + `<th>lines</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

/** `1 day, 2 hours, 5 minutes`; seconds under a minute. */
function spanText(ms: number): string {
  if (ms < 60_000) {
    return `${Math.round(ms / 1000)} seconds`;
  }
  const minutes = Math.round(ms / 60_000);
  const parts = [[Math.floor(minutes / 1440), 'day'], [Math.floor(minutes / 60) % 24, 'hour'], [minutes % 60, 'minute']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`).join(', ');
}
