import { compileQueryConditions, ConditionsEvaluator } from './compiled-conditions';
import { FixedLayout, InPlaceTest, numberAt, sameAt, SpaceDelimitedPattern, splitSpaceDelimited } from './filter-pattern';
import { LogAlarmEvaluation, LogAlarmExecutions, LogAlarmQuery, LogAlarmSettings, WindowResult } from './log-alarm-evaluator';
import { QueryPartials, SlotPartials } from './logs-insights-partials';
import { whyNotFlowLogRecord } from './record-classifier';
import { TemplateMetricFilter } from './template-model';

/** The metric filters of one log group, as a replay runs them. */
export interface ReplayPlan {
  readonly filters: readonly TemplateMetricFilter[];
  /** Each filter's parsed pattern; undefined when a reference in it is unresolved (it matches nothing). */
  readonly patterns: ReadonlyArray<SpaceDelimitedPattern | undefined>;
  /** The format's field names, from the patterns (`account_id` …). */
  readonly columns: readonly string[];
  /** The field count of a record in the format; undefined when a pattern has an ellipsis. */
  readonly fieldCount: number | undefined;
  /** The distinct queries of the log alarms on the log group (each fed every record of its field count). */
  readonly logQueries?: readonly LogAlarmQuery[];
  /** The log alarms replayed: the index of each one's query in `logQueries`, and its settings. */
  readonly logAlarms?: ReadonlyArray<{ readonly query: number; readonly settings: LogAlarmSettings }>;
  /**
   * How far out of time order records may come, in seconds: a log alarm's execution runs once the newest
   * record read is this much past its window, and its slots are then forgotten.
   * @default 3600
   */
  readonly maxDisorderSeconds?: number;
  /**
   * When the records are one byte range of the input, read by one of several threads: the time (epoch
   * seconds) of the range's first record, and of the next range's (-Infinity and Infinity at the ends).
   * The log alarms then run only the executions no other range has records for (`finishRange`).
   */
  readonly range?: { readonly low: number; readonly high: number };
}

/**
 * Thrown by a session on a byte range at its first record that makes the ranges unmergeable (`mergeRanges`):
 * more than maxDisorder older than one before it, or further out of time order than `rangeMargin` across the
 * range's boundaries.
 */
export class RangeDisorder extends Error {}

/** What a session on one byte range of the input found (`ReplaySession.finishRange`), to merge in order with the others'. */
export interface RangeOutcome extends Omit<SessionOutcome, 'logAlarms'> {
  /** A filter or query added a number with a fraction: sums then depend on the order of addition. */
  readonly fractional: boolean;
  /** Per log query: the slots the range kept (those the executions run elsewhere read). */
  readonly slots: ReadonlyArray<ReadonlyMap<number, SlotPartials>>;
  /** Per log alarm: the results of the executions the range ran. */
  readonly results: ReadonlyArray<readonly WindowResult[]>;
}

/** Per log alarm of `ReplayPlan.logAlarms`: its evaluation, or why it could not be simulated. */
export type LogAlarmOutcome = { readonly evaluation: LogAlarmEvaluation } | { readonly notSimulated: string };

/** Records of one source that could not be replayed, for one reason. */
export interface SessionProblem {
  readonly source: string;
  readonly kind: 'field-count' | 'no-timestamp' | 'format-mismatch' | 'malformed';
  count: number;
  readonly lineNumbers: number[];
  readonly detail: string;
}

