import { groupKeyAt, groupKeyText } from '../../../src/replay/engine/group-key';

const key = (text: string) => groupKeyAt(` ${text} `, 1, text.length + 1);

test('canonical IPv4 addresses and small integers are numbers; everything else is its text', () => {
  expect(key('10.0.1.5')).toBe(((10 * 256 + 0) * 256 + 1) * 256 + 5);
  expect(key('255.255.255.255')).toBe(4294967295);
  expect(key('443')).toBe(4294967296 + 443);
  expect(key('0')).toBe(4294967296);
  for (const text of ['010.0.0.1', '10.0.0.01', '256.1.1.1', '1.2.3', '1.2.3.4.5', '022', '4294967296', '-', '', '2001:db8::1', 'eni-0a1b', '1.2.3.']) {
    expect(key(text)).toBe(text);
  }
});

test('different texts never share a key, and every key gives back its text', () => {
  const texts = ['10.0.1.5', '167772421', '443', '0.0.1.187', '4294967739', '022', '22', '0', '0.0.0.0', '-', '198.51.100.77'];
  const keys = texts.map(key);
  expect(new Set(keys).size).toBe(texts.length);
  expect(keys.map(groupKeyText)).toEqual(texts);
});
