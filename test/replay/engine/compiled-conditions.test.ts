import { App } from 'aws-cdk-lib';
import { offsets } from './kit-records';
import { buildExampleApp } from '../../../examples/app';
import { subnetsOf } from '../../../examples/captures';
import { scenarios } from '../../../examples/scenarios';
import { compileQueryConditions } from '../../../src/replay/engine/compiled-conditions';
import { compileRecordTest } from '../../../src/replay/engine/logs-insights-partials';
import { parseLogsInsightsQuery } from '../../../src/replay/engine/logs-insights-query';
import { readTemplateLogAlarms } from '../../../src/replay/engine/template-log-alarm';

/** Both evaluators over the records: per record, per query, the compiled answer and the reference one. */
function compare(queryStrings: string[], records: string[]) {
  const queries = queryStrings.map(q => parseLogsInsightsQuery(q));
  const columnsOf = queries.map(q => new Map(q.parsed.map((name, i) => [name, i])));
  const compiled = compileQueryConditions(queries.map((q, n) => ({ conditions: q.filters, columnOf: (f: string) => columnsOf[n].get(f)! })));
  const reference = queries.map((q, n) => compileRecordTest(q.filters, f => columnsOf[n].get(f)!));
  const answers = new Uint8Array(queries.length);
  const matched = queries.map(() => 0);
  const disagreements: string[] = [];
  for (const record of records) {
    const { starts, ends } = offsets(record);
    compiled(record, starts, ends, answers);
    reference.forEach((test, n) => {
      const expected = test(record, starts, ends);
      if ((answers[n] === 1) !== expected) disagreements.push(`query ${n} on ${record}`);
      if (expected) matched[n]++;
    });
  }
  return { disagreements, matched };
}

test('the example network stack\'s detection queries (seven per watch): the same answers as the reference evaluator on every scenario record', () => {
  const template = buildExampleApp(new App()).synth().getStackByName('FlowLogWatchNetwork').template;
  const subnets = subnetsOf(template);
  const refs = Object.fromEntries(subnets.map(s => [s.logicalId, s.id]));
  // A log alarm's accumulation key starts with its QueryString.
  const queryStrings = [...new Set(readTemplateLogAlarms(template, refs).map(a => a.query!.key.split('\u0000')[0]))];
  expect(queryStrings.length).toBeGreaterThanOrEqual(7);
  const records = scenarios(subnets).flatMap(s => s.records).filter(r => !r.startsWith('version'));
  const { disagreements, matched } = compare(queryStrings, records);
  expect(disagreements).toEqual([]);
  // Every query matched some records and not others: the comparison is not between constant answers.
  matched.forEach(m => {
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThan(records.length);
  });
});

const PARSE = 'parse @message "* * * *" as a, b, c, d';

test.each([
  ['a number literal is false on "-" for every operator', 'filter b = 5 or b != 5 or b < 5 or b <= 5 or b > 5 or b >= 5', ['x - y z', 'x 5 y z', 'x 7 y z']],
  ['string comparisons, equal and ordered', 'filter a = "x" and c != "y" or a < "m" or d >= "q"', ['x 1 y z', 'x 1 w z', 'a 1 y b', 'z 1 y q']],
  ['in with numbers and strings; not in', 'filter b in [1, 2, "three"] and not c in ["y"]', ['x 1 y z', 'x three w z', 'x 4 w z', 'x 2 w z']],
  ['IPv4 and IPv6 subnets, and an address that is neither', 'filter isIpv4InSubnet(a, "10.0.0.0/8") or isIpv6InSubnet(c, "2001:db8::/32")',
    ['10.1.2.3 1 - z', '11.0.0.1 1 2001:db8::5 z', '- 1 2001:db9::5 z', '010.0.0.1 1 y z']],
  ['no conditions: every record', '', ['x 1 y z']],
])('%s', (_, filter, records) => {
  const { disagreements } = compare([`${PARSE}${filter ? `\n| ${filter}` : ''}`], records);
  expect(disagreements).toEqual([]);
});
