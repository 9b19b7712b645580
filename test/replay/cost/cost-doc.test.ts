import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../../examples/app';
import { writeCaptures } from '../../../examples/captures';
import { runCostCommand } from '../../../src/replay/cost/cost-cli';
import { Price, pricesForRegion, RegionPrices, S3_STORAGE_CLASSES, TieredPrice } from '../../../src/replay/cost/prices';

// docs/cost.md shows `flowlog-watch cost` on the example app, and a table of every us-east-1 price
// with its AWS page and whether a stored page showed it. Both are written from the code; these
// tests run the commands and rewrite the rows, so a price, a source or a line of the estimate
// changed in the code and not in the doc fails here.

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'cost.md'), 'utf8');

const NOT_IN_STORED_PAGES = /: AWS's published us-east-1 list price; the stored copy of the page does not show the price tab$/;

function figure(price: Price | TieredPrice): string {
  if ('usd' in price) return `$${price.usd} per ${price.unit}`;
  const bands = price.tiers.length === 1 && price.tiers[0].label === 'All'
    ? `$${price.tiers[0].usd}`
    : price.tiers.map(t => `${t.label}: $${t.usd}`).join('; ');
  return `${bands} per ${price.unit}`;
}

function shownBy(price: Price | TieredPrice): string {
  const partly = price.unconfirmed && NOT_IN_STORED_PAGES.test(price.unconfirmed)
    ? price.unconfirmed.replace(NOT_IN_STORED_PAGES, '') : undefined;
  if (price.corroboratedBy) return partly ? `shown by ${price.corroboratedBy}; not shown: ${partly}` : `shown by ${price.corroboratedBy}`;
  return 'not shown by a stored page';
}

function rows(table: RegionPrices): string[] {
  const named: Array<[string, Price | TieredPrice]> = [
    ['vendedLogsToCloudWatchLogs', table.vendedLogsToCloudWatchLogs],
    ['logsStorage', table.logsStorage],
    ['logsInsightsScanned', table.logsInsightsScanned],
    ['customMetrics', table.customMetrics],
    ['standardResolutionAlarmMetric', table.standardResolutionAlarmMetric],
    ['highResolutionAlarmMetric', table.highResolutionAlarmMetric],
    ['compositeAlarm', table.compositeAlarm],
    ['logAlarm', table.logAlarm],
    ['dashboard', table.dashboard],
    ['contributorInsightsRule', table.contributorInsightsRule],
    ['contributorInsightsMatchedEvents', table.contributorInsightsMatchedEvents],
    ['vendedLogsToS3', table.vendedLogsToS3],
    ['vendedLogsParquetConversion', table.vendedLogsParquetConversion],
    ...S3_STORAGE_CLASSES.map((c): [string, TieredPrice] => [`s3Storage.${c}`, table.s3Storage[c]]),
    ['s3PutRequests', table.s3PutRequests],
    ...Object.entries(table.s3TransitionRequests).map(([c, p]): [string, Price] => [`s3TransitionRequests.${c}`, p]),
    ['athenaScanned', table.athenaScanned],
  ];
  return named.map(([key, price]) => `| \`${key}\` | ${figure(price)} | ${price.source} | ${shownBy(price)} |`);
}

test("docs/cost.md's price table is the shipped us-east-1 table, row for row", () => {
  const documented = doc.split('\n').filter(line => /^\| `[A-Za-z0-9_.]+` \|/.test(line));
  expect(documented).toEqual(rows(pricesForRegion('us-east-1')));
});

describe("docs/cost.md's example outputs", () => {
  const examples = [...doc.matchAll(/```text\n\$ flowlog-watch (cost [^\n]*)\n([\s\S]*?)```/g)].map(m => ({ command: m[1], shown: m[2] }));
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-doc-'));
    // As `npx projen example` synthesizes it: the cdk CLI adds construct paths and no version reporting.
    const app = new App({ outdir: path.join(dir, 'example'), analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
    buildExampleApp(app).synth();
    writeCaptures(path.join(dir, 'example', 'FlowLogWatchNetwork.template.json'), path.join(dir, 'captures'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the doc shows three runs of the command', () => {
    expect(examples.map(e => e.command.split(' ')[2])).toEqual([
      'cdk.out/example/FlowLogWatchWorkload.template.json',
      'cdk.out/example/FlowLogWatchNetwork.template.json',
      'cdk.out/example/FlowLogWatchWorkload.template.json',
    ]);
  });

  test.each([0, 1, 2])('example %d is what the command prints, whole or cut at a section', async (index) => {
    const { command, shown } = examples[index];
    const argv = command.split(' ').slice(1).map(arg => arg.replace(/^cdk\.out\//, `${dir}/`));
    let out = '';
    let err = '';
    expect(await runCostCommand(argv, { stdout: t => out += t, stderr: t => err += t })).toBe(0);
    expect(err).toBe('');
    expect(out.slice(0, shown.length)).toBe(shown);
    // An abridged example ends where a section of the output ends (before a blank line).
    expect(out === shown || out.slice(shown.length).startsWith('\n')).toBe(true);
  });
});
