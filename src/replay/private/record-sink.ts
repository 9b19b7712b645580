import { ReplaySession } from '../engine/replay-session';

/** Where a session takes records: whole (`add`), or in place in a chunk of the input (`addAt`). */
export interface RecordSink {
  readonly add: ReplaySession['add'];
  readonly addAt: ReplaySession['addAt'];
}
