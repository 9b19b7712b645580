import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { ReadRecord, readRecords, ReadSummary } from '../../../src/replay/engine/record-reader';
import { readSharedFlowLogs } from '../../shared-flowlogs';

const SHARED_FLOWLOGS = path.join(__dirname, '..', '..', '..', '..', 'shared', 'flowlogs');

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const HEADER_FIELDS = HEADER.split(' ');
const ACCEPT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const REJECT = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
const SKIPDATA = '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA';

// Line 1 comment, 2 record, 3 blank, 4 record, 5 blank (spaces), 6 indented comment, 7 and 8 records.
const PLAIN = ['# captured 2024-05-01', ACCEPT, '', REJECT, '   ', '  # NODATA next', NODATA, SKIPDATA].join('\n') + '\n';
const PLAIN_RECORDS = [
  { lineNumber: 2, message: ACCEPT },
  { lineNumber: 4, message: REJECT },
  { lineNumber: 7, message: NODATA },
  { lineNumber: 8, message: SKIPDATA },
];

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'record-reader-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes a file under the temp dir (creating its folders) and returns its path. */
function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** The records read, and the summary without its line counts (the byte-range tests check those). */
async function read(paths: string[], stdin?: NodeJS.ReadableStream): Promise<{ records: ReadRecord[]; summary: Omit<ReadSummary, 'lines' | 'headerLines'> }> {
  const records: ReadRecord[] = [];
  const { lines, headerLines, ...summary } = await readRecords(paths, r => records.push(r), stdin ? { stdin } : {});
  return { records, summary };
}

function eventsExport(messages: string[]): string {
  return JSON.stringify({
    events: messages.map((message, i) => ({
      logStreamName: 'eni-1235b8ca123456789-all', timestamp: 1418530070000 + i, message, ingestionTime: 1418530080000, eventId: `${i}`,
    })),
    searchedLogStreams: [],
  }, undefined, 2);
}

function numberedRecords(count: number): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    lines.push(`2 123456789010 eni-${(i * 7919).toString(16)} 10.0.${i % 256}.${(i * 31) % 256} 172.31.16.21 ${1024 + i % 60000} 443 6 ${i % 97} ${i * 13} ${1418530010 + i} ${1418530070 + i} ${i % 3 === 0 ? 'REJECT' : 'ACCEPT'} OK`);
  }
  return lines;
}

