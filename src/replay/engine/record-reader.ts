import * as buffer from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { pipeline, Readable } from 'stream';
import * as zlib from 'zlib';
import { FlowLogField } from '../../capture/flow-log-field';

/**
 * Where records come from: a file path, or `<stdin>`.
 */
export interface RecordSource {
  /** The file's path as given (or as found under a given directory), or `<stdin>`. */
  readonly name: string;
}

/**
 * One flow-log record read from a source.
 */
export interface ReadRecord {
  /** The source's name: the file path, or `<stdin>`. */
  readonly source: string;
  /**
   * The 1-based line number of the record in its source (gunzipped, for a .gz); for a
   * JSON export, the 1-based index of the event in its `events` list.
   */
  readonly lineNumber: number;
  /** The record's text, one line, as written (without the line break). */
  readonly message: string;
  /**
   * Epoch milliseconds of the CloudWatch Logs event the record came from: the event's
   * `timestamp` in a JSON export, or the ISO-8601 prefix of a line of a CloudWatch Logs
   * export to S3 (`2021-09-02T21:45:00.000Z <message>`). Absent otherwise.
   */
  readonly timestamp?: number;
  /**
   * The field names of the header line (`version account-id interface-id …`) that came
   * before the record in its source, as S3-delivered flow-log files start with one. Absent
   * when no header line came before the record.
   */
  readonly fieldNames?: readonly string[];
}

/**
 * Something in the input that is not a record: reported, never thrown.
 */
export interface ReadProblem {
  /** The source's name: the file or directory path, or `<stdin>`. */
  readonly source: string;
  /**
   * The 1-based line (or, in a JSON export, event) the problem is at; 0 when it concerns the
   * source as a whole (an empty or unreadable file, a directory without files …).
   */
  readonly lineNumber: number;
  /** What went wrong. */
  readonly kind: 'empty-file' | 'malformed-json' | 'unreadable' | 'truncated-gzip' | 'not-flow-log' | 'skipped-file';
  /** A sentence for a human. */
  readonly detail: string;
}

/**
 * What a `readRecords` call read.
 */
export interface ReadSummary {
  /** The sources read or attempted: files (including unreadable ones) and stdin; not directories. */
  readonly sources: number;
  /** The records delivered to `onRecord`. */
  readonly records: number;
  /** The problems met, in reading order. */
  readonly problems: ReadProblem[];
  /** The lines of text read (records, blank, comment and header lines). */
  readonly lines: number;
  /** The S3 header lines among them. */
  readonly headerLines: number;
}

/**
 * Options of `readRecords`.
 */
export interface ReadRecordsOptions {
  /** The stream read when `paths` is empty. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  /**
   * Only the bytes [start, end) of the one file in `paths`, its lines numbered from 1 (a thread's share of a
   * file: `start` is 0 or just after a line break). @default the whole of every path
   */
  readonly range?: { readonly start: number; readonly end: number };
  /**
   * Receives the plain lines of text sources in place instead of `onRecord`: a line that starts with a digit
   * and has no export timestamp, as text[start, end) of the decoded chunk it is in (no string cut out and
   * no object made per record). Every other record still goes to `onRecord`. @default every record to onRecord
   */
  readonly onLine?: LineConsumer;
}

/** A plain record in place: text[start, end), the 1-based line number, and the field names of the header above it. */
export type LineConsumer = (
  text: string, start: number, end: number, source: string, lineNumber: number, fieldNames: readonly string[] | undefined,
) => void;

/** The name of the standard-input source. */
export const STDIN_SOURCE = '<stdin>';

/**
 * The file names read when walking a directory (a path given explicitly is always read,
 * whatever its name). The form of each file (text, gzip, JSON) is still told by its content.
 */
export const DIRECTORY_FILE_PATTERN = /\.(log|txt|json|gz)$/i;

