import { SharedRecordTests } from '../../../src/replay/engine/shared-record-tests';

test('equal keys run once per record, whoever asks; other keys and the next record run again', () => {
  const shared = new SharedRecordTests();
  const runs: string[] = [];
  const test = (name: string, answer: boolean) => () => {
    runs.push(name);
    return answer;
  };
  const a1 = shared.share('a', test('a', true));
  const a2 = shared.share('a', test('a again', false));
  const b = shared.share('b', test('b', false));
  const starts = new Int32Array(1);
  shared.next();
  expect([a1('', starts, starts), a2('', starts, starts), b('', starts, starts), b('', starts, starts)]).toEqual([true, true, false, false]);
  expect(runs).toEqual(['a', 'b']);
  shared.next();
  expect(a2('', starts, starts)).toBe(false); // the first of the record to ask runs its own
  expect(runs).toEqual(['a', 'b', 'a again']);
});

test('more tests than the first table holds', () => {
  const shared = new SharedRecordTests();
  const tests = Array.from({ length: 40 }, (_, i) => shared.share(`t${i}`, () => i % 2 === 0));
  shared.next();
  const starts = new Int32Array(1);
  expect(tests.map(t => t('', starts, starts))).toEqual(Array.from({ length: 40 }, (_, i) => i % 2 === 0));
});