describe('plain text', () => {
  test('one record per line, comments and blank lines skipped, exact line numbers', async () => {
    const file = write('plain.log', PLAIN);
    const { records, summary } = await read([file]);
    expect(records).toEqual(PLAIN_RECORDS.map(r => ({ source: file, ...r })));
    expect(records[0]).not.toHaveProperty('timestamp');
    expect(records[0]).not.toHaveProperty('fieldNames');
    expect(summary).toEqual({ sources: 1, records: 4, problems: [] });
  });

  test('CRLF line endings, a byte-order mark and a last line without a line break', async () => {
    const file = write('crlf.txt', `\uFEFF${ACCEPT}\r\n\r\n${REJECT}`);
    const { records, summary } = await read([file]);
    expect(records.map(r => [r.lineNumber, r.message])).toEqual([[1, ACCEPT], [3, REJECT]]);
    expect(summary.problems).toEqual([]);
  });

  test('a lone CR ends a line too, and a CRLF split between two chunks is one line break', async () => {
    const { records, summary } = await read([], Readable.from([Buffer.from(`${ACCEPT}\r`), Buffer.from(`\n${REJECT}\r${NODATA}\r\n\r`), Buffer.from(`\n${ACCEPT}`)]));
    expect(records.map(r => [r.lineNumber, r.message])).toEqual([[1, ACCEPT], [2, REJECT], [3, NODATA], [5, ACCEPT]]);
    expect(summary.problems).toEqual([]);
  });

  test('a line across three chunks, and chunks cut at every byte of a CRLF file, read as whole lines', async () => {
    const third = Math.floor(ACCEPT.length / 3);
    const { records } = await read([], Readable.from([ACCEPT.slice(0, third), ACCEPT.slice(third, 2 * third), `${ACCEPT.slice(2 * third)}\n${REJECT}`].map(t => Buffer.from(t))));
    expect(records.map(r => r.message)).toEqual([ACCEPT, REJECT]);
    const file = Buffer.from(`${ACCEPT}\r\n${REJECT}\r${NODATA}\n\n${ACCEPT}\r\n`);
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < file.length; at += size) chunks.push(file.subarray(at, at + size));
      const { records: cut } = await read([], Readable.from(chunks));
      expect(cut.map(r => [r.lineNumber, r.message])).toEqual([[1, ACCEPT], [2, REJECT], [3, NODATA], [5, ACCEPT]]);
    }
  });

  test('a multi-byte character split between two chunks is decoded whole', async () => {
    const text = Buffer.from(`# café\n${ACCEPT}\n`);
    const cut = text.indexOf(0xa9); // inside the two bytes of é
    const { records } = await read([], Readable.from([text.subarray(0, cut), text.subarray(cut)]));
    expect(records.map(r => [r.lineNumber, r.message])).toEqual([[2, ACCEPT]]);
    const withAccent = Buffer.from(`${ACCEPT} é\n`);
    const split = withAccent.length - 2;
    const { records: accented } = await read([], Readable.from([withAccent.subarray(0, split), withAccent.subarray(split)]));
    expect(accented.map(r => r.message)).toEqual([`${ACCEPT} é`]);
  });

  test('records are delivered as written (a double space is kept)', async () => {
    const doubled = ACCEPT.replace(' 22 ', '  22 ');
    const file = write('doubled.log', `${doubled}\n`);
    const { records } = await read([file]);
    expect(records.map(r => r.message)).toEqual([doubled]);
  });

  test('a line of a CloudWatch Logs export to S3 has its ISO-8601 timestamp split off', async () => {
    const file = write('cwl-export-000000.txt', `2014-12-14T04:07:50.000Z ${ACCEPT}\n2014-12-14T04:07:51Z ${REJECT}\n`);
    const { records } = await read([file]);
    expect(records).toEqual([
      { source: file, lineNumber: 1, message: ACCEPT, timestamp: Date.UTC(2014, 11, 14, 4, 7, 50) },
      { source: file, lineNumber: 2, message: REJECT, timestamp: Date.UTC(2014, 11, 14, 4, 7, 51) },
    ]);
  });
});