/** What the filters emitted in one minute, per filter, and how many records the minute had. */
export interface MinuteBucket {
  /** Records replayed in the minute (each filter emits its default value for those it did not match). */
  records: number;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** What a session found, before alarms are evaluated. */
export interface SessionOutcome {
  readonly recordsRead: number;
  readonly recordsSkipped: number;
  readonly recordsMalformed: number;
  readonly recordsMismatched: number;
  readonly problems: SessionProblem[];
  readonly recordsMatched: number[];
  readonly sums: number[];
  /** Epoch second of the minute -> bucket. */
  readonly minutes: Map<number, MinuteBucket>;
  /** Epoch seconds of the first and last record replayed (Infinity and -Infinity without any). */
  readonly first: number;
  readonly last: number;
  /** Per log alarm of `ReplayPlan.logAlarms`, in that order. */
  readonly logAlarms: LogAlarmOutcome[];
}

/** A record's place, for a message. */
interface RecordPlace {
  readonly source: string;
  readonly lineNumber: number;
}

/** How far out of time order records may come, by default (`ReplayPlan.maxDisorderSeconds`). */
export const DEFAULT_MAX_DISORDER_SECONDS = 3600;

/**
 * How far in time (seconds) the records of a byte range may reach past its boundaries with the next and the
 * previous range: the executions within it of a boundary run once all ranges are read. Input read in order
 * is off by the flow logs' aggregation and delivery, minutes; more than this, and the input is replayed on
 * one thread (`mergeRanges`). The smaller, the fewer executions wait for the end.
 */
export function rangeMargin(maxDisorderSeconds: number): number {
  return Math.min(maxDisorderSeconds, 900);
}

/** The line numbers a problem keeps. */
export const LINE_NUMBERS_KEPT = 10;
/** Records with more fields take the general path (flow-log records have at most 31). */
const MAX_PLAIN_FIELDS = 256;
const SPACE = 32;
const QUOTE = 34;
const OPEN_BRACKET = 91;
const HASH = 35;
const ONE_OF = 0;
const OF_NUMBER = 1;
const OF_TEXT = 2;

/**
 * A replay fed one record at a time: each record is split once, every filter runs over its
 * fields, and what they emit is aggregated per minute as it goes (memory follows the time
 * span, not the record count).
 */
export class ReplaySession {
  private readonly filterCount: number;
  /** Per filter: its tests on a record of the format's field count (undefined: it cannot match one). */
  private readonly layouts: Array<FixedLayout | undefined>;
  /**
   * The distinct tests of all layouts (filters share most: `log_status="OK"`, `action="ACCEPT"`, a role's
   * subnets …), each run at most once per record; per filter, the ids of its tests in order.
   */
  private readonly testFields: Int32Array;
  private readonly testKinds: Uint8Array;
  private readonly testOneOf: Array<readonly string[]>;
  private readonly testOfNumber: Array<(num: number) => boolean>;
  private readonly testOfText: Array<(field: string) => boolean>;
  private readonly filterTests: Int32Array[];
  /** Per test: the number of the record it last ran on, and its answer there (1 true, 0 false). */
  private readonly testedOn: Float64Array;
  private readonly testAnswers: Uint8Array;
  private recordNumber = 0;
  private readonly timeColumns: number[];
  /** Scratch space: the offsets of the fields of the record being replayed. */
  private readonly starts = new Int32Array(MAX_PLAIN_FIELDS);
  private readonly ends = new Int32Array(MAX_PLAIN_FIELDS);

  private read = 0;
  private skipped = 0;
  private malformed = 0;
  private mismatched = 0;
  private readonly matched: number[];
  private readonly sums: number[];
  private readonly problems = new Map<string, SessionProblem>();
  private readonly minutes = new Map<number, MinuteBucket>();
  private currentMinute = NaN;
  private current: MinuteBucket | undefined;
  private first = Infinity;
  private last = -Infinity;
  private readonly remaps = new Map<readonly string[], number[] | string>();
  private readonly logQueries: QueryPartials[];
  /** Per log query: the field count of the records it reads (its `parse` glob's). */
  private readonly logQueryFields: Int32Array;
  /** All the log queries' conditions, run once per record: answers[q] for query q. */
  private readonly logConditions: ConditionsEvaluator;
  private readonly logAnswers: Uint8Array;
  private readonly logAlarms: LogAlarmExecutions[];
  /** Per log alarm: why it stopped being simulated (a record came too late for its executions). */
  private readonly logAlarmsAbandoned: Array<string | undefined>;
  private readonly maxDisorder: number;
  /** On a byte range: how far its records may lie outside its boundaries' times (`rangeMargin`). */
  private readonly margin: number;
  /** Every record from now on must be at or after this second: the executions before it have run. */
  private sealedBefore = -Infinity;
  /** The newest record's minute when the executions were last run. */
  private advancedAt = -Infinity;
  /** A filter emitted a value with a fraction. */
  private fractional = false;

