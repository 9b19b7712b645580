import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { buildExampleApp } from '../../examples/app';
import { FlowLogBaseline, FlowLogTarget, FlowLogWatch } from '../../src';
import { controlIdOfRule, controlTowerCatalog, controlTowerRules, ControlTowerRule, GuardResult, runGuard } from '../cfn-guard';
import { everythingOn, threeTierVpc } from '../util';

/**
 * The AWS Control Tower proactive controls shipped in @cdklabs/cdk-validator-cfnguard, run with
 * its bundled cfn-guard over the example app under the org-wide baseline.
 *
 * Families: CloudWatch (which also holds the CloudWatch Logs log-group controls), SNS, KMS, IAM
 * and EC2. The bundle has no LOGS or SNS family today; any control it gains in these families
 * runs here without a change.
 */
const FAMILIES = ['CLOUDWATCH', 'LOGS', 'SNS', 'KMS', 'IAM', 'EC2'];

/** The resources the library creates, by their construct path. */
const LIBRARY_PATHS = ['/FlowLogWatch', '/VpcWatch/', '/EniWatch/', '/SubnetWatch/', 'FlowLogDeliveryRole/', 'FlowLogAlarmTopic/'];

/**
 * The controls that fail on the library's resources, and on which (construct paths, without
 * the trailing `/Resource`). Anything else failing, or one of these passing, fails the test.
 */
const EXPECTED_LIBRARY_FINDINGS: Record<string, string[]> = {
  // By design: flow-log log groups keep 3 days to 6 months (README "Org-wide baseline"), and
  // CT.CLOUDWATCH.PR.2 requires at least 365 days. Longer history belongs in an S3 archive.
  'CT.CLOUDWATCH.PR.2': [
    'FlowLogWatchNetwork/EniWatch/LogGroup',
    'FlowLogWatchNetwork/VpcWatch/LogGroup',
    'FlowLogWatchWorkload/SubnetWatch/LogGroup',
    'FlowLogWatchWorkload/Vpc/FlowLogWatch/LogGroup',
  ],
  // Closed by the user's choice: without `encryptionKey` a flow-log log group is encrypted by
  // CloudWatch Logs' service-owned key, and the control wants a KmsKeyId. With a key it passes
  // (the last test below); README "Compliance results" says so.
  'CT.CLOUDWATCH.PR.3': [
    'FlowLogWatchNetwork/EniWatch/LogGroup',
    'FlowLogWatchNetwork/VpcWatch/LogGroup',
    'FlowLogWatchWorkload/SubnetWatch/LogGroup',
    'FlowLogWatchWorkload/Vpc/FlowLogWatch/LogGroup',
  ],
};

// Findings on the example's own VPC resources are out of scope and not asserted. Today:
// CT.EC2.PR.11 (subnets must not auto-assign public IPs) on the public subnets of both VPCs.

const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
buildExampleApp(app);
const assembly = app.synth();
// The watches' stacks; the organization and log-archive stacks have their own proof (test/organization/compliance.test.ts).
const WATCH_STACKS = ['FlowLogWatchNetwork', 'FlowLogWatchWorkload'];
const templates: Record<string, any> = Object.fromEntries(assembly.stacks
  .filter(s => WATCH_STACKS.includes(s.stackName)).map(s => [s.stackName, s.template]));

const selected: ControlTowerRule[] = controlTowerCatalog().filter(r => FAMILIES.includes(r.family));
const result: GuardResult = runGuard(controlTowerRules(r => FAMILIES.includes(r.family)), templates);

function pathOf(stack: string, logicalId: string): string {
  const resource = templates[stack].Resources[logicalId];
  const cdkPath: string | undefined = resource?.Metadata?.['aws:cdk:path'];
  if (!cdkPath) {
    throw new Error(`${stack}/${logicalId} has no aws:cdk:path metadata`);
  }
  return cdkPath.replace(/\/Resource$/, '');
}

const isLibraryPath = (p: string) => LIBRARY_PATHS.some(l => p.includes(l));

/** Control ID to the sorted construct paths it fails on, across stacks, split by who owns the resource. */
function findings(owner: (p: string) => boolean): Record<string, string[]> {
  const byControl: Record<string, string[]> = {};
  for (const [stack, r] of Object.entries(result)) {
    for (const failure of r.failures) {
      const id = controlIdOfRule(failure.rule) ?? failure.rule;
      if (failure.resources.length === 0) {
        throw new Error(`${id} (${failure.rule}) failed on ${stack} without naming a resource: ${failure.messages.join(' / ')}`);
      }
      const paths = failure.resources.map(l => pathOf(stack, l)).filter(owner);
      if (paths.length > 0) {
        byControl[id] = [...(byControl[id] ?? []), ...paths].sort();
      }
    }
  }
  return byControl;
}

