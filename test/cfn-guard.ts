import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs cfn-guard, as bundled in `@cdklabs/cdk-validator-cfnguard`, over CloudFormation templates.
 *
 * Any failure to run the binary or to read its output throws (with cfn-guard's stderr): a
 * broken run never looks like "no findings".
 */

/** The installed `@cdklabs/cdk-validator-cfnguard` package. */
const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));

/** Where the package keeps the Control Tower proactive controls: a guard file and a metadata file each. */
const CONTROL_TOWER_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower');

/**
 * The bundled cfn-guard binary for this platform and architecture, chosen as the package's own
 * `CfnGuardValidator` does: `bin/<ubuntu|macos>/<x86_64|aarch64>/cfn-guard`.
 */
export function cfnGuardBinary(): string {
  const platforms: Record<string, string> = { linux: 'ubuntu', darwin: 'macos' };
  const architectures: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };
  const platform = platforms[process.platform];
  const architecture = architectures[process.arch];
  if (!platform || !architecture) {
    throw new Error(`@cdklabs/cdk-validator-cfnguard bundles cfn-guard for linux and darwin on x64 and arm64 only, not ${process.platform} on ${process.arch}`);
  }
  const binary = path.join(PACKAGE_DIR, 'bin', platform, architecture, 'cfn-guard');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch (e) {
    throw new Error(`cfn-guard is not an executable file at ${binary}: ${(e as Error).message}`);
  }
  return binary;
}

/** A Control Tower proactive control shipped with `@cdklabs/cdk-validator-cfnguard`. */
export interface ControlTowerRule {
  /** The control's ID, e.g. `CT.CLOUDWATCH.PR.2`. */
  readonly id: string;
  /** The service family of the ID, e.g. `CLOUDWATCH`. */
  readonly family: string;
  /** What the control requires, e.g. "Require an Amazon CloudWatch log group to be retained for at least one year". */
  readonly displayName: string;
  /** The guard file. */
  readonly file: string;
  /** The named rules the guard file reports on (its `rule <name> when ...` rules). */
  readonly ruleNames: string[];
}

let catalog: ControlTowerRule[] | undefined;

/** Every Control Tower control the package ships, read from its metadata and guard files. */
export function controlTowerCatalog(): ControlTowerRule[] {
  if (catalog) {
    return catalog;
  }
  const guardDir = path.join(CONTROL_TOWER_DIR, 'cfn-guard');
  const rules: ControlTowerRule[] = [];
  for (const service of fs.readdirSync(guardDir).sort()) {
    for (const name of fs.readdirSync(path.join(guardDir, service)).filter(f => f.endsWith('.guard')).sort()) {
      const file = path.join(guardDir, service, name);
      const metadataFile = path.join(CONTROL_TOWER_DIR, 'metadata', service, name.replace(/\.guard$/, '.metadata.json'));
      const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf-8'));
      const id: string = metadata.Id;
      if (!/^CT\.[A-Z0-9-]+\.PR\.\d+$/.test(id ?? '')) {
        throw new Error(`unexpected control ID '${id}' in ${metadataFile}`);
      }
      const ruleNames = [...new Set([...fs.readFileSync(file, 'utf-8').matchAll(/^rule\s+([A-Za-z0-9_]+)\s+when\b/gm)].map(m => m[1]))];
      if (ruleNames.length === 0) {
        throw new Error(`no named rule found in ${file}`);
      }
      rules.push({ id, family: id.split('.')[1], displayName: metadata.DisplayName, file, ruleNames });
    }
  }
  if (rules.length === 0) {
    throw new Error(`no Control Tower rules found under ${guardDir}`);
  }
  catalog = rules;
  return rules;
}

/** The guard files of the Control Tower controls that pass the filter. */
export function controlTowerRules(filter: (rule: ControlTowerRule) => boolean): string[] {
  return controlTowerCatalog().filter(filter).map(r => r.file);
}

