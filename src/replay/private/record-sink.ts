import { readRecords, ReadRecordsOptions, ReadSummary } from '../engine/record-reader';
import { ReplaySession } from '../engine/replay-session';

/** Where a session takes records: whole (`add`), or in place in a chunk of the input (`addAt`). */
export interface RecordSink {
  readonly add: ReplaySession['add'];
  readonly addAt: ReplaySession['addAt'];
}

/** A session as a sink. */
export function sinkOf(session: ReplaySession): RecordSink {
  return {
    add: (record, source, lineNumber, timestamp, header) => session.add(record, source, lineNumber, timestamp, header),
    addAt: (text, start, end, source, lineNumber, timestamp, header) => session.addAt(text, start, end, source, lineNumber, timestamp, header),
  };
}

/**
 * Reads the records of `paths` into the sink: plain lines in place (`addAt`), the others whole (`add`);
 * `each` is told the bytes of every record.
 */
export function readInto(
  paths: readonly string[], sink: RecordSink, options: Omit<ReadRecordsOptions, 'onLine'> = {}, each: (bytes: number) => void = () => undefined,
): Promise<ReadSummary> {
  const { add, addAt } = sink;
  return readRecords(paths, record => {
    add(record.message, record.source, record.lineNumber, record.timestamp, record.fieldNames);
    each(record.message.length + 1);
  }, {
    ...options,
    onLine: (text, start, end, source, lineNumber, fieldNames) => {
      addAt(text, start, end, source, lineNumber, undefined, fieldNames);
      each(end - start + 1);
    },
  });
}
