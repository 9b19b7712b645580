import { createHash } from 'crypto';
import { IConstruct } from 'constructs';

/**
 * What a generated name may be: its longest length, in characters, and the characters it may
 * not contain (each is replaced by `_`).
 */
export interface NameLimit {
  readonly maxLength: number;
  readonly invalidCharacters: RegExp;
}

/**
 * PutMetricAlarm `AlarmName`: "Minimum length of 1. Maximum length of 255", and "can't contain ASCII
 * control characters" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Alarm-On-Logs.html).
 */
export const ALARM_NAME: NameLimit = { maxLength: 255, invalidCharacters: /[\x00-\x1F\x7F]/g };

/**
 * PutInsightRule `RuleName`: "Maximum length of 128. Pattern: [\x20-\x7E]+"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html).
 */
export const INSIGHT_RULE_NAME: NameLimit = { maxLength: 128, invalidCharacters: /[^\x20-\x7E]/g };

/** The length of the hash a shortened name ends its head with. */
const HASH_LENGTH = 8;

/**
 * `<construct path with ->-<suffix>`: the deterministic, readable name of a resource a watch
 * creates (alarms, Contributor Insights rules), unique in the account and Region. Within the
 * limit it is exactly that; over it, the path is cut short and followed by a hash of the whole
 * path and suffix, so it stays unique (`boundedName`).
 */
export function watchResourceName(watch: IConstruct, suffix: string, limit: NameLimit): string {
  const head = watch.node.path.replace(/\//g, '-').replace(limit.invalidCharacters, '_');
  return boundedName(head, `-${suffix}`, limit.maxLength, `${watch.node.path}/${suffix}`);
}

/**
 * `head + tail` when it has at most `maxLength` characters (a name within its limit never
 * changes); else the head cut short, `-`, 8 hexadecimal digits of the SHA-256 of `identity`, and
 * the tail: readable, deterministic, and unique as long as the identities are.
 *
 * @param identity what makes the name unique (the unshortened, unsanitized name by default)
 */
export function boundedName(head: string, tail: string, maxLength: number, identity: string = head + tail, separator = '-'): string {
  if (characters(head + tail) <= maxLength) {
    return head + tail;
  }
  return hashedName(head, tail, maxLength, identity, separator);
}

/**
 * The head cut to fit, `separator`, 8 hexadecimal digits of the SHA-256 of `identity`, and the
 * tail, whatever the length: for a name that must differ from another one it would equal.
 */
export function hashedName(head: string, tail: string, maxLength: number, identity: string, separator = '-'): string {
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, HASH_LENGTH);
  const room = maxLength - characters(tail) - separator.length - HASH_LENGTH;
  if (room < 1) {
    throw new Error(`cannot fit a name ending in '${tail}' into ${maxLength} characters`);
  }
  return [...head].slice(0, room).join('') + separator + hash + tail;
}

/** Characters as AWS counts them (Unicode code points, not UTF-16 units). */
export function characters(s: string): number {
  return [...s].length;
}
