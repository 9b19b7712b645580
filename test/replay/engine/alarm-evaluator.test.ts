import {
  AlarmSettings, AlarmState, ComparisonOperator, evaluateAlarm, isBreaching, TreatMissingData,
} from '../../../src/replay/engine/alarm-evaluator';

const THRESHOLD = 5;
const GOOD = 0;
const BAD = 10;

/** The documentation's notation, oldest first: 0 is non-breaching, X is breaching, - is missing. */
function series(notation: string): Array<number | undefined> {
  return notation.trim().split(/\s+/).map((token) => {
    switch (token) {
      case '0': return GOOD;
      case 'X': return BAD;
      case '-': return undefined;
      default: throw new Error(`unknown datapoint ${token}`);
    }
  });
}

function settings(overrides: Partial<AlarmSettings> = {}): AlarmSettings {
  return { threshold: THRESHOLD, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 3, ...overrides };
}

const TREATMENTS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const I = 'INSUFFICIENT_DATA';

describe('isBreaching', () => {
  test.each<[ComparisonOperator, boolean, boolean, boolean]>([
    //                                 at     above  below
    ['GreaterThanThreshold', false, true, false],
    ['GreaterThanOrEqualToThreshold', true, true, false],
    ['LessThanThreshold', false, false, true],
    ['LessThanOrEqualToThreshold', true, false, true],
  ])('%s: at the threshold %p, above %p, below %p', (operator, at, above, below) => {
    expect(isBreaching(operator, 2.5, 2.5)).toBe(at);
    expect(isBreaching(operator, 2.6, 2.5)).toBe(above);
    expect(isBreaching(operator, 2.4, 2.5)).toBe(below);
    expect(isBreaching(operator, -1, -1)).toBe(at);
    expect(isBreaching(operator, Infinity, -1)).toBe(above);
  });

  test.each<[ComparisonOperator, AlarmState[]]>([
    ['GreaterThanThreshold', ['OK', 'ALARM', 'OK']],
    ['GreaterThanOrEqualToThreshold', ['ALARM', 'ALARM', 'OK']],
    ['LessThanThreshold', ['OK', 'OK', 'ALARM']],
    ['LessThanOrEqualToThreshold', ['ALARM', 'OK', 'ALARM']],
  ])('a 1 of 1 alarm with %s judges values at, above and below the threshold', (comparisonOperator, states) => {
    const result = evaluateAlarm(settings({ comparisonOperator, evaluationPeriods: 1 }), [5, 6, 4]);
    expect(result.states).toEqual(states);
  });

  test('throws on an unknown operator', () => {
    expect(() => isBreaching('GreaterThan' as ComparisonOperator, 1, 0))
      .toThrow('`comparisonOperator` must be one of GreaterThanThreshold, GreaterThanOrEqualToThreshold, '
        + 'LessThanThreshold, LessThanOrEqualToThreshold, got "GreaterThan"');
  });
});