/**
 * Streams every record of the given paths (files, .gz files, directories walked recursively
 * in sorted order) or of stdin when paths is empty.
 *
 * Each source's form is told by its content: gzip (magic bytes `1f 8b`, then any form below
 * inside); a JSON CloudWatch Logs export (first non-blank character `{` or `[`); otherwise
 * text, one record per line. In text, blank lines and `#` comment lines are skipped, a line
 * whose every token is a known flow-log field name is an S3 header line (its names go with
 * the records after it), and the ISO-8601 timestamp prefix of a CloudWatch Logs export to S3
 * is split off into `timestamp`.
 *
 * Text and gzip are streamed line by line (memory stays flat in the input size); a JSON
 * export is read whole. Input problems are returned in the summary, never thrown; the
 * promise rejects only when `onRecord` throws (with that error).
 */
export async function readRecords(
  paths: readonly string[],
  onRecord: (r: ReadRecord) => void,
  options: ReadRecordsOptions = {},
): Promise<ReadSummary> {
  const reader = new RecordReader(onRecord, options.range, options.onLine);
  if (options.range !== undefined && paths.length !== 1) {
    throw new Error(`a byte range is read from one file, not ${paths.length}`);
  }
  if (paths.length === 0) {
    await reader.readSource({ name: STDIN_SOURCE }, toReadable(options.stdin ?? process.stdin));
  } else {
    for (const p of paths) {
      await reader.readPath(p);
    }
  }
  return { sources: reader.sources, records: reader.records, problems: reader.problems, lines: reader.lines, headerLines: reader.headerLines };
}

// A header line's tokens all look like field names; the catalogue has the last word.
const FIELD_NAME_TOKEN = /^[a-z][a-z0-9-]*$/;
// `2021-09-02T21:45:00.000Z <message>`: a line of a CloudWatch Logs export task's S3 object.
const EXPORT_TIMESTAMP_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) (.*)$/;
// Enough decoded bytes to tell the form (Parquet magic, binary, first non-blank character).
const PEEK_BYTES = 512;

const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const LOWER_A = 97;
const LOWER_Z = 122;
const BOM = 0xfeff;

/** Where a text source's reading is. */
interface TextState {
  readonly name: string;
  lineNumber: number;
  nonBlank: boolean;
  /** The names of the last header line, if one came. */
  fieldNames: readonly string[] | undefined;
}

/** An error thrown by the onRecord callback, told apart from the input's own errors. */
class RecordConsumerError {
  constructor(public readonly cause: unknown) {}
}

/** The index of the first character that is not whitespace (as `trim` sees it), or -1 when there is none. */
function firstNonSpace(line: string): number {
  const c = line.charCodeAt(0);
  if (c > 32 && c < 127) {
    return 0; // printable ASCII: the common case
  }
  const trimmed = line.trimStart();
  return trimmed === '' ? -1 : line.length - trimmed.length;
}

class RecordReader {
  public sources = 0;
  public records = 0;
  public readonly problems: ReadProblem[] = [];
  public lines = 0;
  public headerLines = 0;

  constructor(
    private readonly onRecord: (r: ReadRecord) => void,
    private readonly range?: { readonly start: number; readonly end: number },
    private readonly onLine?: LineConsumer,
  ) {}

  /** The path's stats, or undefined with an `unreadable` problem reported for it as a source. */
  private async statOrReport(p: string): Promise<fs.Stats | undefined> {
    try {
      return await fs.promises.stat(p);
    } catch (e) {
      this.sources++;
      this.problem(p, 0, 'unreadable', describeError(e));
      return undefined;
    }
  }

  public async readPath(p: string): Promise<void> {
    const stat = await this.statOrReport(p);
    if (!stat) {
      return;
    }
    if (stat.isDirectory()) {
      const skipped: string[] = [];
      const files = await this.readDirectory(p, new Set(), skipped);
      if (files === 0) {
        const skippedNote = skipped.length === 0 ? ''
          : `; skipped ${skipped.length} other file(s): ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`;
        this.problem(p, 0, 'empty-file',
          `directory holds no flow-log files (*.log, *.txt, *.json, *.gz, searched recursively)${skippedNote}`);
      }
      return;
    }
    // A regular file, or a FIFO / character device (`<(zcat …)`, /dev/stdin): streamed alike.
    await this.readFile(p);
  }

