import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { addMemberAccountStack, addOrganizationStacks } from '../../examples/organization';
import {
  FlowLogAlarmTopic, FlowLogDeliveryRole, FlowLogOrganization, FlowLogOrganizationArchive, FlowLogTamperAlert, FlowLogTamperProtectionPolicy,
  FlowLogWatch,
} from '../../src';
import { controlIdOfRule, controlTowerCatalog, controlTowerRules, runGuard } from '../cfn-guard';

// cdk-nag's four packs and the Control Tower proactive controls over the organization example
// (organization, log-archive and member StackSet stacks): the findings on resources the library
// creates are exactly the documented ones. Findings on the example's own VPC are out of scope.

interface Finding { readonly rule: string; readonly path: string }

const PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const FAMILIES = ['CLOUDWATCH', 'LOGS', 'SNS', 'KMS', 'IAM', 'EC2', 'S3', 'CLOUDTRAIL'];

function isLibraryConstruct(c: IConstruct): boolean {
  const library = [FlowLogOrganization, FlowLogOrganizationArchive, FlowLogTamperProtectionPolicy, FlowLogTamperAlert, FlowLogAlarmTopic,
    FlowLogWatch, FlowLogDeliveryRole];
  return c.node.scopes.some(s => library.some(type => s instanceof type));
}

function nagFindings(build: (app: App) => void, minLibraryConstructs = 10): Finding[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-org-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  // A control that every pack flags: proves each pack ran.
  new sns.Topic(app.node.children.find(Stack.isStack)!, 'ControlTopic');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app));
  try {
    app.synth();
  } catch (e) {
    expect(String(e)).toMatch(/ValidationFailed/);
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  for (const pack of ['AwsSolutions', ...PACKS]) {
    const plugin = report.pluginReports.find((p: any) => p.pluginName === pack);
    expect(plugin?.violations.some((v: any) => v.violatingConstructs.some((c: any) => c.constructPath.endsWith('/ControlTopic/Resource')))).toBe(true);
  }
  const library = new Set(app.node.findAll().filter(isLibraryConstruct).map(c => c.node.path));
  expect(library.size).toBeGreaterThan(minLibraryConstructs);
  return sorted(report.pluginReports.flatMap((plugin: any) => plugin.violations.flatMap((v: any) =>
    v.violatingConstructs.filter((c: any) => library.has(c.constructPath)).map((c: any) => ({ rule: v.ruleName, path: c.constructPath })))));
}

function controlTowerFindings(build: (app: App) => void, passing: Record<string, string[]> = {}): Record<string, string[]> {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  const templates: Record<string, any> = Object.fromEntries(app.synth().stacks.map(s => [s.stackName, s.template]));
  // after synthesis: the baseline's watches are added by an aspect
  const library = new Set(app.node.findAll().filter(isLibraryConstruct).map(c => c.node.path));
  const result = runGuard(controlTowerRules(r => FAMILIES.includes(r.family)), templates);
  const byControl: Record<string, string[]> = {};
  for (const [stack, r] of Object.entries(result)) {
    passing[stack] = r.passedRules.map(rule => controlIdOfRule(rule) ?? rule);
    for (const failure of r.failures) {
      const paths = failure.resources.map(id => String(templates[stack].Resources[id]?.Metadata?.['aws:cdk:path'])).filter(p => library.has(p));
      if (paths.length > 0) {
        const id = controlIdOfRule(failure.rule) ?? failure.rule;
        byControl[id] = [...(byControl[id] ?? []), ...paths.map(p => p.replace(/\/Resource$/, ''))].sort();
      }
    }
  }
  return byControl;
}

function exampleApp(app: App): void {
  addOrganizationStacks(app);
  addMemberAccountStack(app);
}

const ARCHIVE_BUCKET = 'FlowLogWatchLogArchive/FlowLogArchive/Bucket/Resource';
const MEMBER_LOG_GROUP = 'FlowLogWatchMember/Vpc/FlowLogWatch/LogGroup/Resource';

