import { describeValue } from '../../../src/replay/private/describe-value';

test.each<[unknown, string]>([
  [undefined, 'undefined'],
  [null, 'null'],
  [42, 'number 42'],
  [true, 'boolean true'],
  ['abc', "string 'abc'"],
  ['x'.repeat(70), `string '${'x'.repeat(57)}...'`],
  [[1, 2], 'an array of 2'],
  [{}, 'an object'],
  [new Map(), 'an object (Map)'],
  [() => 1, 'a function'],
])('%p is described as %p', (value, description) => {
  expect(describeValue(value)).toBe(description);
});
