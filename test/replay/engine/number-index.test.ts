import { NumberIndex } from '../../../src/replay/engine/number-index';

test('finds what it was given, adds what is new, and keeps both through growth', () => {
  const index = new NumberIndex();
  const keys = [0, 1, 443, 4294967296 + 22, 2 ** 52 + 1, 3325256704, 2 ** 53, 2 ** 53 + 2, -1, 0.5, 'eni-0a', '-'];
  keys.forEach((key, i) => expect(index.findOrAdd(key, i)).toBe(-1));
  for (let i = 0; i < 5000; i++) index.findOrAdd(1_000_000 + i * 7919, keys.length + i); // grows many times
  keys.forEach((key, i) => expect(index.findOrAdd(key, 99_999)).toBe(i));
  expect(index.findOrAdd(1_000_000 + 4999 * 7919, -5)).toBe(keys.length + 4999);
  expect(index.size).toBe(keys.length + 5000);
  const seen = new Map<number | string, number>();
  index.forEach((key, ordinal) => seen.set(key, ordinal));
  expect(seen.size).toBe(index.size);
  expect(seen.get(2 ** 52 + 1)).toBe(4);
  expect(seen.get('-')).toBe(11);
});