test('cdk-nag: the organization stack draws no finding; the archive bucket and the member log group only their documented ones', () => {
  expect(nagFindings(exampleApp)).toEqual(sorted([
    // The archive without a key, server access logs or replication: each the organization's choice (next test).
    { rule: 'AwsSolutions-S1', path: ARCHIVE_BUCKET },
    ...PACKS.flatMap(pack => ['S3BucketLoggingEnabled', 'S3BucketReplicationEnabled', 'S3DefaultEncryptionKMS'].map(rule => ({ rule: `${pack}-${rule}`, path: ARCHIVE_BUCKET }))),
    // The member watch's log group without `encryptionKey` (as in the single-account baseline).
    ...PACKS.map(pack => ({ rule: `${pack}-CloudWatchLogGroupEncrypted`, path: MEMBER_LOG_GROUP })),
  ]));
});

test('cdk-nag: an archive with a customer-managed key and server access logs leaves only the replication findings', () => {
  const findings = nagFindings(app => {
    const stack = new Stack(app, 'LogArchive');
    new FlowLogOrganizationArchive(stack, 'FlowLogArchive', {
      organizationId: 'o-exampleorg1',
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'org-access-logs-111111111111'),
    });
  }, 3);
  expect(findings).toEqual(sorted(PACKS.map(pack => ({ rule: `${pack}-S3BucketReplicationEnabled`, path: 'LogArchive/FlowLogArchive/Bucket/Resource' }))));
});

test('Control Tower: the controls that apply pass on the organization stack; the archive and member log group fail only the documented ones', () => {
  expect(controlTowerCatalog().filter(r => r.family === 'S3').length).toBeGreaterThan(3);
  const passing: Record<string, string[]> = {};
  expect(controlTowerFindings(exampleApp, passing)).toEqual({
    // 3 days to 6 months by design; the archive keeps longer (README "Org-wide baseline").
    'CT.CLOUDWATCH.PR.2': ['FlowLogWatchMember/Vpc/FlowLogWatch/LogGroup'],
    'CT.CLOUDWATCH.PR.3': ['FlowLogWatchMember/Vpc/FlowLogWatch/LogGroup'],
    // Server access logs: `serverAccessLogsBucket`.
    'CT.S3.PR.2': ['FlowLogWatchLogArchive/FlowLogArchive/Bucket'],
    // Event notifications: nothing consumes object-created events of the archive.
    'CT.S3.PR.4': ['FlowLogWatchLogArchive/FlowLogArchive/Bucket'],
    // Object Lock: the organization's decision, as for the stack archive.
    'CT.S3.PR.9': ['FlowLogWatchLogArchive/FlowLogArchive/Bucket'],
    // SSE-KMS: `encryptionKey`.
    'CT.S3.PR.10': ['FlowLogWatchLogArchive/FlowLogArchive/Bucket'],
  });
  // the organization stack's alarm-topic key rotates, its IAM controls apply; the archive bucket is TLS-only and not public
  expect(passing.FlowLogWatchOrganization).toEqual(expect.arrayContaining(['CT.KMS.PR.1']));
  expect(passing.FlowLogWatchLogArchive).toEqual(expect.arrayContaining(['CT.S3.PR.1']));
});

test('Control Tower: a customer-managed key and server access logs close CT.S3.PR.10 and CT.S3.PR.2', () => {
  const findings = controlTowerFindings(app => {
    const stack = new Stack(app, 'LogArchive');
    new FlowLogOrganizationArchive(stack, 'FlowLogArchive', {
      organizationId: 'o-exampleorg1',
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'org-access-logs-111111111111'),
    });
  });
  expect(findings).toEqual({ 'CT.S3.PR.4': ['LogArchive/FlowLogArchive/Bucket'], 'CT.S3.PR.9': ['LogArchive/FlowLogArchive/Bucket'] });
});

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => `${a.rule} ${a.path}`.localeCompare(`${b.rule} ${b.path}`));
}