describe('gzip', () => {
  test('a .gz file reads like its text', async () => {
    const file = write('plain.log.gz', zlib.gzipSync(PLAIN));
    const { records, summary } = await read([file]);
    expect(records).toEqual(PLAIN_RECORDS.map(r => ({ source: file, ...r })));
    expect(summary).toEqual({ sources: 1, records: 4, problems: [] });
  });

  test('is told by its magic bytes, not its name (and a text file named .gz is text)', async () => {
    const gzipNamedLog = write('gzip-named.log', zlib.gzipSync(PLAIN));
    const textNamedGz = write('text-named.gz', PLAIN);
    const { records, summary } = await read([gzipNamedLog, textNamedGz]);
    expect(records.map(r => [path.basename(r.source), r.lineNumber])).toEqual([
      ['gzip-named.log', 2], ['gzip-named.log', 4], ['gzip-named.log', 7], ['gzip-named.log', 8],
      ['text-named.gz', 2], ['text-named.gz', 4], ['text-named.gz', 7], ['text-named.gz', 8],
    ]);
    expect(summary).toEqual({ sources: 2, records: 8, problems: [] });
  });

  test('concatenated gzip members read as one file', async () => {
    const file = write('members.gz', Buffer.concat([zlib.gzipSync(`${ACCEPT}\n`), zlib.gzipSync(`${REJECT}\n`)]));
    const { records } = await read([file]);
    expect(records.map(r => [r.lineNumber, r.message])).toEqual([[1, ACCEPT], [2, REJECT]]);
  });

  test('a truncated gzip: a truncated-gzip problem at the line reached, the records before it delivered, reading goes on', async () => {
    const lines = numberedRecords(5000);
    const whole = zlib.gzipSync(lines.join('\n') + '\n');
    const cut = write('truncated.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const after = write('after-truncated.log', `${ACCEPT}\n`);

    const { records, summary } = await read([cut, after]);

    const fromCut = records.filter(r => r.source === cut);
    expect(fromCut.length).toBeGreaterThan(1000);
    expect(fromCut.length).toBeLessThan(5000);
    fromCut.forEach((r, i) => {
      expect(r.lineNumber).toBe(i + 1);
      expect(r.message).toBe(lines[i]);
    });
    expect(summary.problems).toEqual([{
      source: cut,
      lineNumber: fromCut.length + 1,
      kind: 'truncated-gzip',
      detail: expect.stringContaining(`at line ${fromCut.length + 1}`),
    }]);
    expect(summary.problems[0].detail).toMatch(/unexpected end of file/);
    expect(records[records.length - 1]).toEqual({ source: after, lineNumber: 1, message: ACCEPT });
    expect(summary.sources).toBe(2);
    expect(summary.records).toBe(fromCut.length + 1);
  });

  test('a small truncated gzip (cut within the first bytes read) still delivers the lines before the cut', async () => {
    const whole = zlib.gzipSync([ACCEPT, REJECT, NODATA].join('\n') + '\n');
    const file = write('small-truncated.gz', whole.subarray(0, whole.length - 15));
    const { records, summary } = await read([file]);
    expect(records.length).toBeGreaterThan(0);
    expect(records.map(r => r.message)).toEqual([ACCEPT, REJECT, NODATA].slice(0, records.length));
    expect(summary.problems).toEqual([{ source: file, lineNumber: records.length + 1, kind: 'truncated-gzip', detail: expect.any(String) }]);
  });

  test('a gzip missing only its trailer delivers every line, then reports the truncation', async () => {
    const whole = zlib.gzipSync(`${ACCEPT}\n${REJECT}\n`);
    const file = write('no-trailer.gz', whole.subarray(0, whole.length - 4));
    const { records, summary } = await read([file]);
    expect(records.map(r => r.lineNumber)).toEqual([1, 2]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 3, kind: 'truncated-gzip', detail: expect.any(String) }]);
  });

  test('a gzip cut inside its header is truncated at line 1', async () => {
    const file = write('cut-header.gz', zlib.gzipSync(PLAIN).subarray(0, 5));
    const { records, summary } = await read([file]);
    expect(records).toEqual([]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 1, kind: 'truncated-gzip', detail: expect.any(String) }]);
  });

  test('corrupt gzip data is unreadable, not truncated', async () => {
    const good = zlib.gzipSync(PLAIN);
    const corrupt = Buffer.concat([good.subarray(0, 10), Buffer.alloc(64, 0xff)]);
    const file = write('corrupt.gz', corrupt);
    const { summary } = await read([file]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 1, kind: 'unreadable', detail: expect.stringMatching(/^corrupt gzip data/) }]);
  });

  test('streams a 200,000-line gzip', async () => {
    const file = path.join(tmp, 'big.log.gz');
    const gzip = zlib.createGzip();
    const done = new Promise<void>((resolve, reject) => {
      gzip.pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject);
    });
    gzip.write(`${HEADER}\n`);
    const batch = numberedRecords(1000).join('\n') + '\n';
    for (let i = 0; i < 200; i++) {
      gzip.write(batch);
    }
    gzip.end();
    await done;

    let count = 0;
    let last: ReadRecord | undefined;
    const summary = await readRecords([file], r => {
      count++;
      last = r;
    });
    expect(summary).toEqual({ sources: 1, records: 200_000, problems: [], lines: 200_001, headerLines: 1 });
    expect(count).toBe(200_000);
    expect(last?.lineNumber).toBe(200_001);
    expect(last?.fieldNames).toEqual(HEADER_FIELDS);
  }, 60_000);
});

