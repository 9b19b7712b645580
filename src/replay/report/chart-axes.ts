/**
 * Where a chart's axes put their ticks: round values (1, 2 or 5 times a power of ten) on the
 * value axis, round UTC times (minutes, hours, days) on the time axis.
 */

/**
 * Round tick values from 0 (or below, for negative values) up to at least `max`, about `target` of them,
 * `minStep` apart at least. The last tick is the axis' top.
 */
export function valueTicks(min: number, max: number, minStep: number = 0, target: number = 5): number[] {
  const low = Math.min(0, min);
  const high = Math.max(max, low + Math.max(minStep, 1e-9));
  const rough = Math.max((high - low) / target, minStep);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map(f => f * magnitude).find(s => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(low / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < high + step * 1e-9; v += step) {
    ticks.push(roundTo(v, step));
  }
  if (ticks[ticks.length - 1] < high) {
    ticks.push(roundTo(ticks[ticks.length - 1] + step, step));
  }
  return ticks;
}

/** Tick steps of a time axis, in seconds. */
const TIME_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Time ticks (epoch ms, on multiples of a round UTC step) within [start, end], at most `maxTicks`, with their labels. */
export function timeTicks(start: number, end: number, maxTicks: number = 7): Array<{ readonly at: number; readonly label: string }> {
  const spanSeconds = (end - start) / 1000;
  // n steps can give n + 1 ticks (both ends on a multiple).
  const step = (TIME_STEPS.find(s => spanSeconds / s <= maxTicks - 1) ?? Math.ceil(spanSeconds / (maxTicks - 1) / 604800) * 604800) * 1000;
  const days = new Set<number>();
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
    ticks.push(t);
    days.add(Math.floor(t / 86_400_000));
  }
  const severalDays = days.size > 1 || spanSeconds > 86400;
  return ticks.map(at => {
    const d = new Date(at);
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
    return { at, label: !severalDays ? time : step >= 86_400_000 ? day : `${day} ${time}` };
  });
}

/** `2026-11-18 10:05 UTC`. */
export function utcText(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
    + `${d.getUTCSeconds() ? `:${pad(d.getUTCSeconds())}` : ''} UTC`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** v without the floating-point noise of adding steps (0.30000000000000004). */
function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, decimals)));
}
