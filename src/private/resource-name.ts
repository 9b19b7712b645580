import { createHash } from 'crypto';
import { Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * What a generated name may be: its longest length, in characters, and the characters it may
 * not contain (each is replaced by `_`).
 */
export interface NameLimit {
  /** What is named, for messages: `alarm`, `Contributor Insights rule`. */
  readonly kind: string;
  readonly maxLength: number;
  readonly invalidCharacters: RegExp;
}

/**
 * PutMetricAlarm `AlarmName`: "Minimum length of 1. Maximum length of 255", and "can't contain ASCII
 * control characters" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Alarm-On-Logs.html).
 */
export const ALARM_NAME: NameLimit = { kind: 'alarm', maxLength: 255, invalidCharacters: /[\x00-\x1F\x7F]/g };

/**
 * PutInsightRule `RuleName`: "Maximum length of 128. Pattern: [\x20-\x7E]+"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html).
 */
export const INSIGHT_RULE_NAME: NameLimit = { kind: 'Contributor Insights rule', maxLength: 128, invalidCharacters: /[^\x20-\x7E]/g };

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
  const identity = `${watch.node.path}/${suffix}`;
  const name = boundedName(head, `-${suffix}`, limit.maxLength, identity);
  registerName(watch, limit, name, identity);
  return name;
}

/** The names generated in each Stage (or App): per limit, environment and name, the identities that got it. */
const GENERATED = new WeakMap<IConstruct, Map<string, Set<string>>>();

/**
 * Paths turned into names can meet: the watches `S/A-B` and `S/A/B` would both name their SSH alarm
 * `S-A-B-public-ssh-accepted`, and AWS takes an alarm name once per account and Region ("The name
 * must be unique within the Region", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html):
 * the second deployment would fail. A validation of the Stage reports such a meeting at synth.
 * Environment-agnostic stacks count as one environment.
 */
function registerName(scope: IConstruct, limit: NameLimit, name: string, identity: string): void {
  const stage = Stage.of(scope) ?? scope.node.root;
  let names = GENERATED.get(stage);
  if (!names) {
    const created = new Map<string, Set<string>>();
    names = created;
    GENERATED.set(stage, created);
    stage.node.addValidation({ validate: () => nameCollisions(created) });
  }
  const stack = Stack.of(scope);
  const env = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region) ? 'agnostic' : `${stack.account}/${stack.region}`;
  const key = JSON.stringify([limit.kind, env, name]);
  names.set(key, (names.get(key) ?? new Set()).add(identity));
}

function nameCollisions(names: Map<string, Set<string>>): string[] {
  return [...names.entries()].filter(([, identities]) => identities.size > 1).map(([key, identities]) => {
    const [kind, env, name] = JSON.parse(key) as string[];
    return `two resources would get the ${kind} name '${name}' in ${env === 'agnostic' ? 'the same (environment-agnostic) account and Region' : env}: `
      + `${[...identities].join(' and ')} (a construct path with '/' turned into '-' can equal another one). AWS takes a name once per `
      + 'account and Region, so the deployment would fail: change a construct ID so that the paths differ once \'/\' is \'-\'.';
  });
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
