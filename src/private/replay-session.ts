import type { ReplayResult } from '../replay';

/** A replay fed one record at a time, for streamed input (the command line). */
export interface ReplaySession {
  add(record: string): void;
  finish(): ReplayResult;
}
