import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { buildExampleApp } from '../../examples/app';
import { FlowLogAlarmTopic, FlowLogArchiveBucket, FlowLogAthena, FlowLogBaseline, FlowLogDashboard, FlowLogDeliveryRole, FlowLogQueries, FlowLogTarget, FlowLogWatch } from '../../src';
import { everythingOn, threeTierVpc } from '../util';

// cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA and PCI DSS 3.2.1 packs over apps that use the
// library: the findings on resources the library creates are exactly the documented ones.

interface Finding { readonly rule: string; readonly path: string }

/** Synthesizes the app with the four packs and returns every finding on the library's constructs. */
function libraryFindings(app: App, outdir: string): Finding[] {
  // A control: an unencrypted topic that allows plain HTTP, which every pack flags.
  new sns.Topic(app.node.children.find(Stack.isStack)!, 'ControlTopic');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app));
  try {
    app.synth();
  } catch (e) {
    // Policy validation throws when any finding is an error; the report is written either way.
    expect(String(e)).toMatch(/ValidationFailed/);
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  // The control topic below proves that every pack ran: each reports it.
  for (const pack of ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
    const plugin = report.pluginReports.find((p: any) => p.pluginName === pack);
    expect(plugin?.violations.some((v: any) => v.violatingConstructs.some((c: any) => c.constructPath.endsWith('/ControlTopic/Resource')))).toBe(true);
  }
  const library = new Set(app.node.findAll().filter(isLibraryConstruct).map(c => c.node.path));
  expect(library.size).toBeGreaterThan(20);
  return report.pluginReports.flatMap((plugin: any) => plugin.violations.flatMap((v: any) =>
    v.violatingConstructs.filter((c: any) => library.has(c.constructPath)).map((c: any) => ({ rule: v.ruleName, path: c.constructPath }))));
}

function isLibraryConstruct(c: IConstruct): boolean {
  return c.node.scopes.some(s => s instanceof FlowLogWatch || s instanceof FlowLogDeliveryRole || s instanceof FlowLogAlarmTopic
    || s instanceof FlowLogArchiveBucket || s instanceof FlowLogAthena || s instanceof FlowLogQueries || s instanceof FlowLogDashboard);
}

function newApp(): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-'));
  return { app: new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } }), outdir };
}

test('the example app under the baseline: only the KMS findings of NIST, HIPAA and PCI, and the archive bucket\'s documented ones', () => {
  const { app, outdir } = newApp();
  buildExampleApp(app);
  Aspects.of(app).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });

  const findings = libraryFindings(app, outdir);

  const logGroups = [
    'FlowLogWatchNetwork/EniWatch/LogGroup/Resource',
    'FlowLogWatchNetwork/VpcWatch/LogGroup/Resource',
    'FlowLogWatchWorkload/SubnetWatch/LogGroup/Resource',
    'FlowLogWatchWorkload/Vpc/FlowLogWatch/LogGroup/Resource',
  ];
  const packs = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
  const archive = 'FlowLogWatchWorkload/FlowLogArchiveBucket/Bucket/Resource';
  const expected = [
    ...packs.flatMap(pack => logGroups.map(p => ({ rule: `${pack}-CloudWatchLogGroupEncrypted`, path: p }))),
    // The workload's S3 archive without a key, server access logs or replication (each the user's choice; see the next tests).
    { rule: 'AwsSolutions-S1', path: archive },
    ...packs.flatMap(pack => ['S3BucketLoggingEnabled', 'S3BucketReplicationEnabled', 'S3DefaultEncryptionKMS']
      .map(rule => ({ rule: `${pack}-${rule}`, path: archive }))),
  ];
  expect(sorted(findings)).toEqual(sorted(expected));
});

test('with a customer-managed key, the library draws no finding at all', () => {
  const { app, outdir } = newApp();
  const stack = new Stack(app, 'Encrypted');
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), encryptionKey: key });
  new ec2.CfnVPC(stack, 'Legacy', { cidrBlock: '10.9.0.0/16' });
  Aspects.of(app).add(new FlowLogBaseline({ encryptionKey: key }), { priority: AspectPriority.MUTATING });

  expect(libraryFindings(app, outdir)).toEqual([]);
});

test('with the S3 archive and Athena (on a watch and the baseline), dashboards and Contributor Insights: only the archive bucket\'s logging and replication findings', () => {
  const { app, outdir } = newApp();
  const { stack, key } = everythingOn(app, 'Archived');
  // The baseline, archiving too: its watch shares the stack's archive bucket and Athena resources.
  new ec2.CfnVPC(stack, 'Legacy', { cidrBlock: '10.9.0.0/16' });
  Aspects.of(app).add(new FlowLogBaseline({ encryptionKey: key, archive: { encryptionKey: key } }), { priority: AspectPriority.MUTATING });

  const bucket = 'Archived/FlowLogArchiveBucket/Bucket/Resource';
  // Server access logs go to a bucket of the organization's (`archive.serverAccessLogsBucket`); replication to
  // another Region is the organization's choice of a second bucket. README documents both.
  const expected = [
    'AwsSolutions-S1',
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap(pack => [`${pack}-S3BucketLoggingEnabled`, `${pack}-S3BucketReplicationEnabled`]),
  ].map(rule => ({ rule, path: bucket }));
  expect(sorted(libraryFindings(app, outdir))).toEqual(sorted(expected));
});

test('with server access logs to a bucket of yours, only the replication findings remain', () => {
  const { app, outdir } = newApp();
  const stack = new Stack(app, 'Archived');
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  const accessLogs = s3.Bucket.fromBucketName(stack, 'AccessLogs', 'org-access-logs-123456789012');
  new FlowLogWatch(stack, 'VpcWatch', {
    target: FlowLogTarget.fromVpc(threeTierVpc(stack)), encryptionKey: key, archive: { encryptionKey: key, serverAccessLogsBucket: accessLogs },
  });

  const expected = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']
    .map(pack => ({ rule: `${pack}-S3BucketReplicationEnabled`, path: 'Archived/FlowLogArchiveBucket/Bucket/Resource' }));
  expect(sorted(libraryFindings(app, outdir))).toEqual(sorted(expected));
});

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => `${a.rule} ${a.path}`.localeCompare(`${b.rule} ${b.path}`));
}
