import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { knownInputBytes, progressLine } from '../../../src/replay/private/progress-line';

test('records, records per second, and with a known input size how far and an ETA', () => {
  expect(progressLine(1_200_000, 2000, 0, undefined)).toBe('1,200,000 records read, 600,000 records/s');
  // A quarter of 800 MB in 10 s: 30 s to go.
  expect(progressLine(2_000_000, 10_000, 200e6, 800e6)).toBe('2,000,000 records read, 200,000 records/s, 25 % of 800 MB, ETA 30 s');
  expect(progressLine(5_000_000, 60_000, 100e6, 2e9)).toBe('5,000,000 records read, 83,333 records/s, 5 % of 2.0 GB, ETA 19 min 0 s');
});

test('the input size is known for plain files and directories of them, not for gzip or stdin', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));
  fs.writeFileSync(path.join(dir, 'a.log'), 'x'.repeat(100));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'b.log'), 'y'.repeat(50));
  expect(knownInputBytes([path.join(dir, 'a.log')])).toBe(100);
  expect(knownInputBytes([dir])).toBe(150);
  fs.writeFileSync(path.join(dir, 'c.log.gz'), 'z');
  expect(knownInputBytes([dir])).toBeUndefined();
  expect(knownInputBytes(['-'])).toBeUndefined();
  expect(knownInputBytes([])).toBeUndefined();
  expect(knownInputBytes([path.join(dir, 'missing.log')])).toBeUndefined();
});
