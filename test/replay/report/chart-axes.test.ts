import { timeTicks, utcText, valueTicks } from '../../../src/replay/report/chart-axes';

describe('value ticks', () => {
  test('start at 0, are 1, 2 or 5 times a power of ten apart, and reach the largest value', () => {
    for (const max of [1, 7, 60, 99, 101, 750, 1544, 61260 / 1024, 5, 3e6]) {
      const ticks = valueTicks(0, max);
      const step = ticks[1] - ticks[0];
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks[ticks.length - 2]).toBeLessThan(max);
      expect(String(step / 10 ** Math.floor(Math.log10(step)))).toMatch(/^(1|2|5)$/);
      expect(ticks.length).toBeLessThanOrEqual(8);
    }
  });

  test('a series of zeros gets an axis of one unit, not a degenerate one', () => {
    expect(valueTicks(0, 0, 1)).toEqual([0, 1]);
  });

  test('whole-number values are never ticked at fractions', () => {
    expect(valueTicks(0, 3, 1).every(Number.isInteger)).toBe(true);
  });

  test('negative values extend the axis below 0', () => {
    expect(valueTicks(-3, 8)[0]).toBeLessThanOrEqual(-3);
  });
});

describe('time ticks', () => {
  const at = (h: number, m = 0) => Date.UTC(2026, 10, 18, h, m);

  test('an hour is ticked every 10 minutes on round times, labelled HH:MM', () => {
    expect(timeTicks(at(10), at(11), 7).map(t => t.label)).toEqual(['10:00', '10:10', '10:20', '10:30', '10:40', '10:50', '11:00']);
  });

  test('ticks stay within the span and on multiples of their step', () => {
    const ticks = timeTicks(at(10, 3), at(13, 57));
    expect(ticks[0].at).toBeGreaterThanOrEqual(at(10, 3));
    expect(ticks[ticks.length - 1].at).toBeLessThanOrEqual(at(13, 57));
    const step = ticks[1].at - ticks[0].at;
    expect(ticks.every(t => t.at % step === 0)).toBe(true);
  });

  test('a week is ticked by day, labelled with the date', () => {
    const ticks = timeTicks(Date.UTC(2026, 10, 16), Date.UTC(2026, 10, 23));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every(t => t.at % 86_400_000 === 0)).toBe(true);
    expect(ticks.map(t => t.label)).toEqual(ticks.map(t => `${new Date(t.at).getUTCDate()} Nov`));
  });

  test('a span over midnight labels its ticks with the date and the time', () => {
    expect(timeTicks(at(20), at(28)).map(t => t.label)).toContain('19 Nov 00:00');
  });

  test('utcText writes a time in UTC, with seconds only when there are some', () => {
    expect(utcText(at(10, 5))).toBe('2026-11-18 10:05 UTC');
    expect(utcText(at(10, 5) + 55_000)).toBe('2026-11-18 10:05:55 UTC');
  });
});