/** The control ID (`CT.<FAMILY>.PR.<n>`) of a named Control Tower guard rule. */
export function controlIdOfRule(ruleName: string): string | undefined {
  return controlTowerCatalog().find(r => r.ruleNames.includes(ruleName))?.id;
}

/** One rule that failed on one template. */
export interface GuardFailure {
  /** The name of the rule, e.g. `cloudwatch_log_group_retention_period_check`. */
  readonly rule: string;
  /**
   * Logical IDs of the resources the failing clauses point at (from the clauses' property
   * paths, `/Resources/<logical ID>/...`); empty when the failure is about the template as a
   * whole (a required resource missing).
   */
  readonly resources: string[];
  /** The rule's custom messages (`<< ... >>`) on its failing clauses. */
  readonly messages: string[];
}

/** What cfn-guard found on one template. */
export interface GuardTemplateResult {
  /** PASS, FAIL or SKIP (no rule applied). */
  readonly status: string;
  /** The failed rules, one entry each. */
  readonly failures: GuardFailure[];
  /** The names of the failed rules, sorted. */
  readonly failedRules: string[];
  /** The names of the rules that applied and passed (and did not also fail), sorted. */
  readonly passedRules: string[];
  /** The names of the rules that did not apply at all, sorted. */
  readonly skippedRules: string[];
}

/** What cfn-guard found, by the name each template was given to `runGuard`. */
export type GuardResult = Record<string, GuardTemplateResult>;

/**
 * Validates templates against guard rule files with the bundled cfn-guard
 * (`cfn-guard validate --rules <file>... --data <file>... --output-format json --show-summary none --structured`).
 *
 * Throws if cfn-guard cannot run, exits with anything but 0 (all passed or skipped) or 19
 * (some rule failed), writes to stderr, or prints output that is not one result per template:
 * a rule file it cannot parse makes it exit 5 with every template "SKIP", which is no result.
 */
