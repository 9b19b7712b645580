// The command line's checks that it never passes by not looking: options that contradict each
// other, names that name nothing in the template, alarms whose quiet is not proven, files not read.
import { ReadProblem } from '../engine/record-reader';
import { AlarmReplay, ReplayResult } from '../replay-result';

/** The options these checks read. */
export interface ExpectationOptions {
  readonly refs: Record<string, string>;
  readonly expectAlarms: readonly string[];
  readonly expectQuiet: boolean;
  readonly allowUnsimulated: readonly string[];
}

/** How many names a message lists at most. */
const LISTED = 12;

/**
 * CloudFormation's pseudo parameters, which a `Ref` may name besides the template's resources and parameters:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
 */
const PSEUDO_PARAMETERS = [
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition',
  'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
];

/** Options that contradict each other: thrown before anything is read. */
export function checkOptionCombinations(args: ExpectationOptions): void {
  if (args.expectQuiet && args.expectAlarms.length > 0) {
    throw new Error(`--expect-alarm (${args.expectAlarms.map(n => `'${n}'`).join(', ')}) and --expect-quiet contradict each other: `
      + 'give --expect-alarm NAME for the alarms the records must fire, or --expect-quiet for none, not both');
  }
  if (args.allowUnsimulated.length > 0 && !args.expectQuiet) {
    throw new Error(`--allow-unsimulated (${args.allowUnsimulated.map(n => `'${n}'`).join(', ')}) only goes with --expect-quiet, which was not given`);
  }
}

/**
 * Names given on the command line that name nothing in the template: a `--ref` for no logical ID,
 * an `--expect-alarm` or `--allow-unsimulated` for no alarm of the replayed log group. Throws the
 * first such usage error, with the names allowed.
 *
 * @param template the parsed template
 * @param replayed what a replay of the log group reports without records: its alarms and its filters' unresolved references
 * @param fileRefs the references from `--refs` files (a file may be shared by stacks: unknown keys are only noted)
 * @returns notes for stderr (keys of `--refs` files that name no logical ID)
 */
export function checkNamesAgainstTemplate(
  args: ExpectationOptions, template: { Resources?: Record<string, any>; Parameters?: Record<string, unknown> },
  replayed: Pick<ReplayResult, 'logGroup' | 'alarms' | 'filters'>, fileRefs: Record<string, string> = {},
): string[] {
  const resources = template.Resources ?? {};
  const ids = [...Object.keys(resources), ...Object.keys(template.Parameters ?? {})];
  const known = new Set([...ids, ...PSEUDO_PARAMETERS]);
  // `LogicalId` or, for Fn::GetAtt, `LogicalId.Attribute` of a resource.
  const names = (key: string) => known.has(key)
    || (key.includes('.') && Object.prototype.hasOwnProperty.call(resources, key.slice(0, key.indexOf('.'))));
  const needed = [...new Set(replayed.filters.flatMap(f => f.unresolved).filter(r => !r.startsWith('{')))];

  for (const [key, value] of Object.entries(args.refs)) {
    if (!names(key)) {
      const near = nearMatches(key.split('.')[0], ids).map(n => (key.includes('.') ? `${n}${key.slice(key.indexOf('.'))}` : n));
      throw new Error(`--ref '${key}=${value}' names no logical ID of the template (a resource, a parameter, an AWS:: pseudo parameter, `
        + `or LogicalId.Attribute); ${near.length > 0 ? `near matches: ${near.join(', ')}` : `its logical IDs: ${listed(ids)}`}`
        + (needed.length > 0 ? `. The metric filters of ${replayed.logGroup} still need: ${listed(needed)}` : ''));
    }
  }

  const alarmsOfTemplate = Object.entries(resources)
    .filter(([, r]) => typeof r?.Type === 'string' && /^AWS::CloudWatch::\w*Alarm$/.test(r.Type))
    .map(([id, r]) => ({ id, name: typeof r.Properties?.AlarmName === 'string' ? r.Properties.AlarmName as string : undefined }));
  const replayedNames = replayed.alarms.map(displayName);
  for (const [option, wanted] of [
    ...args.expectAlarms.map(n => ['--expect-alarm', n] as const),
    ...args.allowUnsimulated.map(n => ['--allow-unsimulated', n] as const),
  ]) {
    if (replayed.alarms.some(a => a.alarmName === wanted || a.logicalId === wanted)) {
      continue;
    }
    const choices = replayedNames.length === 0 ? `the log group ${replayed.logGroup} has no alarm`
      : `the alarms of the log group ${replayed.logGroup} (name or logical ID): ${listed(replayedNames)}`;
    const elsewhere = alarmsOfTemplate.find(a => a.id === wanted || a.name === wanted);
    if (elsewhere) {
      throw new Error(`${option} '${wanted}' is an alarm of the template, but not on the metrics or records of the log group `
        + `${replayed.logGroup} that is replayed (choose its log group with --log-group); ${choices}`);
    }
    const near = nearMatches(wanted, replayedNames);
    throw new Error(`${option} '${wanted}' names no alarm of the template; ${near.length > 0 ? `near matches: ${near.join(', ')}; ` : ''}${choices}`);
  }

  const strayKeys = Object.keys(fileRefs).filter(key => !(key in args.refs) && !names(key));
  return strayKeys.length === 0 ? [] : [`--refs: ${strayKeys.length} key(s) name no logical ID of the template and are not used: ${listed(strayKeys)}`];
}