  public async readSource(source: RecordSource, raw: Readable): Promise<void> {
    this.sources++;
    const name = source.name;

    const peeked = await peek(raw, 2);
    if (peeked.head.length === 0) {
      if (peeked.error !== undefined) {
        this.problem(name, 0, 'unreadable', describeError(peeked.error));
      } else {
        this.problem(name, 0, 'empty-file', 'the file is empty');
      }
      return;
    }

    const gzipped = peeked.head[0] === 0x1f && peeked.head[1] === 0x8b;
    let decoded: Readable = peeked.body;
    if (gzipped) {
      const gunzip = zlib.createGunzip();
      // Errors of either stream surface on gunzip (pipeline destroys the others with them).
      pipeline(peeked.body, gunzip, () => undefined);
      decoded = gunzip;
    }

    const content = await peek(decoded, PEEK_BYTES);
    const head = content.head;
    if (head.length === 0) {
      if (content.error !== undefined) {
        this.streamProblem(name, 1, gzipped, content.error);
      } else {
        this.problem(name, 0, 'empty-file', 'the gzip data decompresses to nothing');
      }
      return;
    }
    const notFlowLog = describeNonText(head);
    if (notFlowLog) {
      content.body.destroy();
      this.problem(name, 0, 'not-flow-log', notFlowLog);
      return;
    }
    const first = head.toString('utf-8').replace(/^\uFEFF/, '').trimStart()[0];
    if (first === '{' || first === '[') {
      await this.readJsonExport(name, content.body, gzipped);
    } else {
      await this.readText(name, content.body, gzipped);
    }
  }

  private async readFile(file: string): Promise<void> {
    const range = this.range === undefined ? {} : { start: this.range.start, end: this.range.end - 1 }; // end: inclusive
    await this.readSource({ name: file }, fs.createReadStream(file, { highWaterMark: 1024 * 1024, ...range }));
  }

  /**
   * Reads the files under a directory, depth first, entries sorted by name (code-unit order);
   * hidden entries (`.name`) are skipped; other files not matching DIRECTORY_FILE_PATTERN are
   * skipped too, each reported as a `skipped-file` problem (never passed over silently).
   *
   * @returns how many files were read
   */
  private async readDirectory(dir: string, visited: Set<string>, skipped: string[]): Promise<number> {
    let names: string[];
    try {
      const real = await fs.promises.realpath(dir);
      if (visited.has(real)) {
        return 0; // a symbolic-link loop
      }
      visited.add(real);
      names = (await fs.promises.readdir(dir)).sort();
    } catch (e) {
      this.problem(dir, 0, 'unreadable', describeError(e));
      return 0;
    }
    let files = 0;
    for (const entry of names) {
      if (entry.startsWith('.')) {
        continue;
      }
      const p = path.join(dir, entry);
      const stat = await this.statOrReport(p);
      if (!stat) {
        files++;
        continue;
      }
      if (stat.isDirectory()) {
        files += await this.readDirectory(p, visited, skipped);
      } else if (stat.isFile() && DIRECTORY_FILE_PATTERN.test(entry)) {
        await this.readFile(p);
        files++;
      } else {
        skipped.push(entry);
        this.problem(p, 0, 'skipped-file', describeSkippedFile(entry, stat));
      }
    }
    return files;
  }

