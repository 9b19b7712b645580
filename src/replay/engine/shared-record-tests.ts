/** A condition compiled to run on a record's text and field offsets, without cutting fields out. */
export type RecordTest = (text: string, starts: Int32Array, ends: Int32Array) => boolean;

/**
 * The conditions of several queries, each run at most once per record: the kit's detections share most of
 * theirs (`log_status = "OK"`, a role's `subnet_id in [...]`, `protocol = 6`, the private ranges of
 * `isIpv4InSubnet`), and port scan and host sweep share their whole filter. A condition is known by its text,
 * so equal conditions of different queries (over the same `parse` glob) are one test.
 */
export class SharedRecordTests {
  private readonly ids = new Map<string, number>();
  private stamps = new Float64Array(16).fill(-1);
  private answers = new Uint8Array(16);
  private record = 0;

  /** Starts a new record: every test runs again. */
  public next(): void {
    this.record++;
  }

  /** The test, run once per record however many queries ask (`key` names it: equal keys, equal tests). */
  public share(key: string, test: RecordTest): RecordTest {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      if (id >= this.stamps.length) {
        const stamps = new Float64Array(this.stamps.length * 2).fill(-1);
        stamps.set(this.stamps);
        const answers = new Uint8Array(this.answers.length * 2);
        answers.set(this.answers);
        this.stamps = stamps;
        this.answers = answers;
      }
    }
    const at = id;
    return (text, starts, ends) => {
      if (this.stamps[at] === this.record) return this.answers[at] === 1;
      const answer = test(text, starts, ends);
      this.stamps[at] = this.record;
      this.answers[at] = answer ? 1 : 0;
      return answer;
    };
  }
}
