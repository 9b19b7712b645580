import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { Scenario, writeScenarios } from '../../examples/scenarios';

/** The log group of the example network stack's VPC watch, which the scenarios' records come from. */
export const SCENARIO_LOG_GROUP = 'VpcWatchLogGroup6F88EAFB';

export interface ScenarioFiles {
  readonly dir: string;
  readonly templateFile: string;
  readonly refsFile: string;
  readonly refs: Record<string, string>;
  readonly scenarios: Scenario[];
}

/**
 * The example network stack's template and the labelled scenarios (examples/scenarios.ts) written into a
 * new temporary directory: `<name>.log` per scenario, and `refs.json` with the subnets' deployed IDs.
 */
export function writeScenarioFiles(prefix: string): ScenarioFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = buildExampleApp(new App());
  const templateFile = path.join(dir, 'network.template.json');
  fs.writeFileSync(templateFile, JSON.stringify(app.synth().getStackByName('FlowLogWatchNetwork').template));
  const scenarios = writeScenarios(templateFile, dir);
  const refsFile = path.join(dir, 'refs.json');
  return { dir, templateFile, refsFile, refs: JSON.parse(fs.readFileSync(refsFile, 'utf8')), scenarios };
}