  /**
   * One record per line, streamed chunk by chunk (memory stays flat in the input size). Lines
   * end with LF, CRLF or a lone CR, as readline splits them.
   */
  private async readText(name: string, input: Readable, gzipped: boolean): Promise<void> {
    const state: TextState = { name, lineNumber: 0, nonBlank: false, fieldNames: undefined };
    let carry: Buffer = Buffer.alloc(0); // the bytes after the last line break read so far
    let pendingCr = false; // the last chunk ended with CR: a LF starting the next one is its pair
    let failure: { error: unknown } | undefined;
    /** Bytes that follow what was read so far, the carry already in front of them. */
    const piece = (whole: Buffer) => {
      const bytes = pendingCr && whole.length > 0 && whole[0] === LF ? whole.subarray(1) : whole;
      // Cut after the last line break: a LF or CR byte is never inside a UTF-8 sequence.
      const cut = Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR)) + 1;
      if (bytes.length > 0) {
        pendingCr = cut === bytes.length && bytes[cut - 1] === CR;
      }
      carry = Buffer.from(bytes.subarray(cut));
      if (cut > 0) {
        this.textChunk(state, decode(bytes.subarray(0, cut)));
      }
    };
    try {
      for await (const chunk of input) {
        const bytes = toBuffer(chunk);
        if (carry.length === 0) {
          piece(bytes);
          continue;
        }
        // The carried bytes end at this chunk's first line break: only they are joined, not the whole chunk.
        const lf = bytes.indexOf(LF);
        const cr = bytes.indexOf(CR);
        const first = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
        if (first === -1) {
          carry = Buffer.concat([carry, bytes]);
          continue;
        }
        piece(Buffer.concat([carry, bytes.subarray(0, first + 1)]));
        piece(bytes.subarray(first + 1));
      }
    } catch (e) {
      if (e instanceof RecordConsumerError) {
        throw e.cause;
      }
      failure = { error: e };
    }
    if (failure) {
      // The line being read when the input failed: never delivered (it may be cut short).
      this.streamProblem(name, state.lineNumber + 1, gzipped, failure.error);
      return;
    }
    if (carry.length > 0) {
      const rest = decode(carry);
      this.textLines(state, rest, 0, rest.length);
    }
    if (!state.nonBlank) {
      this.problem(name, 0, 'empty-file', 'the file holds only blank lines');
    }
  }

  /** The lines of a decoded chunk that ends with a line break. */
  private textChunk(state: TextState, text: string): void {
    if (text.indexOf('\r') !== -1) {
      this.textLines(state, text, 0, text.length - 1);
      return;
    }
    const onLine = this.onLine;
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const c = text.charCodeAt(start);
      // A line starting with a digit, without an export timestamp: a record as it is (what textLine would deliver).
      if (onLine !== undefined && c >= DIGIT_0 && c <= DIGIT_9 && text.charCodeAt(start + 4) !== DASH && end - start > 4) {
        state.lineNumber++;
        this.lines++;
        state.nonBlank = true;
        this.records++;
        try {
          onLine(text, start, end, state.name, state.lineNumber, state.fieldNames);
        } catch (e) {
          throw new RecordConsumerError(e);
        }
      } else {
        this.textLine(state, text.slice(start, end));
      }
      start = end + 1;
    }
  }

  /** The lines of text[start, end], a last line break at `end` included; LF, CRLF and lone CR end lines. */
  private textLines(state: TextState, text: string, start: number, end: number): void {
    let lineStart = start;
    for (let i = start; i < text.length && i <= end; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) {
        this.textLine(state, text.slice(lineStart, i));
        if (c === CR && text.charCodeAt(i + 1) === LF) {
          i++;
        }
        lineStart = i + 1;
      }
    }
    if (lineStart < text.length && lineStart <= end) {
      this.textLine(state, text.slice(lineStart, end + 1));
    }
  }

  private textLine(state: TextState, raw: string): void {
    state.lineNumber++;
    this.lines++;
    // A byte order mark starts the file only, not a range in the middle of it.
    const line = state.lineNumber === 1 && !this.range?.start && raw.charCodeAt(0) === BOM ? raw.slice(1) : raw;
    const first = firstNonSpace(line);
    if (first === -1) {
      return;
    }
    state.nonBlank = true;
    const c = line.charCodeAt(first);
    if (c === HASH) {
      return;
    }
    let message = line;
    let timestamp: number | undefined;
    if (c >= DIGIT_0 && c <= DIGIT_9 && line.charCodeAt(first + 4) === DASH) {
      const exported = EXPORT_TIMESTAMP_PREFIX.exec(line);
      if (exported && exported[2].trim() !== '') {
        message = exported[2];
        timestamp = Date.parse(exported[1]);
      }
    } else if (c >= LOWER_A && c <= LOWER_Z) {
      const header = headerFieldNames(line.trim());
      if (header) {
        this.headerLines++;
        state.fieldNames = header;
        return;
      }
    }
    const record: { -readonly [K in keyof ReadRecord]: ReadRecord[K] } = { source: state.name, lineNumber: state.lineNumber, message };
    if (timestamp !== undefined) record.timestamp = timestamp;
    if (state.fieldNames) record.fieldNames = state.fieldNames;
    try {
      this.deliver(record);
    } catch (e) {
      throw new RecordConsumerError(e);
    }
  }

  /**
   * A CloudWatch Logs export: `{"events":[{"timestamp":…,"message":…}, …]}` (the output of
   * `aws logs filter-log-events` / `get-log-events`) or a top-level array of such events.
   * JSON cannot be parsed line by line, so the file is read whole; such exports are bounded
   * by the API's page size or by what the user chose to fetch, unlike S3 text files.
   */
  private async readJsonExport(name: string, input: Readable, gzipped: boolean): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of input) {
        chunks.push(toBuffer(chunk));
      }
    } catch (e) {
      const textSoFar = Buffer.concat(chunks).toString('utf-8');
      this.streamProblem(name, countLines(textSoFar), gzipped, e);
      return;
    }
    const text = Buffer.concat(chunks).toString('utf-8').replace(/^\uFEFF/, '');

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      const message = describeError(e);
      // V8 gives the offset of most syntax errors, not of an unexpected token (then: line 0).
      const position = /position (\d+)/.exec(message);
      const lineNumber = position ? countLines(text.slice(0, Number(position[1])))
        : /end of JSON input/.test(message) ? countLines(text.trimEnd()) : 0;
      this.problem(name, lineNumber, 'malformed-json',
        `not valid JSON${lineNumber > 0 ? ` (line ${lineNumber})` : ''}: ${message}`);
      return;
    }

    const events = Array.isArray(json) ? json : eventsOf(json);
    if (!events) {
      this.problem(name, 0, 'not-flow-log',
        'JSON but not a CloudWatch Logs export: expected {"events":[{"timestamp":…,"message":…}, …]} or an array of such events');
      return;
    }
    if (events.length === 0) {
      this.problem(name, 0, 'empty-file', 'the JSON export holds no events');
      return;
    }
    events.forEach((event: unknown, i: number) => {
      const lineNumber = i + 1;
      const message = messageOf(event);
      if (message === undefined) {
        this.problem(name, lineNumber, 'not-flow-log', `event ${lineNumber} has no string "message"`);
        return;
      }
      const line = message.replace(/\r?\n$/, '');
      if (/[\r\n]/.test(line)) {
        this.problem(name, lineNumber, 'not-flow-log', `the message of event ${lineNumber} spans several lines; a flow-log record is one line`);
        return;
      }
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) {
        return;
      }
      const timestamp = (event as { timestamp?: unknown }).timestamp;
      this.deliver({
        source: name,
        lineNumber,
        message: line,
        ...(typeof timestamp === 'number' && Number.isFinite(timestamp) ? { timestamp } : {}),
      });
    });
  }

  private deliver(record: ReadRecord): void {
    this.records++;
    this.onRecord(record);
  }

  private streamProblem(name: string, lineNumber: number, gzipped: boolean, e: unknown): void {
    const code = String((e as { code?: unknown } | undefined)?.code ?? '');
    if (gzipped && (code === 'Z_BUF_ERROR' || /unexpected end of file/.test(describeError(e)))) {
      this.problem(name, lineNumber, 'truncated-gzip',
        `the gzip data ends early (${describeError(e)}) at line ${lineNumber}; the records before it were read`);
    } else if (gzipped && code.startsWith('Z_')) {
      this.problem(name, lineNumber, 'unreadable', `corrupt gzip data at line ${lineNumber}: ${describeError(e)}`);
    } else {
      this.problem(name, lineNumber, 'unreadable', describeError(e));
    }
  }

  private problem(source: string, lineNumber: number, kind: ReadProblem['kind'], detail: string): void {
    this.problems.push({ source, lineNumber, kind, detail });
  }
}

