import { GroupKey } from '../../../src/replay/engine/group-key';
import { GroupFunctions, GroupTable } from '../../../src/replay/engine/group-table';

const FUNCTIONS: GroupFunctions = [
  { fn: 'count_distinct', column: 6, name: 'ports' },
  { fn: 'sum', column: 9, name: 'bytes' },
  { fn: 'max', column: 9, name: 'biggest' },
];
const PORT = (n: number) => 4294967296 + n;

/** Rows of [srcaddr key, dstport key, port value, bytes] into a table grouped by (srcaddr, dstport). */
function fill(table: GroupTable, rows: Array<[GroupKey, GroupKey, GroupKey, number]>): void {
  for (const [src, port, value, bytes] of rows) {
    const g = table.obtain([src, port]);
    table.countRecord(g);
    table.addDistinct(g, 0, value);
    table.addValue(g, 1, bytes);
    table.addValue(g, 2, bytes);
  }
}

function contents(table: GroupTable) {
  return [...table.values()].map(g => ({
    group: g.values.join(', '), count: g.count, ports: g.valueOf(0, 'count_distinct'), bytes: g.valueOf(1, 'sum'), biggest: g.valueOf(2, 'max'),
  })).sort((a, b) => (a.group < b.group ? -1 : 1));
}

const ROWS: Array<[GroupKey, GroupKey, GroupKey, number]> = [
  [167772421, PORT(22), PORT(22), 100],
  [167772421, PORT(22), PORT(22), 50], // the same value again: one distinct
  [167772421, PORT(22), '-', NaN], // a text value and no bytes
  [167772421, PORT(443), PORT(443), 10],
  ['2001:db8::1', PORT(22), PORT(22), 7], // a text key
  [167772421, 'x', PORT(80), 1], // a second key that is no port: the JSON form
];

test('groups by their keys, with exact distinct values, sums and maxima, and their texts back', () => {
  const table = new GroupTable(2, FUNCTIONS);
  fill(table, ROWS);
  expect(contents(table)).toEqual([
    { group: '10.0.1.5, 22', count: 3, ports: 2, bytes: 150, biggest: 100 },
    { group: '10.0.1.5, 443', count: 1, ports: 1, bytes: 10, biggest: 10 },
    { group: '10.0.1.5, x', count: 1, ports: 1, bytes: 1, biggest: 1 },
    { group: '2001:db8::1, 22', count: 1, ports: 1, bytes: 7, biggest: 7 },
  ]);
});

test('two tables filled with the two halves of the rows merge into what one filled with all holds', () => {
  const many: Array<[GroupKey, GroupKey, GroupKey, number]> = [];
  for (let i = 0; i < 3000; i++) many.push([167772160 + (i % 37), PORT(i % 5), PORT(i % 101), i]);
  const rows = [...ROWS, ...many];
  const one = new GroupTable(2, FUNCTIONS);
  fill(one, rows);
  const left = new GroupTable(2, FUNCTIONS);
  const right = new GroupTable(2, FUNCTIONS, 1000, 1000);
  fill(left, rows.slice(0, 1234));
  fill(right, rows.slice(1234));
  left.mergeFrom(right);
  expect(contents(left)).toEqual(contents(one));
  expect(left.size).toBe(one.size);
});

test('a cleared table filled again holds what a new table holds: no group, value or text of before', () => {
  const fresh = new GroupTable(2, FUNCTIONS);
  fill(fresh, ROWS.slice(2));
  const reused = new GroupTable(2, FUNCTIONS);
  fill(reused, [...ROWS, ...ROWS.map(([s, p, v, b]): [GroupKey, GroupKey, GroupKey, number] => [s, p, v, b * 3])]);
  reused.clear();
  expect(reused.size).toBe(0);
  fill(reused, ROWS.slice(2));
  expect(contents(reused)).toEqual(contents(fresh));
  expect(reused.textOf(0)).toBe(fresh.textOf(0));
  expect(reused.valueAt(0, 1, 'sum')).toBe(fresh.valueAt(0, 1, 'sum'));
});