export function runGuard(rulesFiles: string[], templates: Record<string, object>): GuardResult {
  if (rulesFiles.length === 0) {
    throw new Error('runGuard needs at least one rules file');
  }
  const names = Object.keys(templates);
  if (names.length === 0) {
    throw new Error('runGuard needs at least one template');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-'));
  try {
    const files = new Map<string, string>();
    names.forEach((name, i) => {
      const file = path.join(dir, `${i}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
      fs.writeFileSync(file, JSON.stringify(templates[name], undefined, 1));
      files.set(file, name);
    });
    const args = [
      'validate',
      ...rulesFiles.flatMap(r => ['--rules', r]),
      ...[...files.keys()].flatMap(d => ['--data', d]),
      '--output-format', 'json',
      '--show-summary', 'none',
      '--structured',
    ];
    const binary = cfnGuardBinary();
    const proc = spawnSync(binary, args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
    const describe = () => `${binary} ${args.join(' ')}\nexit: ${proc.status ?? proc.signal}\nstderr: ${proc.stderr}\nstdout: ${(proc.stdout ?? '').slice(0, 2000)}`;
    if (proc.error) {
      throw new Error(`cfn-guard could not run: ${proc.error.message}\n${describe()}`);
    }
    if (proc.status !== 0 && proc.status !== 19) {
      throw new Error(`cfn-guard failed\n${describe()}`);
    }
    if (proc.stderr.trim() !== '') {
      throw new Error(`cfn-guard wrote to stderr\n${describe()}`);
    }
    let output: unknown;
    try {
      output = JSON.parse(proc.stdout);
    } catch (e) {
      throw new Error(`cfn-guard output is not JSON: ${(e as Error).message}\n${describe()}`);
    }
    if (!Array.isArray(output)) {
      throw new Error(`cfn-guard output is not a list of results\n${describe()}`);
    }
    const result: GuardResult = {};
    for (const entry of output as RawGuardResult[]) {
      const name = files.get(entry.name);
      if (name === undefined) {
        throw new Error(`cfn-guard reported on an unknown data file '${entry.name}'\n${describe()}`);
      }
      result[name] = templateResult(entry, describe);
    }
    const missing = names.filter(n => !(n in result));
    if (missing.length > 0) {
      throw new Error(`cfn-guard reported nothing on ${missing.join(', ')}\n${describe()}`);
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface RawGuardResult {
  readonly name: string;
  readonly status: string;
  readonly not_compliant: Array<{ Rule?: RawRule }>;
  readonly compliant: string[];
  readonly not_applicable: string[];
}

interface RawRule {
  readonly name: string;
  readonly checks?: unknown[];
}

function templateResult(entry: RawGuardResult, describe: () => string): GuardTemplateResult {
  if (!Array.isArray(entry.not_compliant) || !Array.isArray(entry.compliant) || !Array.isArray(entry.not_applicable)) {
    throw new Error(`unexpected cfn-guard result for ${entry.name}: ${JSON.stringify(entry).slice(0, 500)}\n${describe()}`);
  }
  const byRule = new Map<string, { resources: Set<string>; messages: Set<string> }>();
  for (const item of entry.not_compliant) {
    const rule = item.Rule;
    if (!rule || typeof rule.name !== 'string') {
      throw new Error(`unexpected non-compliant entry for ${entry.name}: ${JSON.stringify(item).slice(0, 500)}\n${describe()}`);
    }
    const found = byRule.get(rule.name) ?? { resources: new Set<string>(), messages: new Set<string>() };
    collect(rule.checks ?? [], found.resources, found.messages);
    byRule.set(rule.name, found);
  }
  const failures = [...byRule.entries()]
    .map(([rule, f]) => ({ rule, resources: [...f.resources].sort(), messages: [...f.messages].sort() }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
  // A name defined more than once (the Control Tower files define each rule for templates and
  // for hooks) is failed if any definition failed, else passed if any passed, else skipped.
  const failedRules = failures.map(f => f.rule);
  const passedRules = [...new Set(entry.compliant)].filter(r => !byRule.has(r)).sort();
  const skippedRules = [...new Set(entry.not_applicable)].filter(r => !byRule.has(r) && !passedRules.includes(r)).sort();
  return { status: entry.status, failures, failedRules, passedRules, skippedRules };
}

/**
 * Gathers the logical IDs that failing clauses point at, and their custom messages, from
 * cfn-guard's structured output. The compared-to side (`to`) is left out: it names the
 * expected values, not the offender. So are clauses without context, which cfn-guard reports
 * from inside query filters (`Resources[ keys == ... ]`) and which name every non-matching key.
 */
function collect(node: unknown, resources: Set<string>, messages: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach(n => collect(n, resources, messages));
    return;
  }
  if (node === null || typeof node !== 'object') {
    return;
  }
  const obj = node as Record<string, unknown>;
  const clause = (obj.Clause as Record<string, { context?: string }> | undefined);
  if (clause) {
    const inner = clause.Unary ?? clause.Binary;
    if (inner && typeof inner.context === 'string' && inner.context.trim() === '') {
      return;
    }
  }
  if (typeof obj.path === 'string') {
    const match = /^\/Resources\/([^/]+)/.exec(obj.path);
    if (match) {
      resources.add(match[1]);
    } else if (obj.path === '/Resources' && typeof obj.value === 'string') {
      // a key of Resources bound by `Resources[ name | ... ]`: the value is the logical ID
      resources.add(obj.value);
    }
  }
  const custom = (obj.messages as { custom_message?: unknown } | undefined)?.custom_message;
  if (typeof custom === 'string' && custom.trim() !== '') {
    messages.add(custom.trim().replace(/\s*\n\s*/g, '\n'));
  }
  for (const [key, value] of Object.entries(obj)) {
    if (key !== 'to') {
      collect(value, resources, messages);
    }
  }
}
