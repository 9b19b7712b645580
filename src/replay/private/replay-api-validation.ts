import { Duration, Stack, Token } from 'aws-cdk-lib';
import { describeValue } from './describe-value';

// Checks of what JavaScript callers (no compiler between them and the API) pass to FlowLogReplay:
// each fails with the argument's name, the value received and what is allowed, never a TypeError.

/** Every option of FlowLogReplayOptions (one added there must be added here: until then, passing it is an error). */
const OPTION_NAMES = ['refs', 'logGroup', 'maxDisorder'];
/** One week: more would keep a week of the log alarms' states in memory, never needed for a capture. */
export const MAX_DISORDER_MINUTES = 7 * 24 * 60;

export function checkStack(stack: unknown): asserts stack is Stack {
  if (!Stack.isStack(stack)) {
    throw new Error(`\`stack\` must be a Stack (aws-cdk-lib), got ${describeValue(stack)}`);
  }
}

/** The options, checked; `{}` for undefined. */
export function checkReplayOptions<T extends object>(options: T | undefined): T {
  if (options === undefined) {
    return {} as T;
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`\`options\` must be an object ({ refs?, logGroup?, maxDisorder? }), got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter(k => !OPTION_NAMES.includes(k));
  if (unknown.length > 0) {
    throw new Error(`\`options\` has no option ${unknown.map(k => `'${k}'`).join(', ')}; the options are ${OPTION_NAMES.join(', ')}`);
  }
  const { refs, logGroup, maxDisorder } = options as Record<string, unknown>;
  if (refs !== undefined) {
    if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) {
      throw new Error(`\`options.refs\` must be an object of strings ({ LogicalId: 'value' }), got ${describeValue(refs)}`);
    }
    for (const [key, value] of Object.entries(refs)) {
      if (typeof value !== 'string') {
        throw new Error(`\`options.refs.${key}\` must be a string (the deployed value of ${key}), got ${describeValue(value)}`);
      }
    }
  }
  if (logGroup !== undefined && (typeof logGroup !== 'string' || logGroup === '')) {
    throw new Error(`\`options.logGroup\` must be a log group's logical ID or construct path, got ${describeValue(logGroup)}`);
  }
  if (maxDisorder !== undefined) {
    checkMaxDisorder(maxDisorder);
  }
  return options;
}

/** `maxDisorder`: a Duration of whole minutes, 0 to one week. */
function checkMaxDisorder(maxDisorder: unknown): void {
  if (!(maxDisorder instanceof Duration) || Token.isUnresolved(maxDisorder)) {
    throw new Error(`\`options.maxDisorder\` must be a Duration (Duration.minutes(90)), got ${describeValue(maxDisorder)}`);
  }
  const seconds = maxDisorder.toSeconds();
  if (seconds % 60 !== 0 || seconds < 0 || seconds > MAX_DISORDER_MINUTES * 60) {
    throw new Error(`\`options.maxDisorder\` must be a whole number of minutes from 0 to ${MAX_DISORDER_MINUTES} (one week), got ${maxDisorder.toHumanString()}`);
  }
}

/** The records given to `replay()`: an array of strings. */
export function checkRecords(records: unknown): asserts records is string[] {
  if (!Array.isArray(records)) {
    throw new Error(`\`records\` must be an array of strings (flow-log records, one per element), got ${describeValue(records)}`);
  }
  for (let i = 0; i < records.length; i++) {
    if (typeof records[i] !== 'string') {
      throw new Error(`\`records[${i}]\` must be a string (a flow-log record), got ${describeValue(records[i])}`);
    }
  }
}