interface Peeked {
  /** The first bytes (at least the number asked for, unless the stream ends or fails sooner). */
  readonly head: Buffer;
  /** The whole stream again, head included; it fails as the stream did, after the head. */
  readonly body: Readable;
  /** The stream's error, when it failed before giving the bytes asked for. */
  readonly error?: unknown;
}

/**
 * Reads the first `min` bytes of a stream (or all of it, if shorter) without losing them.
 * Never throws: a failure before `min` bytes is returned, and replayed by `body` after the
 * head, so that what came before the failure is still read.
 */
async function peek(input: Readable, min: number): Promise<Peeked> {
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  let error: unknown;
  let failed = false;
  while (size < min) {
    try {
      const next = await it.next();
      if (next.done) {
        done = true;
        break;
      }
      const chunk = toBuffer(next.value);
      chunks.push(chunk);
      size += chunk.length;
    } catch (e) {
      error = e;
      failed = true;
      break;
    }
  }
  const head = Buffer.concat(chunks, size);
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) {
        yield head;
      }
      if (failed) {
        throw error;
      }
      while (!done) {
        const next = await it.next();
        if (next.done) {
          return;
        }
        yield toBuffer(next.value);
      }
    } finally {
      // Releases the source (closes the file) when the consumer stops early.
      await it.return?.();
    }
  }
  // Object mode hands on the chunks as they are: a byte stream would concatenate them again, a copy of the input.
  return { head, body: Readable.from(rest(), { objectMode: true }), ...(failed ? { error } : {}) };
}