  constructor(private readonly plan: ReplayPlan) {
    this.filterCount = plan.filters.length;
    this.layouts = plan.patterns.map((p, i) => (p === undefined || plan.fieldCount === undefined
      ? undefined : p.fixedLayout(plan.fieldCount, plan.filters[i].metricValue)));
    const ids = new Map<string, number>();
    const testFields: number[] = [];
    const tests: InPlaceTest[] = [];
    this.filterTests = this.layouts.map(layout => Int32Array.from((layout?.keys ?? []).map((key, k) => {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        testFields.push(layout!.indexes[k]);
        tests.push(layout!.tests[k]);
      }
      return id;
    })));
    this.testFields = Int32Array.from(testFields);
    // Kept apart by kind, so that the hot loop calls one function per kind, not one closure per test.
    this.testKinds = Uint8Array.from(tests.map(t => (t.oneOf ? ONE_OF : t.ofNumber ? OF_NUMBER : OF_TEXT)));
    this.testOneOf = tests.map(t => t.oneOf ?? []);
    this.testOfNumber = tests.map(t => t.ofNumber ?? (() => false));
    this.testOfText = tests.map(t => t.ofText);
    this.testedOn = new Float64Array(ids.size).fill(-1);
    this.testAnswers = new Uint8Array(ids.size);
    // A record's time is its start: "In CloudWatch Logs, the timestamp field corresponds to the start time
    // that's captured in the flow log record" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html),
    // and metric filters' datapoints and Logs Insights' @timestamp are the event's timestamp.
    this.timeColumns = ['start', 'end'].map(name => plan.columns.indexOf(name)).filter(i => i >= 0);
    this.matched = plan.filters.map(() => 0);
    this.sums = plan.filters.map(() => 0);
    this.logQueries = (plan.logQueries ?? []).map(q => new QueryPartials(q.plan));
    this.logConditions = compileQueryConditions((plan.logQueries ?? []).map(q => {
      const columns = new Map(q.query.parsed.map((name, i) => [name, i]));
      return { conditions: q.query.filters, columnOf: (field: string) => columns.get(field)! };
    }));
    this.logAnswers = new Uint8Array(this.logQueries.length);
    this.logQueryFields = Int32Array.from((plan.logQueries ?? []).map(q => q.query.parsed.length));
    this.logAlarms = (plan.logAlarms ?? []).map(a => new LogAlarmExecutions(a.settings, plan.logQueries![a.query], this.logQueries[a.query]));
    this.logAlarmsAbandoned = this.logAlarms.map(() => undefined);
    this.maxDisorder = plan.maxDisorderSeconds ?? DEFAULT_MAX_DISORDER_SECONDS;
    this.margin = rangeMargin(this.maxDisorder);
    if (plan.range !== undefined) {
      for (const executions of this.logAlarms) executions.ownOnly(plan.range.low, plan.range.high, this.margin);
    }
  }

  /**
   * @param record the record's text
   * @param source where it comes from (a file path, `<stdin>`)
   * @param lineNumber its 1-based line number there
   * @param timestamp epoch milliseconds of its CloudWatch Logs event, when known
   * @param header the field names of the S3 header line above it, if any
   */
  public add(record: string, source: string, lineNumber: number, timestamp?: number, header?: readonly string[]): void {
    this.addAt(record, 0, record.length, source, lineNumber, timestamp, header);
  }

  /** Adds the record text[start, end) (a line of a chunk of the input, read in place); the rest as `add`. */
  public addAt(text: string, start: number, end: number, source: string, lineNumber: number, timestamp?: number, header?: readonly string[]): void {
    const c0 = text.charCodeAt(start);
    const cn = text.charCodeAt(end - 1);
    const plain = end > start && c0 > SPACE && cn > SPACE && c0 !== HASH && header === undefined;
    if (plain && this.addPlain(text, start, end, source, lineNumber, timestamp)) {
      return;
    }
    this.addGeneral(start === 0 && end === text.length ? text : text.slice(start, end), source, lineNumber, timestamp, header);
  }

  public finish(): SessionOutcome {
    const range = { first: this.first, last: this.last };
    const logAlarms: LogAlarmOutcome[] = this.logAlarms.map((executions, i) => {
      const abandoned = this.logAlarmsAbandoned[i];
      return abandoned !== undefined ? { notSimulated: abandoned } : { evaluation: executions.finish(range) };
    });
    return { ...this.counts(), logAlarms };
  }

  /** On a byte range (`ReplayPlan.range`): what the range found, its executions' results and the slots it kept. */
  public finishRange(): RangeOutcome {
    return {
      ...this.counts(),
      fractional: this.fractional || this.logQueries.some(q => q.fractional),
      slots: this.logQueries.map(q => q.slots),
      results: this.logAlarms.map(executions => executions.results),
    };
  }

