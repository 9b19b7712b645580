/**
 * A series cut into at most so many buckets of time, each keeping its first, last, smallest
 * and largest value: drawn one bucket per pixel column, a one-period spike in a week of
 * 1-minute data still reaches its height (an average per bucket would flatten it).
 */

/** One period of a series: its start (epoch ms) and value (undefined: no datapoint). */
export interface SeriesPoint {
  readonly at: number;
  readonly value?: number;
}

/** The datapoints of a span of time; `min` is undefined where the span has none (a gap). */
export interface SeriesBucket {
  /** Start and end (exclusive) of the span, epoch ms. */
  readonly start: number;
  readonly end: number;
  readonly first?: number;
  readonly last?: number;
  readonly min?: number;
  readonly max?: number;
  /** Whether the smallest value comes before the largest (the order a line is drawn in). */
  readonly minFirst: boolean;
  /** How many periods with a datapoint it holds. */
  readonly datapoints: number;
}

/** One bucket per pixel column of the chart's plot area. */
export const MAX_BUCKETS = 720;

/**
 * The buckets of a series of periods of `periodMs`: one per period when there are at most
 * `maxBuckets` periods, else `maxBuckets` equal spans of the series' time.
 */
export function downsample(points: readonly SeriesPoint[], periodMs: number, maxBuckets: number = MAX_BUCKETS): SeriesBucket[] {
  if (!Number.isInteger(maxBuckets) || maxBuckets < 1) {
    throw new Error(`\`maxBuckets\` must be a whole number of 1 or more, got ${maxBuckets}`);
  }
  if (points.length === 0) {
    return [];
  }
  const start = points[0].at;
  const end = points[points.length - 1].at + periodMs;
  const perPeriod = points.length <= maxBuckets;
  const count = perPeriod ? points.length : maxBuckets;
  const span = (end - start) / count;
  const buckets: Array<MutableBucket> = [];
  for (let k = 0; k < count; k++) {
    buckets.push(perPeriod
      ? { start: points[k].at, end: points[k].at + periodMs, minFirst: true, datapoints: 0 }
      : { start: start + k * span, end: k === count - 1 ? end : start + (k + 1) * span, minFirst: true, datapoints: 0 });
  }
  points.forEach((point, i) => {
    if (point.value === undefined) {
      return;
    }
    const bucket = buckets[perPeriod ? i : Math.min(count - 1, Math.floor((point.at - start) / span))];
    add(bucket, point.value);
  });
  return buckets;
}

type MutableBucket = { -readonly [K in keyof SeriesBucket]: SeriesBucket[K] };

function add(bucket: MutableBucket, value: number): void {
  if (bucket.datapoints === 0) {
    bucket.first = value;
    bucket.min = value;
    bucket.max = value;
  } else if (value < bucket.min!) {
    bucket.min = value;
    bucket.minFirst = false;
  } else if (value > bucket.max!) {
    bucket.max = value;
    bucket.minFirst = true;
  }
  bucket.last = value;
  bucket.datapoints++;
}
