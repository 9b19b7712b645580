import { FlowLogField } from '../capture/flow-log-field';
import { FlowLogFormat } from '../capture/flow-log-format';

/**
 * A CloudWatch Contributor Insights rule over a watch's flow logs: who contributes most to some
 * traffic. The rule reads the records as space-delimited (`CLF`) events, and its `Fields` give
 * each field it uses by its position in the watch's field list, so custom formats keep working.
 *
 * Contributor Insights costs money per rule and per matched log event, so the rules are off by
 * default (`contributorInsights`).
 */
export class FlowLogInsightRule {
  /** Sources by bytes sent (Sum of `bytes`, by `srcaddr`). */
  public static readonly TOP_TALKERS = new FlowLogInsightRule('TopTalkers', 'top-talkers',
    [FlowLogField.SRCADDR], 'Sum', FlowLogField.BYTES, []);

  /** Sources by rejected flows (Count, by `srcaddr`, where `action` is REJECT). */
  public static readonly REJECTED_SOURCES = new FlowLogInsightRule('RejectedSources', 'rejected-sources',
    [FlowLogField.SRCADDR], 'Count', undefined, [{ field: FlowLogField.ACTION, in: ['REJECT'] }]);

  /** Sources of SSH flows, accepted or not (Count, by `srcaddr` and `action`, where TCP `dstport` is 22). */
  public static readonly SSH_SOURCES = new FlowLogInsightRule('SshSources', 'ssh-sources',
    [FlowLogField.SRCADDR, FlowLogField.ACTION], 'Count', undefined,
    [{ field: FlowLogField.DSTPORT, equalTo: 22 }, { field: FlowLogField.PROTOCOL, equalTo: 6 }]);

  /** The rules a watch gets with `contributorInsights: true`. */
  public static readonly ALL: FlowLogInsightRule[] = [
    FlowLogInsightRule.TOP_TALKERS, FlowLogInsightRule.REJECTED_SOURCES, FlowLogInsightRule.SSH_SOURCES,
  ];

  /**
   * @param id the construct ID of its `AWS::CloudWatch::InsightRule` (public API: do not change it)
   * @param suffix the end of its rule name
   */
  private constructor(
    public readonly id: string,
    public readonly suffix: string,
    private readonly keys: FlowLogField[],
    private readonly aggregateOn: 'Sum' | 'Count',
    private readonly valueOf: FlowLogField | undefined,
    private readonly filters: Array<{ field: FlowLogField; in?: string[]; equalTo?: number }>,
  ) {}

  /**
   * The fields the rule reads that the format does not record, by name.
   */
  public missingFields(format: FlowLogFormat): string[] {
    return this.fieldsRead().filter(f => !format.hasField(f)).map(f => f.name);
  }

  /**
   * The rule's body (`RuleBody`) for the given log groups of this format, as an object to
   * serialize with `Stack.toJsonString` (the log group names may be tokens).
   *
   * @throws when the format lacks a field the rule reads
   */
  public renderRuleBody(format: FlowLogFormat, logGroupNames: string[]): any {
    const missing = this.missingFields(format);
    if (missing.length > 0) {
      throw new Error(`Contributor Insights rule '${this.id}' reads ${missing.join(', ')}, which the format does not record`);
    }
    const fields: Record<string, string> = {};
    for (const field of this.fieldsRead()) {
      fields[String(format.indexOf(field) + 1)] = field.name;
    }
    return {
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: logGroupNames,
      LogFormat: 'CLF',
      Fields: fields,
      Contribution: {
        Keys: this.keys.map(k => k.name),
        ...(this.valueOf ? { ValueOf: this.valueOf.name } : {}),
        Filters: this.filters.map(f => ({ Match: f.field.name, ...(f.in ? { In: f.in } : { EqualTo: f.equalTo }) })),
      },
      AggregateOn: this.aggregateOn,
    };
  }

  private fieldsRead(): FlowLogField[] {
    const all = [...this.keys, ...(this.valueOf ? [this.valueOf] : []), ...this.filters.map(f => f.field)];
    return all.filter((f, i) => all.indexOf(f) === i);
  }
}