  private counts(): Omit<SessionOutcome, 'logAlarms'> {
    return {
      recordsRead: this.read,
      recordsSkipped: this.skipped,
      recordsMalformed: this.malformed,
      recordsMismatched: this.mismatched,
      problems: [...this.problems.values()],
      recordsMatched: [...this.matched],
      sums: [...this.sums],
      minutes: this.minutes,
      first: this.first,
      last: this.last,
    };
  }

  /**
   * A record of single-space-separated plain fields: found by their offsets, tested in place,
   * never cut out. Returns false, having done nothing, for a record with a run of spaces or a
   * field starting with a quote or bracket (the general path splits those).
   */
  private addPlain(record: string, lineStart: number, lineEnd: number, source: string, lineNumber: number, timestamp: number | undefined): boolean {
    const starts = this.starts;
    const ends = this.ends;
    let count = 0;
    let begin = lineStart;
    for (;;) {
      const space = record.indexOf(' ', begin);
      const end = space === -1 || space >= lineEnd ? -1 : space;
      const c = record.charCodeAt(begin);
      if (end === begin || c === QUOTE || c === OPEN_BRACKET || count === MAX_PLAIN_FIELDS) {
        return false; // a run of spaces, a quoted field, or very many fields
      }
      starts[count] = begin;
      if (end === -1) {
        ends[count++] = lineEnd;
        break;
      }
      ends[count++] = end;
      begin = end + 1;
    }
    this.read++;
    if (this.plan.fieldCount !== undefined && count !== this.plan.fieldCount) {
      this.reportFieldCount(source, lineNumber, record.slice(lineStart, lineEnd).split(' '));
      return true;
    }
    let time: number | undefined;
    for (const column of this.timeColumns) {
      if (column < count) {
        time = epochSeconds(record, starts[column], ends[column]);
        if (time !== undefined) break;
      }
    }
    time = this.timeOrEventTime(time, timestamp, source, lineNumber);
    if (time === undefined) {
      return true;
    }
    if (this.logQueries.length > 0) {
      this.feedLogQueries(record, count, time, source, lineNumber);
    }
    if (this.plan.fieldCount === undefined) {
      const line = record.slice(lineStart, lineEnd);
      this.evaluateGeneral(line, line.split(' '), time);
      return true;
    }
    const bucket = this.bucket(time);
    const layouts = this.layouts;
    const recordNumber = ++this.recordNumber;
    const testedOn = this.testedOn;
    const answers = this.testAnswers;
    for (let f = 0; f < this.filterCount; f++) {
      const layout = layouts[f];
      if (layout === undefined) {
        continue;
      }
      const tests = this.filterTests[f];
      let matches = true;
      for (let k = 0; k < tests.length; k++) {
        const t = tests[k];
        if (testedOn[t] !== recordNumber) {
          const i = this.testFields[t];
          const kind = this.testKinds[t];
          testedOn[t] = recordNumber;
          answers[t] = (kind === ONE_OF ? oneOfAt(record, starts[i], ends[i], this.testOneOf[t])
            : kind === OF_NUMBER ? this.testOfNumber[t](numberAt(record, starts[i], ends[i]))
              : this.testOfText[t](record.slice(starts[i], ends[i]))) ? 1 : 0;
        }
        if (answers[t] === 0) {
          matches = false;
          break;
        }
      }
      if (matches) {
        const v = layout.valueIndex;
        const value = v === -1 ? layout.literalValue : v === -2 ? NaN : numberAt(record, starts[v], ends[v]);
        if (value === value) { // not NaN: a datapoint
          this.count(bucket, f, value);
        }
      }
    }
    return true;
  }