/**
 * With `--expect-quiet`: one failure per alarm that was not simulated (quiet is not proven for
 * it), with the reason and what to pass; none for the alarms `--allow-unsimulated` names. A log
 * group without any alarm proves nothing either.
 */
export function notProvenQuiet(result: Pick<ReplayResult, 'logGroup' | 'alarms'>, allowUnsimulated: readonly string[]): string[] {
  if (result.alarms.length === 0) {
    return [`expected quiet, but the log group ${result.logGroup} has no alarm: nothing was proven quiet`];
  }
  return result.alarms
    .filter(a => !a.simulated && !allowUnsimulated.includes(a.logicalId) && !(a.alarmName !== undefined && allowUnsimulated.includes(a.alarmName)))
    .map(a => {
      const reason = a.notSimulatedReason ?? 'not simulated';
      const fix = /unresolved references/.test(reason) ? 'pass their deployed values with --ref LogicalId=value or --refs FILE'
        : reason === 'no record was replayed' ? 'give records of the log group that can be replayed (see the input problems)'
          : `if it cannot be simulated offline and that is accepted, pass --allow-unsimulated '${displayName(a)}'`;
      return `expected quiet, but '${displayName(a)}' was not simulated, so its quiet is not proven: ${reason}; ${fix}`;
    });
}

/** One stderr line per file skipped in a directory. */
export function skippedFileLines(problems: readonly ReadProblem[]): string[] {
  return problems.filter(p => p.kind === 'skipped-file').map(p => `flowlog-watch: skipped ${p.source}: ${p.detail}\n`);
}

function displayName(alarm: AlarmReplay): string {
  return alarm.alarmName ?? alarm.logicalId;
}

function listed(names: readonly string[]): string {
  return names.length <= LISTED ? names.join(', ') : `${names.slice(0, LISTED).join(', ')} … (${names.length} in all)`;
}

/**
 * The candidates that look like a mistyped `wanted`, closest first (at most 5): the same but for
 * case, or for the 8-hex-digit hash CDK appends to logical IDs; one a prefix of the other; or a
 * few edits apart.
 */
export function nearMatches(wanted: string, candidates: readonly string[]): string[] {
  const stem = (id: string) => id.replace(/[0-9A-F]{8}$/, '').toLowerCase();
  const w = wanted.toLowerCase();
  const scored = [...new Set(candidates)].map(c => {
    const l = c.toLowerCase();
    const shorter = Math.min(l.length, w.length);
    const distance = editDistance(l, w);
    const score = l === w ? 0
      : stem(c) === stem(wanted) ? 1
        : shorter >= 6 && (l.startsWith(w) || w.startsWith(l) || l.startsWith(stem(wanted)) || w.startsWith(stem(c))) ? 2
          : distance <= Math.max(2, Math.floor(w.length / 6)) ? 3 + distance : undefined;
    return { c, score };
  }).filter((s): s is { c: string; score: number } => s.score !== undefined);
  return scored.sort((a, b) => a.score - b.score || a.c.localeCompare(b.c)).slice(0, 5).map(s => s.c);
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
