import { downsample, SeriesPoint } from '../../../src/replay/report/series-downsampling';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 16);

function week(valueAt: (i: number) => number | undefined): SeriesPoint[] {
  return Array.from({ length: 7 * 24 * 60 }, (_, i) => ({ at: T0 + i * MINUTE, value: valueAt(i) }));
}

test('a short series keeps one bucket per period, gaps included', () => {
  const points = [{ at: T0, value: 3 }, { at: T0 + 5 * MINUTE }, { at: T0 + 10 * MINUTE, value: 7 }];
  const buckets = downsample(points, 5 * MINUTE, 10);
  expect(buckets.map(b => [b.start, b.end, b.min, b.max])).toEqual([
    [T0, T0 + 5 * MINUTE, 3, 3],
    [T0 + 5 * MINUTE, T0 + 10 * MINUTE, undefined, undefined],
    [T0 + 10 * MINUTE, T0 + 15 * MINUTE, 7, 7],
  ]);
});

test('a week of 1-minute data becomes at most maxBuckets buckets covering the whole week', () => {
  const buckets = downsample(week(i => i % 60), MINUTE, 720);
  expect(buckets).toHaveLength(720);
  expect(buckets[0].start).toBe(T0);
  expect(buckets[buckets.length - 1].end).toBe(T0 + 7 * 24 * 60 * MINUTE);
  expect(buckets.reduce((n, b) => n + b.datapoints, 0)).toBe(7 * 24 * 60);
});

test('downsampling keeps a one-minute spike at its full height, in the bucket of its time', () => {
  const spikeAt = 4321;
  const points = week(i => (i === spikeAt ? 5000 : 2));
  const buckets = downsample(points, MINUTE, 720);
  const highest = buckets.reduce((best, b) => (b.max! > best.max! ? b : best));
  expect(highest.max).toBe(5000);
  expect(highest.start).toBeLessThanOrEqual(points[spikeAt].at);
  expect(highest.end).toBeGreaterThan(points[spikeAt].at);
  expect(buckets.filter(b => b.max === 5000)).toHaveLength(1);
  expect(Math.min(...buckets.map(b => b.min!))).toBe(2);
});

test('a bucket knows whether its low or its high came first, and its first and last values', () => {
  const points = [10, 1, 9, 4].map((value, i) => ({ at: T0 + i * MINUTE, value }));
  const [dropThenRise] = downsample(points, MINUTE, 1);
  expect(dropThenRise).toMatchObject({ first: 10, last: 4, min: 1, max: 10, minFirst: false, datapoints: 4 });
  const rising = downsample([1, 5, 9].map((value, i) => ({ at: T0 + i * MINUTE, value })), MINUTE, 1)[0];
  expect(rising).toMatchObject({ min: 1, max: 9, minFirst: true });
});

test('a bucket without any datapoint is a gap, not a zero', () => {
  const buckets = downsample(week(i => (i < 5000 ? 1 : undefined)), MINUTE, 720);
  const gaps = buckets.filter(b => b.datapoints === 0);
  expect(gaps.length).toBeGreaterThan(0);
  expect(gaps.every(b => b.min === undefined && b.max === undefined)).toBe(true);
});

test('fails when maxBuckets is not a whole number of 1 or more', () => {
  expect(() => downsample([], MINUTE, 0)).toThrow('`maxBuckets` must be a whole number of 1 or more, got 0');
});
