import { renderPage } from './html-page';
import { buildReportModel } from './report-model';
import { ReplayResult } from '../replay-result';

/**
 * Options of a replay report.
 */
export interface FlowLogReplayReportOptions {
  /**
   * The page's title.
   *
   * @default - "Flow-log replay of " and the log group
   */
  readonly title?: string;

  /**
   * The template that was replayed, as the header names it: a file path or a stack's name.
   *
   * @default - the header says the template is not named
   */
  readonly template?: string;

  /**
   * How many of a log alarm's top offending sources are listed; the others are counted.
   *
   * @default 10
   */
  readonly maxOffenders?: number;
}

/**
 * A replay result as one self-contained HTML page to look at: the records replayed, each
 * alarm's timeline (its series per period, threshold, the periods it was in ALARM shaded,
 * M of N, in bytes, flows or records), the reason for each alarm that was not simulated, the
 * top offending sources of each log alarm, and each metric filter's matched records and sum.
 *
 * The page needs nothing else: no script, no network (a Content-Security-Policy forbids
 * both); its charts are inline SVG with text descriptions. Long series are downsampled to
 * the smallest and largest value per pixel column, so that a week of 1-minute data for
 * dozens of alarms stays within a few hundred kilobytes, and spikes stay visible.
 */
export class FlowLogReplayReport {
  /**
   * The report on a replay result, as an HTML document.
   */
  public static renderHtml(result: ReplayResult, options: FlowLogReplayReportOptions = {}): string {
    const maxOffenders = options.maxOffenders;
    if (maxOffenders !== undefined && (!Number.isInteger(maxOffenders) || maxOffenders < 1)) {
      throw new Error(`\`maxOffenders\` must be a whole number of 1 or more, got ${maxOffenders}`);
    }
    return renderPage(buildReportModel(result, options));
  }

  private constructor() {}
}