describe('S3-delivered files', () => {
  test('the header line is not a record; its field names go with every record', async () => {
    const file = write('s3/123456789010_vpcflowlogs_us-east-1_fl-0123_20240501T1200Z_abcd1234.log.gz',
      zlib.gzipSync([HEADER, ACCEPT, NODATA].join('\n') + '\n'));
    const { records, summary } = await read([file]);
    expect(records).toEqual([
      { source: file, lineNumber: 2, message: ACCEPT, fieldNames: HEADER_FIELDS },
      { source: file, lineNumber: 3, message: NODATA, fieldNames: HEADER_FIELDS },
    ]);
    expect(records[0].fieldNames).toBe(records[1].fieldNames);
    expect(summary).toEqual({ sources: 1, records: 2, problems: [] });
  });

  test('a custom-format header, and a second header (concatenated files) takes over', async () => {
    const custom = 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr';
    const natRecord = '- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5';
    const file = write('concatenated.log', [custom, natRecord, HEADER, ACCEPT].join('\n'));
    const { records } = await read([file]);
    expect(records).toEqual([
      { source: file, lineNumber: 2, message: natRecord, fieldNames: custom.split(' ') },
      { source: file, lineNumber: 4, message: ACCEPT, fieldNames: HEADER_FIELDS },
    ]);
  });

  test('a line with a word that is not a field name is a record, not a header', async () => {
    const file = write('not-header.log', `${HEADER} comment\n`);
    const { records } = await read([file]);
    expect(records).toEqual([{ source: file, lineNumber: 1, message: `${HEADER} comment` }]);
  });
});

describe('CloudWatch Logs JSON exports', () => {
  test('{"events":[…]}: each message, with its timestamp, numbered by event', async () => {
    const file = write('filter-log-events.json', eventsExport([ACCEPT, REJECT, NODATA]));
    const { records, summary } = await read([file]);
    expect(records).toEqual([
      { source: file, lineNumber: 1, message: ACCEPT, timestamp: 1418530070000 },
      { source: file, lineNumber: 2, message: REJECT, timestamp: 1418530070001 },
      { source: file, lineNumber: 3, message: NODATA, timestamp: 1418530070002 },
    ]);
    expect(summary).toEqual({ sources: 1, records: 3, problems: [] });
  });

  test('a top-level array of events; an event without a timestamp has none, a blank message is skipped', async () => {
    const file = write('events-array.txt', JSON.stringify([{ timestamp: 5, message: `${ACCEPT}\n` }, { message: '' }, { message: REJECT }]));
    const { records } = await read([file]);
    expect(records).toEqual([
      { source: file, lineNumber: 1, message: ACCEPT, timestamp: 5 },
      { source: file, lineNumber: 3, message: REJECT },
    ]);
  });

  test('a gzipped JSON export', async () => {
    const file = write('export.json.gz', zlib.gzipSync(eventsExport([ACCEPT, REJECT])));
    const { records, summary } = await read([file]);
    expect(records.map(r => [r.lineNumber, r.message, r.timestamp])).toEqual([[1, ACCEPT, 1418530070000], [2, REJECT, 1418530070001]]);
    expect(summary.problems).toEqual([]);
  });

  test('malformed JSON: a malformed-json problem at the line of the error, no records', async () => {
    const file = write('malformed.json', '{\n  "events": [\n    {"timestamp": 1, "message": "x"}\n    {"timestamp": 2, "message": "y"}\n  ]\n}\n');
    const { records, summary } = await read([file]);
    expect(records).toEqual([]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 4, kind: 'malformed-json', detail: expect.stringMatching(/^not valid JSON \(line 4\): /) }]);
  });

  test('malformed JSON whose error V8 does not locate is at line 0', async () => {
    const file = write('trailing-comma.json', '{\n  "events": [\n    {"timestamp": 1, "message": "x"},\n  ]\n}\n');
    const { summary } = await read([file]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 0, kind: 'malformed-json', detail: expect.stringMatching(/^not valid JSON: /) }]);
  });

  test('JSON cut short: malformed-json at its last line', async () => {
    const cut = eventsExport([ACCEPT, REJECT]).slice(0, 150);
    const file = write('cut.json', cut);
    const { summary } = await read([file]);
    expect(summary.problems).toEqual([{
      source: file, lineNumber: cut.trimEnd().split('\n').length, kind: 'malformed-json', detail: expect.stringMatching(/^not valid JSON/),
    }]);
  });

  test('a truncated gzipped JSON export is truncated-gzip, without records', async () => {
    const whole = zlib.gzipSync(eventsExport(numberedRecords(2000)));
    const file = write('cut-export.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const { records, summary } = await read([file]);
    expect(records).toEqual([]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: expect.any(Number), kind: 'truncated-gzip', detail: expect.any(String) }]);
    expect(summary.problems[0].lineNumber).toBeGreaterThan(1);
  });

  test('JSON of another shape is not-flow-log; events without a string message are reported and skipped', async () => {
    const other = write('other.json', '{"Resources": {}}');
    const badEvent = write('bad-event.json', JSON.stringify({ events: [{ timestamp: 1, message: ACCEPT }, { timestamp: 2 }, 7, { message: 'a\nb' }] }));
    const { records, summary } = await read([other, badEvent]);
    expect(records).toEqual([{ source: badEvent, lineNumber: 1, message: ACCEPT, timestamp: 1 }]);
    expect(summary.problems.map(p => [path.basename(p.source), p.lineNumber, p.kind])).toEqual([
      ['other.json', 0, 'not-flow-log'],
      ['bad-event.json', 2, 'not-flow-log'],
      ['bad-event.json', 3, 'not-flow-log'],
      ['bad-event.json', 4, 'not-flow-log'],
    ]);
  });

  test('an export without events is an empty-file problem', async () => {
    const file = write('no-events.json', '{"events": [], "searchedLogStreams": []}');
    const { summary } = await read([file]);
    expect(summary.problems).toEqual([{ source: file, lineNumber: 0, kind: 'empty-file', detail: 'the JSON export holds no events' }]);
  });
});

