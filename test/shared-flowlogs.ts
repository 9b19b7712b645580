import * as fs from 'fs';
import * as path from 'path';
import { FlowLogFormat } from '../src';

/**
 * The real flow-log records published by others, kept outside the project in
 * `../shared/flowlogs/*.log` (see its README.md). Read only: never copy them into the project.
 */
export const SHARED_FLOWLOGS_DIR = path.join(__dirname, '..', '..', 'shared', 'flowlogs');

/**
 * One data line of a shared flow-log file, with the format that its file declares for it.
 */
export interface SharedRecord {
  /** The file's name, e.g. `aws-docs_flow-logs-records-examples.log`. */
  readonly file: string;
  /** The format of the `# format:` line above the record. */
  readonly format: FlowLogFormat;
  /** The record, exactly as written in the file (unsplit, untrimmed). */
  readonly line: string;
  /** The record's 1-based line number in its file. */
  readonly lineNumber: number;
}

/**
 * The field names of a `# format:` line: the words after `# format:`, up to the first word
 * that starts with `(` (the rest is a note).
 */
export function formatLineFieldNames(formatLine: string): string[] {
  const words = formatLine.replace(/^# format:/, '').trim().split(/\s+/);
  const noteStart = words.findIndex(w => w.startsWith('('));
  return noteStart < 0 ? words : words.slice(0, noteStart);
}

/**
 * The names of the shared flow-log files, sorted.
 */
export function sharedFlowLogFiles(): string[] {
  return fs.readdirSync(SHARED_FLOWLOGS_DIR).filter(f => f.endsWith('.log')).sort();
}

/**
 * Every data record of every shared flow-log file, in file order (files sorted by name).
 *
 * A `# format:` line sets the format of the data lines that follow it, up to the next one; its
 * field names go through `FlowLogFormat.fromFieldNames`, so a name unknown to the catalogue
 * fails here. Other `#` lines are comments; blank lines are skipped.
 *
 * @throws if there are no files, or a data line comes before any `# format:` line
 */
export function readSharedFlowLogs(): SharedRecord[] {
  const files = sharedFlowLogFiles();
  if (files.length === 0) {
    throw new Error(`no *.log files in ${SHARED_FLOWLOGS_DIR}`);
  }
  const records: SharedRecord[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(SHARED_FLOWLOGS_DIR, file), 'utf-8').split(/\r?\n/);
    let format: FlowLogFormat | undefined;
    lines.forEach((line, i) => {
      const lineNumber = i + 1;
      if (line.startsWith('# format:')) {
        try {
          format = FlowLogFormat.fromFieldNames(formatLineFieldNames(line));
        } catch (e) {
          throw new Error(`${file}:${lineNumber}: ${(e as Error).message}`);
        }
      } else if (line.startsWith('#') || line.trim() === '') {
        // a comment or a blank line
      } else if (!format) {
        throw new Error(`${file}:${lineNumber}: data line before any '# format:' line`);
      } else {
        records.push({ file, format, line, lineNumber });
      }
    });
  }
  return records;
}