describe('M out of N', () => {
  test('3 of 3 goes to ALARM on the third breach in a row and back to OK on the next good datapoint, as in the docs figure', () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html: threshold 3, periods 3 to 5
    // breach, period 6 dips below, period 9 breaches alone and the alarm stays OK.
    const result = evaluateAlarm(settings({ threshold: 3 }), [1, 2, 4, 5, 4, 2, 1, 2, 4, 2]);
    expect(result.states).toEqual(['OK', 'OK', 'OK', 'OK', 'ALARM', 'OK', 'OK', 'OK', 'OK', 'OK']);
    expect(result.changes).toEqual([
      { periodIndex: 0, from: I, to: 'OK' },
      { periodIndex: 4, from: 'OK', to: 'ALARM' },
      { periodIndex: 5, from: 'ALARM', to: 'OK' },
    ]);
  });

  test('2 of 3 alarms on two breaches in the last three datapoints, consecutive or not', () => {
    const result = evaluateAlarm(settings({ datapointsToAlarm: 2 }), series('0 X 0 X 0 0 0 X X 0 0 0'));
    expect(result.states).toEqual(['OK', 'OK', 'OK', 'ALARM', 'OK', 'OK', 'OK', 'OK', 'ALARM', 'ALARM', 'OK', 'OK']);
    expect(result.changes).toEqual([
      { periodIndex: 0, from: I, to: 'OK' },
      { periodIndex: 3, from: 'OK', to: 'ALARM' },
      { periodIndex: 4, from: 'ALARM', to: 'OK' },
      { periodIndex: 8, from: 'OK', to: 'ALARM' },
      { periodIndex: 10, from: 'ALARM', to: 'OK' },
    ]);
  });

  test('1 of 1 follows every datapoint', () => {
    const result = evaluateAlarm(settings({ evaluationPeriods: 1 }), series('0 X X 0 X'));
    expect(result.states).toEqual(['OK', 'ALARM', 'ALARM', 'OK', 'ALARM']);
    expect(result.changes.map((c) => c.periodIndex)).toEqual([0, 1, 3, 4]);
  });

  test('datapointsToAlarm defaults to evaluationPeriods', () => {
    const values = series('X X 0 X X 0 X X X 0');
    expect(evaluateAlarm(settings(), values)).toEqual(evaluateAlarm(settings({ datapointsToAlarm: 3 }), values));
    expect(evaluateAlarm(settings(), values).states.slice(-2)).toEqual(['ALARM', 'OK']);
  });

  test('starts from initialState and reports only real transitions', () => {
    expect(evaluateAlarm(settings({ evaluationPeriods: 1 }), [GOOD, GOOD], 'ALARM').changes)
      .toEqual([{ periodIndex: 0, from: 'ALARM', to: 'OK' }]);
    expect(evaluateAlarm(settings({ evaluationPeriods: 1 }), [GOOD, GOOD], 'OK')).toEqual({ states: ['OK', 'OK'], changes: [] });
  });

  test('evaluates the N most recent real datapoints, reaching back past gaps inside the evaluation range', () => {
    // Only 2 of the last 3 periods have data, but the range holds 3 real datapoints: X X X.
    expect(evaluateAlarm(settings({ treatMissingData: 'notBreaching' }), series('0 X X - X')).states.at(-1)).toBe('ALARM');
    // With the range cut to the last 3 periods, notBreaching fills the gap with a good datapoint.
    expect(evaluateAlarm(settings({ treatMissingData: 'notBreaching', evaluationRange: 3 }), series('0 X X - X')).states.at(-1)).toBe('OK');
  });
});