describe('directories', () => {
  test('walked recursively, entries in sorted order; hidden files skipped, files of other extensions skipped and reported', async () => {
    const dir = path.join(tmp, 'walk');
    write('walk/b.log', `${REJECT}\n`);
    write('walk/a/2.log', `${ACCEPT}\n`);
    write('walk/a/10.log', `# ten\n${NODATA}\n`);
    write('walk/c/d/e.log.gz', zlib.gzipSync(`${SKIPDATA}\n`));
    write('walk/c/export.json', eventsExport([ACCEPT]));
    write('walk/.hidden.log', `${ACCEPT}\n`);
    write('walk/README.md', 'Captured records\n');

    const { records, summary } = await read([dir]);

    expect(records.map(r => [path.relative(dir, r.source), r.lineNumber, r.message])).toEqual([
      [path.join('a', '10.log'), 2, NODATA],
      [path.join('a', '2.log'), 1, ACCEPT],
      ['b.log', 1, REJECT],
      [path.join('c', 'd', 'e.log.gz'), 1, SKIPDATA],
      [path.join('c', 'export.json'), 1, ACCEPT],
    ]);
    expect(summary).toEqual({
      sources: 5,
      records: 5,
      problems: [{ source: path.join(dir, 'README.md'), lineNumber: 0, kind: 'skipped-file', detail: expect.stringMatching(/^not read: in a directory only \*\.log/) }],
    });
  });

  test('a directory without files is a problem', async () => {
    const empty = path.join(tmp, 'empty-dir');
    fs.mkdirSync(path.join(empty, 'nested'), { recursive: true });
    write('only-readme/README.md', '# notes\n');
    const { summary } = await read([empty, path.join(tmp, 'only-readme')]);
    expect(summary.sources).toBe(0);
    expect(summary.problems).toEqual([
      { source: empty, lineNumber: 0, kind: 'empty-file', detail: expect.stringMatching(/^directory holds no flow-log files/) },
      { source: path.join(tmp, 'only-readme', 'README.md'), lineNumber: 0, kind: 'skipped-file', detail: expect.stringMatching(/^not read: /) },
      { source: path.join(tmp, 'only-readme'), lineNumber: 0, kind: 'empty-file', detail: expect.stringContaining('skipped 1 other file(s): README.md') },
    ]);
  });

  test('every file of a directory that is not read is reported, one skipped-file problem each, with why', async () => {
    write('skips/good.log', `${ACCEPT}\n`);
    write('skips/flows.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16)]));
    write('skips/flows.log.bz2', Buffer.from('BZh91AY&SY'));
    const { records, summary } = await read([path.join(tmp, 'skips')]);
    expect(records.map(r => r.message)).toEqual([ACCEPT]);
    expect(summary.problems).toEqual([
      { source: path.join(tmp, 'skips', 'flows.log.bz2'), lineNumber: 0, kind: 'skipped-file', detail: expect.stringMatching(/^not read: in a directory only \*\.log, \*\.txt, \*\.json and \*\.gz files are read; name the file/) },
      { source: path.join(tmp, 'skips', 'flows.parquet'), lineNumber: 0, kind: 'skipped-file', detail: 'not read: a Parquet file (S3 delivery with file-format parquet); convert it to text first' },
    ]);
  });

  test('a dangling symbolic link inside a directory is unreadable; the rest is read', async () => {
    write('links/a.log', `${ACCEPT}\n`);
    fs.symlinkSync(path.join(tmp, 'links', 'gone.log'), path.join(tmp, 'links', 'b.log'));
    const { records, summary } = await read([path.join(tmp, 'links')]);
    expect(records.map(r => r.message)).toEqual([ACCEPT]);
    expect(summary.problems).toEqual([{ source: path.join(tmp, 'links', 'b.log'), lineNumber: 0, kind: 'unreadable', detail: expect.stringContaining('ENOENT') }]);
    expect(summary.sources).toBe(2);
  });

  test('a symbolic-link loop is walked once', async () => {
    write('loop/a.log', `${ACCEPT}\n`);
    fs.symlinkSync(path.join(tmp, 'loop'), path.join(tmp, 'loop', 'again'));
    const { records, summary } = await read([path.join(tmp, 'loop')]);
    expect(records.map(r => r.message)).toEqual([ACCEPT]);
    expect(summary.problems).toEqual([]);
  });
});

describe('stdin', () => {
  test('is read when no paths are given, as <stdin>', async () => {
    const { records, summary } = await read([], Readable.from([PLAIN.slice(0, 40), PLAIN.slice(40)]));
    expect(records).toEqual(PLAIN_RECORDS.map(r => ({ source: '<stdin>', ...r })));
    expect(summary).toEqual({ sources: 1, records: 4, problems: [] });
  });

  test('gzip, S3 header and JSON forms on stdin', async () => {
    const gz = zlib.gzipSync([HEADER, ACCEPT].join('\n'));
    const fromGzip = await read([], Readable.from([gz.subarray(0, 1), gz.subarray(1)]));
    expect(fromGzip.records).toEqual([{ source: '<stdin>', lineNumber: 2, message: ACCEPT, fieldNames: HEADER_FIELDS }]);

    const fromJson = await read([], Readable.from([Buffer.from(eventsExport([REJECT]))]));
    expect(fromJson.records).toEqual([{ source: '<stdin>', lineNumber: 1, message: REJECT, timestamp: 1418530070000 }]);
  });

  test('empty stdin is an empty-file problem', async () => {
    const { summary } = await read([], Readable.from([]));
    expect(summary).toEqual({ sources: 1, records: 0, problems: [{ source: '<stdin>', lineNumber: 0, kind: 'empty-file', detail: 'the file is empty' }] });
  });

  test('a stdin failing before its first byte is unreadable at line 0', async () => {
    async function* failing(): AsyncGenerator<string> {
      throw new Error('no input');
    }
    const { summary } = await read([], Readable.from(failing()));
    expect(summary).toEqual({ sources: 1, records: 0, problems: [{ source: '<stdin>', lineNumber: 0, kind: 'unreadable', detail: 'no input' }] });
  });

  test('a failing stdin is unreadable, with the line reached', async () => {
    async function* failing() {
      yield `${ACCEPT}\n${REJECT}\n2 1234`;
      throw new Error('pipe broke');
    }
    const { records, summary } = await read([], Readable.from(failing()));
    expect(records.map(r => r.lineNumber)).toEqual([1, 2]);
    expect(summary.problems).toEqual([{ source: '<stdin>', lineNumber: 3, kind: 'unreadable', detail: 'pipe broke' }]);
  });
});

describe('problems', () => {
  test('an empty file, an empty gzip and a file of blank lines are empty-file problems', async () => {
    const empty = write('empty.log', '');
    const emptyGzip = write('empty.log.gz', zlib.gzipSync(''));
    const blank = write('blank.log', '\n  \n\n');
    const { records, summary } = await read([empty, emptyGzip, blank]);
    expect(records).toEqual([]);
    expect(summary).toEqual({
      sources: 3,
      records: 0,
      problems: [
        { source: empty, lineNumber: 0, kind: 'empty-file', detail: 'the file is empty' },
        { source: emptyGzip, lineNumber: 0, kind: 'empty-file', detail: 'the gzip data decompresses to nothing' },
        { source: blank, lineNumber: 0, kind: 'empty-file', detail: 'the file holds only blank lines' },
      ],
    });
  });

  test('a file of comments only is no problem', async () => {
    const file = write('comments.log', '# nothing captured\n');
    expect(await read([file])).toEqual({ records: [], summary: { sources: 1, records: 0, problems: [] } });
  });

  test('unreadable paths are reported, and the other paths still read', async () => {
    const missing = path.join(tmp, 'no-such-file.log');
    const plain = write('readable.log', `${ACCEPT}\n`);
    const throughFile = path.join(plain, 'child.log');
    const { records, summary } = await read([missing, plain, throughFile]);
    expect(records).toEqual([{ source: plain, lineNumber: 1, message: ACCEPT }]);
    expect(summary).toEqual({
      sources: 3,
      records: 1,
      problems: [
        { source: missing, lineNumber: 0, kind: 'unreadable', detail: expect.stringMatching(/^ENOENT: /) },
        { source: throughFile, lineNumber: 0, kind: 'unreadable', detail: expect.stringMatching(/^ENOTDIR: /) },
      ],
    });
  });

  test('Parquet, UTF-16 and binary files are not-flow-log', async () => {
    const parquet = write('flows.log.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(32, 1), Buffer.from('PAR1')]));
    const utf16 = write('utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${ACCEPT}\r\n`, 'utf16le')]));
    const binary = write('binary.log', zlib.gzipSync(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0])));
    const { records, summary } = await read([parquet, utf16, binary]);
    expect(records).toEqual([]);
    expect(summary.problems.map(p => [path.basename(p.source), p.lineNumber, p.kind])).toEqual([
      ['flows.log.parquet', 0, 'not-flow-log'],
      ['utf16.log', 0, 'not-flow-log'],
      ['binary.log', 0, 'not-flow-log'],
    ]);
    expect(summary.problems[0].detail).toMatch(/Parquet/);
  });

  test('an error thrown by onRecord rejects the promise', async () => {
    const text = write('throwing.log', PLAIN);
    const json = write('throwing.json', eventsExport([ACCEPT]));
    for (const file of [text, json]) {
      await expect(readRecords([file], () => {
        throw new Error('replay failed');
      })).rejects.toThrow('replay failed');
    }
  });
});

describe('the shared real flow logs', () => {
  test('every data line of ../shared/flowlogs/, 197 records, no problems but the README.md not read', async () => {
    const { records, summary } = await read([SHARED_FLOWLOGS]);
    expect(summary.records).toBe(197);
    expect(records).toHaveLength(197);
    expect(summary.problems).toEqual([expect.objectContaining({ source: path.join(SHARED_FLOWLOGS, 'README.md'), kind: 'skipped-file' })]);
    // README.md is skipped (and reported); every *.log file is a source.
    expect(summary.sources).toBe(fs.readdirSync(SHARED_FLOWLOGS).filter(f => f.endsWith('.log')).length);
    // The same lines, line numbers and order as the project's own reader of these files.
    expect(records.map(r => [path.basename(r.source), r.lineNumber, r.message]))
      .toEqual(readSharedFlowLogs().map(r => [r.file, r.lineNumber, r.line]));
    expect(records.every(r => r.fieldNames === undefined && r.timestamp === undefined)).toBe(true);
  });
});

describe('a byte range of a file (a thread\'s share)', () => {
  test('reads the lines of bytes [start, end) only, numbered from 1, and counts its lines and header lines', async () => {
    const text = `\uFEFF${HEADER}\n${ACCEPT}\n\n${REJECT}\r\n# comment\n\uFEFF${NODATA}\n${HEADER}\n${SKIPDATA}\n`;
    const file = write('range/records.log', text);
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(`${REJECT}`);
    const whole = await readRecords([file], () => undefined);
    expect(whole).toMatchObject({ records: 4, lines: 8, headerLines: 2 });

    const first: ReadRecord[] = [];
    expect(await readRecords([file], r => first.push(r), { range: { start: 0, end: cut } })).toMatchObject({ records: 1, lines: 3, headerLines: 1 });
    expect(first).toEqual([{ source: file, lineNumber: 2, message: ACCEPT, fieldNames: HEADER_FIELDS }]);

    const second: ReadRecord[] = [];
    const rest = { start: cut, end: bytes.length };
    expect(await readRecords([file], r => second.push(r), { range: rest })).toMatchObject({ records: 3, lines: 5, headerLines: 1 });
    // Line 3 of the range is the file's line 6: its byte order mark is not the file's, and stays (a malformed record).
    expect(second.map(r => [r.lineNumber, r.message, r.fieldNames])).toEqual([
      [1, REJECT, undefined], [3, `\uFEFF${NODATA}`, undefined], [5, SKIPDATA, HEADER_FIELDS],
    ]);
  });

  test('is read from one file only', async () => {
    await expect(readRecords([], () => undefined, { range: { start: 0, end: 1 } })).rejects.toThrow('a byte range is read from one file, not 0');
  });
});

describe('plain lines in place (onLine)', () => {
  test('a line starting with a digit comes as text[start, end) with its line number and header; every other line as a record', async () => {
    const exported = `2021-09-02T21:45:00.000Z ${ACCEPT}`;
    const text = `\uFEFF${ACCEPT}\n# comment\n${HEADER}\n${REJECT}\n${exported}\n  ${NODATA}\n5 1\n${SKIPDATA}\n`;
    const file = write('in-place/records.log', text);
    const inPlace: Array<[number, string, readonly string[] | undefined]> = [];
    const records: ReadRecord[] = [];
    const summary = await readRecords([file], r => records.push(r), {
      onLine: (chunk, start, end, source, lineNumber, fieldNames) => {
        expect(source).toBe(file);
        inPlace.push([lineNumber, chunk.slice(start, end), fieldNames]);
      },
    });
    expect(inPlace).toEqual([[4, REJECT, HEADER_FIELDS], [8, SKIPDATA, HEADER_FIELDS]]);
    // The byte order mark, the export timestamp, the indented and the short line take the general way.
    expect(records.map(r => [r.lineNumber, r.message])).toEqual([[1, ACCEPT], [5, ACCEPT], [6, `  ${NODATA}`], [7, '5 1']]);
    expect(summary).toMatchObject({ records: 6, lines: 8, headerLines: 1, problems: [] });
    // Without onLine, the same records in the same order, all as records.
    const all: ReadRecord[] = [];
    await readRecords([file], r => all.push(r));
    expect(all.map(r => r.lineNumber)).toEqual([1, 4, 5, 6, 7, 8]);
  });
});

describe('a plain file of several read chunks (1 MiB each)', () => {
  test('lines across chunk boundaries, LF and CRLF, in place and not, and a range in the middle, come out whole', async () => {
    // About 3 MiB: lines of every length from 1 to 300 bytes, so that chunk boundaries fall at every place in a line.
    const lines = Array.from({ length: 21_000 }, (_, i) => `${i} ${'x'.repeat(i % 300)}`);
    const text = lines.map((line, i) => (i % 7 === 0 ? `${line}\r\n` : `${line}\n`)).join('');
    const file = write('chunks/big.log', text);
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    const messages: string[] = [];
    await readRecords([file], r => messages.push(r.message), { onLine: (t, start, end) => messages.push(t.slice(start, end)) });
    expect(messages).toEqual(lines);
    const records: ReadRecord[] = [];
    await readRecords([file], r => records.push(r));
    expect(records.map(r => r.message)).toEqual(lines);
    expect(records[20_999].lineNumber).toBe(21_000);

    const start = text.indexOf('\n', 1_500_000) + 1;
    const end = text.indexOf('\n', 2_600_000) + 1;
    const inRange: ReadRecord[] = [];
    const summary = await readRecords([file], r => inRange.push(r), { range: { start, end } });
    const expected = text.slice(start, end).split(/\r?\n/).slice(0, -1);
    expect(inRange.map(r => r.message)).toEqual(expected);
    expect(summary.lines).toBe(expected.length);
  });
});