test('the example app under the baseline has one VPC-level flow log per VPC (the baseline adds no duplicate)', () => {
  for (const [stack, template] of Object.entries(templates)) {
    const resources: Record<string, any> = template.Resources;
    const vpcs = Object.keys(resources).filter(id => resources[id].Type === 'AWS::EC2::VPC');
    expect({ stack, vpcs: vpcs.length }).toEqual({ stack, vpcs: 1 });
    for (const vpc of vpcs) {
      const vpcFlowLogs = Object.keys(resources).filter(id => resources[id].Type === 'AWS::EC2::FlowLog'
        && resources[id].Properties.ResourceType === 'VPC' && resources[id].Properties.ResourceId?.Ref === vpc);
      expect({ stack, vpc, vpcFlowLogs: vpcFlowLogs.map(id => pathOf(stack, id)) }).toEqual({
        stack,
        vpc,
        // the network VPC is watched by the example itself; the workload VPC (a subnet watch only) by the baseline
        vpcFlowLogs: [stack === 'FlowLogWatchNetwork' ? 'FlowLogWatchNetwork/VpcWatch/FlowLog/FlowLog' : 'FlowLogWatchWorkload/Vpc/FlowLogWatch/FlowLog/FlowLog'],
      });
    }
  }
});

test('the CloudWatch, Logs, SNS, KMS, IAM and EC2 controls of the bundle run', () => {
  const families = [...new Set(selected.map(r => r.family))].sort();
  expect(families).toEqual(expect.arrayContaining(['CLOUDWATCH', 'EC2', 'IAM', 'KMS']));
  expect(selected.map(r => r.id)).toContain('CT.CLOUDWATCH.PR.2');
  // each applicable control was evaluated on each template: passed or failed, none silently dropped
  for (const r of Object.values(result)) {
    const evaluated = [...r.passedRules, ...r.failedRules, ...r.skippedRules];
    for (const rule of selected) {
      expect(evaluated).toEqual(expect.arrayContaining(rule.ruleNames));
    }
  }
});

test('the controls that apply to the library\'s resources pass, but for the documented exceptions', () => {
  expect(findings(isLibraryPath)).toEqual(EXPECTED_LIBRARY_FINDINGS);
});

test('the alarm, key-rotation and IAM controls apply and pass on both stacks', () => {
  const passing = (stack: string) => result[stack].passedRules.map(r => controlIdOfRule(r) ?? r).sort();
  for (const stack of Object.keys(templates)) {
    expect(passing(stack)).toEqual(expect.arrayContaining([
      'CT.CLOUDWATCH.PR.1', // an alarm has an action
      'CT.CLOUDWATCH.PR.4', // alarm actions are enabled
      'CT.KMS.PR.1', // the topic's key rotates
    ]));
    expect(passing(stack).filter(id => id.startsWith('CT.IAM.')).length).toBeGreaterThan(0);
  }
});

test('with a customer-managed key the log-group encryption control passes: only CT.CLOUDWATCH.PR.2 remains', () => {
  const encryptedApp = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(encryptedApp, 'Encrypted');
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), encryptionKey: key });
  const template = encryptedApp.synth().getStackByName('Encrypted').template;
  const encrypted = runGuard(controlTowerRules(r => FAMILIES.includes(r.family)), { Encrypted: template });
  const failed: Record<string, string[]> = {};
  for (const failure of encrypted.Encrypted.failures) {
    const paths = failure.resources.map(id => String(template.Resources[id]?.Metadata?.['aws:cdk:path']).replace(/\/Resource$/, '')).filter(isLibraryPath);
    if (paths.length > 0) {
      failed[controlIdOfRule(failure.rule) ?? failure.rule] = paths.sort();
    }
  }
  expect(failed).toEqual({ 'CT.CLOUDWATCH.PR.2': ['Encrypted/VpcWatch/LogGroup'] });
});

test('with the S3 archive on, the S3 controls run on its bucket too: only its documented findings', () => {
  const archivedApp = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  everythingOn(archivedApp, 'Archived');
  const template = archivedApp.synth().getStackByName('Archived').template;
  const families = [...FAMILIES, 'S3'];
  const evaluated = runGuard(controlTowerRules(r => families.includes(r.family)), { Archived: template });
  const failed: Record<string, string[]> = {};
  for (const failure of evaluated.Archived.failures) {
    const paths = failure.resources.map(id => String(template.Resources[id]?.Metadata?.['aws:cdk:path']).replace(/\/Resource$/, ''))
      .filter(p => isLibraryPath(p) || p.includes('FlowLogArchiveBucket/'));
    if (paths.length > 0) {
      failed[controlIdOfRule(failure.rule) ?? failure.rule] = paths.sort();
    }
  }
  expect(controlTowerCatalog().filter(r => r.family === 'S3').length).toBeGreaterThan(3);
  const bucket = ['Archived/FlowLogArchiveBucket/Bucket'];
  expect(failed).toEqual({
    'CT.CLOUDWATCH.PR.2': ['Archived/VpcWatch/LogGroup'],
    // Server access logs go to the organization's access-log bucket: `archive.serverAccessLogsBucket` closes it.
    'CT.S3.PR.2': bucket,
    // Event notifications: nothing in the kit consumes object-created events of the archive.
    'CT.S3.PR.4': bucket,
    // Object Lock: a retention lock on security logs is the organization's decision (and fixes the
    // lifecycle), so the kit leaves it to a bucket of yours (`archive.bucket`). README says so.
    'CT.S3.PR.9': bucket,
  });
});