describe('treatMissingData on gaps', () => {
  test.each<[TreatMissingData, AlarmState[]]>([
    ['missing', [I, I, 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', I, I]],
    ['ignore', [I, I, 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['breaching', ['ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['notBreaching', ['OK', 'OK', 'ALARM', 'ALARM', 'ALARM', 'OK', 'OK', 'OK', 'OK']],
  ])('3 of 3 with %s: three breaches, then the metric stops', (treatMissingData, states) => {
    expect(evaluateAlarm(settings({ treatMissingData }), series('X X X - - - - - -')).states).toEqual(states);
  });

  test.each<[TreatMissingData, AlarmState]>([
    ['missing', I],
    ['ignore', 'OK'],
    ['breaching', 'ALARM'],
    ['notBreaching', 'OK'],
  ])('3 of 3 with %s: good datapoints, then the metric stops; once the last one leaves the range the state is %s', (treatMissingData, last) => {
    const result = evaluateAlarm(settings({ treatMissingData }), series('0 0 0 - - - - -'));
    expect(result.states).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', last]);
  });

  test('breaching keeps a lone good datapoint OK only while it is in the evaluation range (docs, row 2 of the first table)', () => {
    // "The next time this alarm is evaluated, if the data is still missing it will go to ALARM"
    const result = evaluateAlarm(settings({ treatMissingData: 'breaching' }), series('0 - - - - -'));
    expect(result.states.slice(-2)).toEqual(['OK', 'ALARM']);
  });

  test('ignore keeps ALARM through a gap and still goes to OK on a good datapoint', () => {
    const result = evaluateAlarm(settings({ treatMissingData: 'ignore' }), series('X X X - - - - 0'));
    expect(result.states).toEqual([I, I, 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'OK']);
  });

  test('missing and ignore alarm on enough real breaches even when the rest of the range is missing', () => {
    for (const treatMissingData of ['missing', 'ignore'] as const) {
      expect(evaluateAlarm(settings({ treatMissingData, datapointsToAlarm: 2 }), series('- - X - X')).states.at(-1)).toBe('ALARM');
    }
  });

  test('a 1 of 1 alarm keeps judging its last datapoint until it leaves the evaluation range', () => {
    // "CloudWatch alarms might repeatedly re-evaluate the last set of data points for a period of time after the metric has stopped flowing"
    expect(evaluateAlarm(settings({ evaluationPeriods: 1 }), series('X - - - -')).states).toEqual(['ALARM', 'ALARM', 'ALARM', I, I]);
    expect(evaluateAlarm(settings({ evaluationPeriods: 1, evaluationRange: 1 }), series('X - - - -')).states).toEqual(['ALARM', I, I, I, I]);
  });

  test('a longer evaluationRange reaches further back for real datapoints', () => {
    expect(evaluateAlarm(settings({ evaluationPeriods: 1, evaluationRange: 6 }), series('X - - - - -')).states.at(-1)).toBe('ALARM');
    expect(evaluateAlarm(settings({ evaluationPeriods: 1, evaluationRange: 5 }), series('X - - - - -')).states.at(-1)).toBe(I);
  });
});

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
// "How alarm state is evaluated when data is missing": Evaluation Periods 3, evaluation range 5,
// most recent datapoint on the right. Transcribed verbatim.
const RETAIN = 'Retain current state';
type Cell = AlarmState | typeof RETAIN;
type Row = [datapoints: string, filled: number, missing: Cell, ignore: Cell, breaching: Cell, notBreaching: Cell];

const THREE_OUT_OF_THREE: Row[] = [
  // Data points | # of data points that must be filled | MISSING | IGNORE | BREACHING | NOT BREACHING
  ['0 - X - X', 0, 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 2, 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 3, 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ['0 X X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 2, 'ALARM', RETAIN, 'ALARM', 'OK'],
];

const TWO_OUT_OF_THREE: Row[] = [
  // Data points | # of missing data points | MISSING | IGNORE | BREACHING | NOT BREACHING
  ['0 - X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 1, 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 2, 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 2, 'ALARM', RETAIN, 'ALARM', 'OK'],
];

function cases(rows: Row[]): Array<[string, TreatMissingData, Cell, number]> {
  return rows.flatMap(([datapoints, filled, ...cells]) =>
    TREATMENTS.map((treatment, column): [string, TreatMissingData, Cell, number] => [datapoints, treatment, cells[column], filled]));
}

function expectCell(datapoints: string, treatMissingData: TreatMissingData, datapointsToAlarm: number, cell: Cell,
  from: AlarmState[] = STATES): void {
  for (const initialState of from) {
    const result = evaluateAlarm(settings({ treatMissingData, datapointsToAlarm }), series(datapoints), initialState);
    if (cell === RETAIN) {
      expect(result.states.at(-1)).toBe(initialState);
      expect(result.changes).toEqual([]);
    } else {
      expect(result.states.at(-1)).toBe(cell);
    }
  }
}

describe('the docs example table, 3 out of 3', () => {
  test.each(cases(THREE_OUT_OF_THREE))('%s with %s: %s', (datapoints, treatment, cell, filled) => {
    expect(Math.max(0, 3 - series(datapoints).filter((v) => v !== undefined).length)).toBe(filled);
    expectCell(datapoints, treatment, 3, cell);
  });
});

describe('the docs example table, 2 out of 3', () => {
  test.each(cases(TWO_OUT_OF_THREE))('%s with %s: %s', (datapoints, treatment, cell, filled) => {
    expect(Math.max(0, 3 - series(datapoints).filter((v) => v !== undefined).length)).toBe(filled);
    expectCell(datapoints, treatment, 2, cell);
  });
});

// Rows of an earlier revision of the same page that the current page dropped:
// https://github.com/awsdocs/amazon-cloudwatch-user-guide/blob/05fd32f63861ca6646c8aa5c94334fd6e0dfdbf5/doc_source/AlarmThatSendsEmail.md
// They describe a new alarm, so they are checked from INSUFFICIENT_DATA.
describe('rows of an earlier revision of the docs, for a new alarm', () => {
  test.each<[string, number, Cell, Cell, Cell, Cell]>([
    ['- - - - X', 3, 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ['X - - - -', 3, 'ALARM', RETAIN, 'ALARM', 'OK'],
    ['- - - - X', 2, 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ])('%s, %p out of 3', (datapoints, datapointsToAlarm, ...cells) => {
    TREATMENTS.forEach((treatment, column) => expectCell(datapoints, treatment, datapointsToAlarm, cells[column], [I]));
  });

  test('missing keeps the current state while lone breaches are too recent for the premature alarm', () => {
    // The current page only says the alarm "does not go immediately into ALARM state" on `- - - - X` and `- - - X -`.
    expect(evaluateAlarm(settings(), series('- - - X X')).states).toEqual([I, I, I, I, I]);
    // OK on a good datapoint, then the range empties and refills with breaches: OK until three of them.
    expect(evaluateAlarm(settings(), series('0 - - - - X X X')).states).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'ALARM']);
    // ALARM, then a gap and lone breaches: ALARM throughout.
    expect(evaluateAlarm(settings(), series('X X X - - - - X X')).states)
      .toEqual([I, I, 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM', 'ALARM']);
  });
});

describe('an all-missing series', () => {
  test.each<[TreatMissingData, AlarmState, AlarmState]>([
    ['missing', 'OK', I],
    ['missing', 'ALARM', I],
    ['ignore', 'OK', 'OK'],
    ['ignore', 'ALARM', 'ALARM'],
    ['ignore', I, I],
    ['breaching', I, 'ALARM'],
    ['notBreaching', I, 'OK'],
  ])('with %s goes from %s to %s at the first period', (treatMissingData, initialState, to) => {
    const result = evaluateAlarm(settings({ treatMissingData }), Array(6).fill(undefined), initialState);
    expect(result.states).toEqual(Array(6).fill(to));
    expect(result.changes).toEqual(initialState === to ? [] : [{ periodIndex: 0, from: initialState, to }]);
  });

  test('defaults to missing and INSUFFICIENT_DATA, so nothing changes', () => {
    expect(evaluateAlarm(settings(), [undefined, undefined])).toEqual({ states: [I, I], changes: [] });
  });

  test('an empty series has no states and no changes', () => {
    expect(evaluateAlarm(settings(), [])).toEqual({ states: [], changes: [] });
  });
});

describe('validation', () => {
  test.each<[Partial<AlarmSettings>, string]>([
    [{ evaluationPeriods: 0 }, '`evaluationPeriods` must be a whole number of 1 or more, got 0'],
    [{ evaluationPeriods: 1.5 }, '`evaluationPeriods` must be a whole number of 1 or more, got 1.5'],
    [{ evaluationPeriods: NaN }, '`evaluationPeriods` must be a whole number of 1 or more, got NaN'],
    [{ datapointsToAlarm: 0 }, '`datapointsToAlarm` must be a whole number from 1 to evaluationPeriods (3), got 0'],
    [{ datapointsToAlarm: 4 }, '`datapointsToAlarm` must be a whole number from 1 to evaluationPeriods (3), got 4'],
    [{ datapointsToAlarm: 2.5 }, '`datapointsToAlarm` must be a whole number from 1 to evaluationPeriods (3), got 2.5'],
    [{ threshold: NaN }, '`threshold` must be a finite number, got NaN'],
    [{ threshold: Infinity }, '`threshold` must be a finite number, got Infinity'],
    [{ threshold: '5' as unknown as number }, '`threshold` must be a finite number, got 5'],
    [{ comparisonOperator: 'GreaterThan' as ComparisonOperator }, '`comparisonOperator` must be one of GreaterThanThreshold, '
      + 'GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold, got "GreaterThan"'],
    [{ treatMissingData: 'zero' as TreatMissingData }, '`treatMissingData` must be one of breaching, notBreaching, ignore, missing, got "zero"'],
    [{ evaluationRange: 2 }, '`evaluationRange` must be a whole number no smaller than evaluationPeriods (3), got 2'],
    [{ evaluationRange: 4.5 }, '`evaluationRange` must be a whole number no smaller than evaluationPeriods (3), got 4.5'],
  ])('rejects %p', (overrides, message) => {
    expect(() => evaluateAlarm(settings(overrides), [GOOD])).toThrow(message);
  });

  test('rejects an unknown initial state', () => {
    expect(() => evaluateAlarm(settings(), [], 'PENDING' as AlarmState))
      .toThrow('`initialState` must be one of OK, ALARM, INSUFFICIENT_DATA, got "PENDING"');
  });

  test.each([NaN, null, '7'])('rejects a %p value, naming its period', (bad) => {
    expect(() => evaluateAlarm(settings(), [GOOD, bad as number]))
      .toThrow(`\`values[1]\` must be a number, or undefined for a period without a datapoint, got ${String(bad)}`);
  });
});

/** Every rule restated per period over an explicit window, O(length x range): the reference for the sliding window. */
function reference(s: AlarmSettings, values: Array<number | undefined>, initialState: AlarmState): AlarmState[] {
  const n = s.evaluationPeriods;
  const m = s.datapointsToAlarm ?? n;
  const range = s.evaluationRange ?? n + 2;
  const treatment = s.treatMissingData ?? 'missing';
  const out: AlarmState[] = [];
  let state = initialState;
  for (let i = 0; i < values.length; i++) {
    // Real datapoints of the range, newest first, with their age (1 = this period).
    const real: Array<{ age: number; breach: boolean }> = [];
    for (let age = 1; age <= range && i - age + 1 >= 0; age++) {
      const v = values[i - age + 1];
      if (v !== undefined) real.push({ age, breach: isBreaching(s.comparisonOperator, v, s.threshold) });
    }
    const b = real.filter((p) => p.breach).length;
    if (real.length >= n) {
      state = real.slice(0, n).filter((p) => p.breach).length >= m ? 'ALARM' : 'OK';
    } else if (treatment === 'breaching') {
      state = b + n - real.length >= m ? 'ALARM' : 'OK';
    } else if (treatment === 'notBreaching') {
      state = b >= m ? 'ALARM' : 'OK';
    } else if (real.length === 0) {
      state = treatment === 'missing' ? I : state;
    } else if (b >= m) {
      state = 'ALARM';
    } else if (real.some((p) => !p.breach)) {
      state = 'OK';
    } else if (real[real.length - 1].age >= m && treatment === 'missing') {
      state = 'ALARM';
    }
    out.push(state);
  }
  return out;
}

/** A deterministic Park-Miller generator in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

describe('sliding window', () => {
  test('matches a per-period re-evaluation of the whole window on random sparse series', () => {
    const next = random(42);
    for (let trial = 0; trial < 300; trial++) {
      const evaluationPeriods = 1 + Math.floor(next() * 6);
      const s = settings({
        evaluationPeriods,
        datapointsToAlarm: 1 + Math.floor(next() * evaluationPeriods),
        evaluationRange: evaluationPeriods + Math.floor(next() * 4),
        treatMissingData: TREATMENTS[Math.floor(next() * 4)],
      });
      const density = next();
      const values = Array.from({ length: 60 }, () => (next() < density ? Math.floor(next() * 11) : undefined));
      const initialState = STATES[Math.floor(next() * 3)];
      expect(evaluateAlarm(s, values, initialState).states).toEqual(reference(s, values, initialState));
    }
  });

  // Speed is measured by benchmarks, never asserted in tests: this only shows a long series
  // with a wide window completes (a window rescanned per period would take billions of steps).
  test('evaluates 500,000 periods with a 5,000-period window', () => {
    const length = 500_000;
    const values = Array.from({ length }, (_, i) => (i % 7 === 0 ? undefined : (i % 20_000) / 1_000));
    const result = evaluateAlarm(settings({ evaluationPeriods: 5_000, datapointsToAlarm: 2_000, threshold: 15 }), values);
    expect(result.states).toHaveLength(length);
    expect(result.changes.length).toBeGreaterThan(1);
  });
});