/** Why decoded content is not flow-log text, or undefined when it may be. */
function describeNonText(head: Buffer): string | undefined {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
    return 'a Parquet file (S3 delivery with file-format parquet); convert it to text first';
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return 'UTF-16 text; save it as UTF-8';
  }
  if (head.includes(0)) {
    return 'binary data (NUL bytes), not flow-log text';
  }
  return undefined;
}

/** Why a file met in a directory is not read, and how to read it. */
function describeSkippedFile(name: string, stat: fs.Stats): string {
  if (!stat.isFile()) {
    return 'not read: not a regular file (a socket, FIFO or device met in a directory); name it on the command line to read it';
  }
  if (/\.parquet$/i.test(name)) {
    return 'not read: a Parquet file (S3 delivery with file-format parquet); convert it to text first';
  }
  return 'not read: in a directory only *.log, *.txt, *.json and *.gz files are read; name the file on the command line '
    + 'to read it, or move it out of the directory';
}

/** The field names of an S3 header line, or undefined when a token is not a known field name. */
function headerFieldNames(trimmedLine: string): readonly string[] | undefined {
  const tokens = trimmedLine.split(/\s+/);
  if (!tokens.every(t => FIELD_NAME_TOKEN.test(t))) {
    return undefined;
  }
  try {
    tokens.forEach(t => FlowLogField.fromName(t));
  } catch {
    return undefined;
  }
  return Object.freeze(tokens);
}

function eventsOf(json: unknown): unknown[] | undefined {
  if (typeof json === 'object' && json !== null && Array.isArray((json as { events?: unknown }).events)) {
    return (json as { events: unknown[] }).events;
  }
  return undefined;
}

function messageOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) {
    return undefined;
  }
  const message = (event as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/** The 1-based number of the line the end of this text is on. */
function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lines++;
  }
  return lines;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) {
    return chunk;
  }
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  return Buffer.from(String(chunk), 'utf-8'); // a stream with an encoding set yields strings
}

/** UTF-8 text; ASCII (flow logs are) decodes the fast way. */
function decode(bytes: Buffer): string {
  return (buffer as { isAscii?: (b: Buffer) => boolean }).isAscii?.(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function toReadable(stream: NodeJS.ReadableStream): Readable {
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}

// Duck-typed, not `instanceof Error`: errors may come from another realm (jest's sandbox).
function describeError(e: unknown): string {
  const { message, code } = (typeof e === 'object' && e !== null ? e : {}) as { message?: unknown; code?: unknown };
  if (typeof message !== 'string') {
    return String(e);
  }
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
