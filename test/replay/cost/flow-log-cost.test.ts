import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { fullTemplate } from './fixtures';
import { FlowLogTarget, FlowLogWatch } from '../../../src';
import { FlowLogCost } from '../../../src/replay/cost';
import { threeTierVpc } from '../../util';

const M = 730 / 24;

test('estimates a stack: ingestion at the vended-logs price, storage for the retention, totals of the lines', () => {
  const app = new App();
  const stack = new Stack(app, 'Network');
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
  const estimate = FlowLogCost.fromStack(stack).estimate({ gbPerDay: 1 });
  expect(estimate.region).toBe('us-east-1');
  const ingestion = estimate.lineItems.find(i => i.item.startsWith('ingestion'))!;
  expect(ingestion.monthlyUsd).toBeCloseTo(1 * M * 0.50);
  const storage = estimate.lineItems.find(i => i.item === 'storage')!;
  expect(storage.quantity).toBeCloseTo(1 * 0.15 * 180); // the default retention (six months), 0.15 of the bytes
  expect(estimate.monthlyUsd).toBeCloseTo(estimate.lineItems.reduce((sum, i) => sum + i.monthlyUsd, 0));
});

test('estimates a template file, with options', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-cost-')), 't.json');
  fs.writeFileSync(file, JSON.stringify(fullTemplate()));
  const cost = FlowLogCost.fromTemplateFile(file);
  const base = cost.estimate({ gbPerDay: 10 });
  const withAthena = cost.estimate({ gbPerDay: 10, athenaRunsPerMonth: 2, compressionRatio: 0.1 });
  const athena = withAthena.lineItems.find(i => i.category === 'Athena')!;
  expect(athena.monthlyUsd).toBeCloseTo(2 * (10 * 0.1) / 1024 * 5.00);
  expect(base.lineItems.find(i => i.category === 'Athena')!.monthlyUsd).toBe(0);
  expect(cost.estimate({ gbPerDay: 10, freeTier: true }).monthlyUsd).toBeLessThan(base.monthlyUsd);
});

test('fails on a bad volume, an unknown Region, a missing file, a stack without flow logs', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowlog-cost-')), 't.json');
  fs.writeFileSync(file, JSON.stringify(fullTemplate()));
  const cost = FlowLogCost.fromTemplateFile(file);
  expect(() => cost.estimate({ gbPerDay: -1 })).toThrow('`gbPerDay` must be a number of GB ≥ 0, got -1');
  expect(() => cost.estimate({ gbPerDay: 1, region: 'mars-1' })).toThrow("`region` has no price table: got 'mars-1'; known Regions: us-east-1");
  expect(() => FlowLogCost.fromTemplateFile(path.join(path.dirname(file), 'nope.json'))).toThrow(/cannot read the template .*nope\.json/);
  const noFlowLogs = new Stack(new App(), 'Topics');
  new CfnResource(noFlowLogs, 'Topic', { type: 'AWS::SNS::Topic' });
  expect(() => FlowLogCost.fromStack(noFlowLogs).estimate({ gbPerDay: 1 })).toThrow('the template has no AWS::EC2::FlowLog: there is nothing to estimate');
});
