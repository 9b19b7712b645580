// A jest `setupFilesAfterEnv` file (.projenrc.ts): every CloudFormation template a test synthesizes
// is validated against CloudFormation's resource schemas, without the test asking for it.
//
// Every way the tests get a template goes through `Stage.synth()`: `app.synth()`, `stage.synth()`,
// and `Template.fromStack()` (aws-cdk-lib/assertions synthesizes the stack's stage). So the hook
// wraps `Stage.prototype.synth` and checks each cloud assembly once, as it is produced: its stacks'
// templates, nested assemblies' (stages') stacks included, and nested stack templates.
//
// A violation fails the synth call with the list of violations (so the test that synthesized it fails).
// With CFN_SCHEMA_REPORT=<file>, violations are appended to that file as JSON lines instead, one per
// stack, naming the test: a survey of a whole suite in one run.
import * as fs from 'fs';
import * as path from 'path';
import { Stage, StageSynthesisOptions } from 'aws-cdk-lib';
import { formatViolations, validateTemplate } from './cfn-schema';

type Assembly = ReturnType<Stage['synth']>;

const WRAPPED = Symbol.for('cdk-flowlog-watch.validate-synthesized-templates');
const prototype = Stage.prototype as Stage & { [WRAPPED]?: true };

if (!prototype[WRAPPED]) {
  const synth = prototype.synth;
  // Stage.synth() hands back the same assembly until the app changes: check each once, fail every time.
  const failures = new WeakMap<Assembly, string | undefined>();
  prototype.synth = function synthAndValidate(this: Stage, options?: StageSynthesisOptions): Assembly {
    const assembly = synth.call(this, options);
    if (!failures.has(assembly)) {
      failures.set(assembly, validateAssembly(assembly));
    }
    const failure = failures.get(assembly);
    if (failure !== undefined) {
      throw new Error(failure);
    }
    return assembly;
  };
  prototype[WRAPPED] = true;
}

/** The failure message of an assembly's templates, or undefined when they are valid. */
function validateAssembly(assembly: Assembly): string | undefined {
  const failures: string[] = [];
  const directories = new Set<string>();
  for (const stack of assembly.stacksRecursively) {
    failures.push(...check(stack.template, `stack ${stack.hierarchicalId}`));
    directories.add(stack.assembly.directory);
  }
  for (const directory of directories) {
    for (const file of fs.readdirSync(directory).filter(f => f.endsWith('.nested.template.json'))) {
      failures.push(...check(JSON.parse(fs.readFileSync(path.join(directory, file), 'utf-8')), `nested stack ${file}`));
    }
  }
  return failures.length > 0 ? failures.join('\n\n') : undefined;
}

/** The failure message of one template, or none (none also when the violations go to the report file). */
function check(template: object, label: string): string[] {
  const violations = validateTemplate(template);
  if (violations.length === 0) return [];
  const reportFile = process.env.CFN_SCHEMA_REPORT;
  if (reportFile) {
    const { testPath, currentTestName } = expect.getState();
    const line = { test: path.relative(process.cwd(), testPath ?? ''), testName: currentTestName, template: label, violations };
    fs.appendFileSync(reportFile, JSON.stringify(line) + '\n');
    return [];
  }
  return [formatViolations(violations, label)];
}