  /** Any record: trimmed, split as CloudWatch splits space-delimited events, remapped under a header. */
  private addGeneral(raw: string, source: string, lineNumber: number, timestamp: number | undefined, header: readonly string[] | undefined): void {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      this.skipped++;
      return;
    }
    this.read++;
    let fields = splitSpaceDelimited(line);
    let event = line;
    if (header !== undefined) {
      let remap = this.remaps.get(header);
      if (remap === undefined) {
        remap = this.remapFor(header);
        this.remaps.set(header, remap);
      }
      if (typeof remap === 'string') {
        this.mismatched++;
        const reason = remap;
        this.report(source, 'format-mismatch', lineNumber, () => reason);
        return;
      }
      if (remap.length > 0 && fields.length === header.length) {
        const original = fields;
        fields = remap.map(i => original[i]);
        event = fields.join(' ');
      }
    }
    if (this.plan.fieldCount !== undefined && fields.length !== this.plan.fieldCount) {
      this.reportFieldCount(source, lineNumber, fields);
      return;
    }
    let time: number | undefined;
    for (const column of this.timeColumns) {
      if (column < fields.length) {
        time = epochSeconds(fields[column], 0, fields[column].length);
        if (time !== undefined) break;
      }
    }
    time = this.timeOrEventTime(time, timestamp, source, lineNumber);
    if (time === undefined) {
      return;
    }
    if (this.logQueries.length > 0 && fields.length <= MAX_PLAIN_FIELDS) {
      // The fields laid out again, single-spaced, so that the log queries read them by offset as on the plain path.
      let text = '';
      for (let i = 0; i < fields.length; i++) {
        if (i > 0) text += ' ';
        this.starts[i] = text.length;
        text += fields[i];
        this.ends[i] = text.length;
      }
      this.feedLogQueries(text, fields.length, time, source, lineNumber);
    }
    this.evaluateGeneral(event, fields, time);
  }

  /**
   * Feeds a record, its fields at this.starts/this.ends, to each log query that parses records of its field
   * count; then runs the log alarms' executions that the newest record has left `maxDisorder` behind.
   */
  private feedLogQueries(text: string, count: number, time: number, source: string, lineNumber: number): void {
    // A byte range out of order cannot be merged exactly: it stops (the input is replayed on one thread).
    const range = this.plan.range;
    if (range !== undefined) {
      if (time < this.last - this.maxDisorder) throw new RangeDisorder('a record is more than maxDisorder older than one before it');
      if (time < range.low - this.margin || time > range.high + this.margin) {
        throw new RangeDisorder(`a record is more than ${this.margin / 60} minutes out of time order across the range's boundaries`);
      }
    }
    if (time < this.sealedBefore) {
      this.abandonLogAlarms(time, { source, lineNumber });
    }
    const answers = this.logAnswers;
    this.logConditions(text, this.starts, this.ends, answers);
    const queries = this.logQueries;
    for (let q = 0; q < queries.length; q++) {
      if (this.logQueryFields[q] !== count) continue;
      if (answers[q] === 1) queries[q].addMatching(text, this.starts, this.ends, time);
      else queries[q].addOther(time);
    }
    const minute = time - (time % 60);
    if (minute > this.advancedAt) {
      this.advancedAt = minute;
      this.runLogAlarms(Math.max(time, this.last) - this.maxDisorder, Math.min(time, this.first));
    }
  }

  /** Runs the executions whose windows end before `before`, and forgets the slots no execution still to run reads. */
  private runLogAlarms(before: number, first: number): void {
    if (before <= this.sealedBefore) return;
    this.sealedBefore = before;
    const needed = this.logQueries.map(() => Infinity);
    const kept = this.logQueries.map(() => -Infinity);
    this.logAlarms.forEach((executions, i) => {
      executions.runBefore(before, first);
      const q = this.plan.logAlarms![i].query;
      needed[q] = Math.min(needed[q], executions.nextSlot ?? -Infinity);
      kept[q] = Math.max(kept[q], executions.keptThrough);
    });
    this.logQueries.forEach((partials, q) => {
      if (needed[q] !== Infinity) partials.dropBefore(needed[q], kept[q]);
    });
  }

  /** A record older than executions already run: the log alarms whose windows it falls in cannot be simulated any more. */
  private abandonLogAlarms(time: number, place: RecordPlace): void {
    const behind = Math.round((Math.max(this.last, time) - time) / 60);
    this.logAlarms.forEach((executions, i) => {
      if (this.logAlarmsAbandoned[i] === undefined && time <= executions.lastWindowEnd) {
        this.logAlarmsAbandoned[i] = `line ${place.lineNumber} of ${place.source} is ${behind} minutes older than a record before it, `
          + `more than the ${this.maxDisorder / 60} minutes records may be out of time order (maxDisorder, --max-disorder): `
          + 'the executions whose window it falls in had already run; sort the records by time, or allow more disorder';
      }
    });
  }

  private evaluateGeneral(event: string, fields: string[], time: number): void {
    const bucket = this.bucket(time);
    const { filters, patterns } = this.plan;
    for (let f = 0; f < this.filterCount; f++) {
      const pattern = patterns[f];
      if (pattern !== undefined && pattern.matchesFields(fields)) {
        const value = pattern.metricValue(filters[f].metricValue, event);
        if (value !== undefined) {
          this.count(bucket, f, value);
        }
      }
    }
  }

  /** The bucket of the record's minute (records mostly come in time order: the last one is kept at hand). */
  private bucket(time: number): MinuteBucket {
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    const minute = time - (time % 60);
    let bucket = this.current;
    if (minute !== this.currentMinute || bucket === undefined) {
      bucket = this.minutes.get(minute);
      if (bucket === undefined) {
        const n = this.filterCount;
        bucket = {
          records: 0,
          count: new Float64Array(n),
          sum: new Float64Array(n),
          min: new Float64Array(n).fill(Infinity),
          max: new Float64Array(n).fill(-Infinity),
        };
        this.minutes.set(minute, bucket);
      }
      this.current = bucket;
      this.currentMinute = minute;
    }
    bucket.records++;
    return bucket;
  }

  private count(bucket: MinuteBucket, f: number, value: number): void {
    if (value !== Math.floor(value)) this.fractional = true;
    this.matched[f]++;
    this.sums[f] += value;
    bucket.count[f]++;
    bucket.sum[f] += value;
    if (value < bucket.min[f]) bucket.min[f] = value;
    if (value > bucket.max[f]) bucket.max[f] = value;
  }

  /**
   * For an S3 header line: where each of the format's fields is in the records under it
   * (empty when they are in the format's order), or why they cannot be replayed.
   */
  private remapFor(header: readonly string[]): number[] | string {
    const columns = this.plan.columns;
    const names = header.map(n => n.replace(/-/g, '_'));
    if (names.join(' ') === columns.join(' ')) {
      return [];
    }
    const missing = columns.filter(c => !names.includes(c));
    if (missing.length > 0) {
      return `the header line above names ${names.length} fields, without ${missing.join(', ')} of the template's format: `
        + 'these records come from a flow log of another format';
    }
    return columns.map(c => names.indexOf(c));
  }

  /** A record whose field count is not the format's: `malformed` when it is no flow-log record at all, else `field-count`. */
  private reportFieldCount(source: string, lineNumber: number, fields: readonly string[]): void {
    const notRecord = whyNotFlowLogRecord(fields);
    if (notRecord !== undefined) {
      this.malformed++;
      this.report(source, 'malformed', lineNumber, () => notRecord);
      return;
    }
    const count = fields.length;
    this.mismatched++;
    this.report(source, 'field-count', lineNumber, () =>
      `${count} fields where the template's format has ${this.plan.fieldCount} (${this.plan.columns.join(' ')}): a record of another format`);
  }

  /** The record's own time, else its event's (epoch milliseconds); with neither, a `no-timestamp` problem and undefined. */
  private timeOrEventTime(time: number | undefined, timestamp: number | undefined, source: string, lineNumber: number): number | undefined {
    if (time !== undefined) {
      return time;
    }
    if (timestamp !== undefined) {
      return Math.floor(timestamp / 1000);
    }
    this.malformed++;
    this.report(source, 'no-timestamp', lineNumber, () => 'no numeric end or start field, and no event timestamp');
    return undefined;
  }

  /** Counts a problem; the detail is kept from its first record (it is only built then). */
  private report(source: string, kind: SessionProblem['kind'], lineNumber: number, detail: () => string): void {
    const key = `${source}\u0000${kind}`;
    const problem = this.problems.get(key);
    if (problem) {
      problem.count++;
      if (problem.lineNumbers.length < LINE_NUMBERS_KEPT) problem.lineNumbers.push(lineNumber);
    } else {
      this.problems.set(key, { source, kind, count: 1, lineNumbers: [lineNumber], detail: detail() });
    }
  }
}

/** text[start, end) is one of the values. */
function oneOfAt(text: string, start: number, end: number, values: readonly string[]): boolean {
  for (let k = 0; k < values.length; k++) {
    if (sameAt(text, start, end, values[k])) {
      return true;
    }
  }
  return false;
}

/** The epoch seconds written in text[start, end) (digits only; milliseconds when over 1e11), else undefined. */
export function epochSeconds(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 16) {
    return undefined;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return undefined;
    }
    value = value * 10 + (c - 48);
  }
  return value > 1e11 ? Math.floor(value / 1000) : value; // some writers use milliseconds
}
