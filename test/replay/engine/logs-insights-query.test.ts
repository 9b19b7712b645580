import { KIT_FIELDS, KIT_PARSE } from './kit-records';
import {
  ipv4At, ipv6At, NotSimulatedError, parseAggregationExpression, parseCidr, parseLogsInsightsQuery, samePrefix,
} from '../../../src/replay/engine/logs-insights-query';

const q = (body: string) => parseLogsInsightsQuery(`${KIT_PARSE}\n| ${body}`);

test('the kit parse glob names the 23 fields in record order', () => {
  expect(parseLogsInsightsQuery(KIT_PARSE)).toEqual({
    parsed: KIT_FIELDS, filters: [], stats: undefined, rowCommands: [], resultFields: KIT_FIELDS,
  });
  expect(parseLogsInsightsQuery('parse "* *" as a, b').parsed).toEqual(['a', 'b']); // @message is the default field
});

test('a detection query: filter with in, subnets and not, then stats with names and by', () => {
  const query = q('filter action = "REJECT" and flow_direction = "ingress" and dstport in [22, 3389] and isIpv4InSubnet(srcaddr, "10.0.0.0/16") '
    + 'and not isIpv4InSubnet(dstaddr, "10.0.0.0/8")\n'
    + '| stats count_distinct(dstport) as ports, count(*) as flows, sum(bytes) as bytes, max(packets) as p by srcaddr, dstaddr');
  const cmp = (field: string, value: string | number) => ({ kind: 'compare', field, op: '=', value });
  expect(query.filters).toEqual([{
    kind: 'and',
    left: {
      kind: 'and',
      left: { kind: 'and', left: { kind: 'and', left: cmp('action', 'REJECT'), right: cmp('flow_direction', 'ingress') }, right: { kind: 'in', field: 'dstport', values: [22, 3389] } },
      right: { kind: 'subnet', version: 4, field: 'srcaddr', cidr: '10.0.0.0/16' },
    },
    right: { kind: 'not', operand: { kind: 'subnet', version: 4, field: 'dstaddr', cidr: '10.0.0.0/8' } },
  }]);
  expect(query.stats).toEqual({
    functions: [
      { fn: 'count_distinct', field: 'dstport', name: 'ports' },
      { fn: 'count', field: undefined, name: 'flows' },
      { fn: 'sum', field: 'bytes', name: 'bytes' },
      { fn: 'max', field: 'packets', name: 'p' },
    ],
    by: ['srcaddr', 'dstaddr'],
  });
  expect(query.resultFields).toEqual(['srcaddr', 'dstaddr', 'ports', 'flows', 'bytes', 'p']);
});

test('not binds tighter than and, and than or; parentheses group', () => {
  const a = { kind: 'compare', field: 'srcport', op: '=', value: 1 };
  const b = { kind: 'compare', field: 'dstport', op: '!=', value: 2 };
  const c = { kind: 'compare', field: 'bytes', op: '>=', value: 3 };
  expect(q('filter srcport = 1 or dstport != 2 and bytes >= 3').filters).toEqual([{ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } }]);
  expect(q('filter (srcport = 1 or dstport != 2) and bytes >= 3').filters).toEqual([{ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c }]);
  expect(q('filter not srcport = 1 and dstport != 2').filters).toEqual([{ kind: 'and', left: { kind: 'not', operand: a }, right: b }]);
});

test('every comparison operator, string and number literals, negative numbers, in and not in', () => {
  const ops = ['=', '!=', '<', '<=', '>', '>='];
  for (const op of ops) {
    expect(q(`filter bytes ${op} -1.5`).filters).toEqual([{ kind: 'compare', field: 'bytes', op, value: -1.5 }]);
  }
  expect(q('filter action = \'ACCEPT\'').filters).toEqual([{ kind: 'compare', field: 'action', op: '=', value: 'ACCEPT' }]);
  expect(q('filter action = "say \\"hi\\""').filters).toEqual([{ kind: 'compare', field: 'action', op: '=', value: 'say "hi"' }]);
  expect(q('filter dstport not in [22, "x"]').filters).toEqual([{ kind: 'not', operand: { kind: 'in', field: 'dstport', values: [22, 'x'] } }]);
  expect(q('filter isIpv6InSubnet(srcaddr, "2001:db8::/32")').filters).toEqual([{ kind: 'subnet', version: 6, field: 'srcaddr', cidr: '2001:db8::/32' }]);
});

test('filters before stats test events; after stats they, sort and limit run on its rows', () => {
  const query = q('filter action = "REJECT" | filter protocol = 6 | stats count(*) as flows by srcaddr | filter flows > 100 | sort flows desc | limit 5');
  expect(query.filters).toHaveLength(2);
  expect(query.rowCommands).toEqual([
    { kind: 'filter', condition: { kind: 'compare', field: 'flows', op: '>', value: 100 } },
    { kind: 'sort', field: 'flows', descending: true },
    { kind: 'limit', count: 5 },
  ]);
});

test('an unnamed stats column is named by its text; fields and display narrow the results', () => {
  expect(q('stats count(*), sum(bytes) by srcaddr').resultFields).toEqual(['srcaddr', 'count(*)', 'sum(bytes)']);
  expect(q('stats count() as n by srcaddr | display n').resultFields).toEqual(['n']);
  expect(q('fields srcaddr, dstport | filter dstport = 22').resultFields).toEqual(['srcaddr', 'dstport']);
});

test('comments and line breaks are ignored', () => {
  const query = parseLogsInsightsQuery(`# who scans\n${KIT_PARSE} # the kit's fields\n| filter action = "REJECT" # rejected only\n| stats count(*) as n by srcaddr`);
  expect(query.stats?.by).toEqual(['srcaddr']);
});

test.each([
  ['stats count(*) by bin(5m)', '`bin()` in `by` is not simulated'],
  ['filter action like "REJ"', '`like` is not simulated'],
  ['filter action = /REJ/', 'regular expressions are not simulated'],
  ['dedup srcaddr', '`dedup` is not simulated'],
  ['sort bytes desc | stats count(*) by srcaddr', '`sort` of log events (before or without `stats`) is not simulated'],
  ['limit 10', '`limit` of log events (before or without `stats`) is not simulated'],
  ['stats count(*) as n by srcaddr | sort n', '`sort` without `asc` or `desc` is not simulated (the default order is not documented)'],
  ['stats pct(bytes, 50) by srcaddr', '`pct()` is not simulated'],
  ['filter bytes / packets > 100', 'arithmetic is not simulated'],
  ['filter srcaddr = dstaddr', 'comparing two fields (`srcaddr = dstaddr`) is not simulated'],
  ['filter @timestamp > 0', '`@timestamp` is not simulated (replay knows only the fields that `parse` and `stats` make)'],
  ['filter nosuch = 1', '`nosuch` is not a field at that point of the query (fields there: ' + KIT_FIELDS.join(', ') + ')'],
  ['fields srcaddr | filter dstport = 22', '`dstport` is not a field at that point of the query (fields there: srcaddr)'],
  ['stats count(*) as n by srcaddr | stats count(*) as m', 'a second `stats` is not simulated'],
  ['filter bytes == 1', '`==` is not a Logs Insights comparison operator (`=` is)'],
  ['filter strlen(srcaddr) > 3', '`strlen()` is not simulated'],
  ['filter isIpv4InSubnet(srcaddr, "10.0.0.0/33")', '`isIpv4InSubnet()`: "10.0.0.0/33" is not an IPv4 CIDR'],
  ['stats count(*) as a, sum(bytes) as a', '`stats` makes two columns of the same name'],
  ['filter action = "REJECT" |', 'an empty command (`||` or a trailing `|`)'],
])('"%s" is not simulated: %s', (body, reason) => {
  expect(() => q(body)).toThrow(NotSimulatedError);
  expect(() => q(body)).toThrow(reason);
});

test.each([
  ['parse @message "* [*] *" as a, b, c', 'the `parse` glob "* [*] *" is not simulated: only one `*` per space-separated field ("* * … *")'],
  ['parse @message "* *" as a', 'the `parse` glob has 2 `*` and 1 names; they must be as many [P]'],
  ['parse @logStream "*" as a', '`parse` of `@logStream` is not simulated (only of @message)'],
  ['filter action = "REJECT"', '`action` is used but no `parse` makes it'],
  ['parse "* *" as a, b | parse a "*" as c', '`parse` is simulated only as the first command, once'],
  ['parse @message /(?<a>.*)/', 'regular expressions are not simulated'],
])('a query %s is not simulated: %s', (query, reason) => {
  expect(() => parseLogsInsightsQuery(query)).toThrow(reason);
});

test('aggregation expressions: a function, by fields, and sort by value', () => {
  expect(parseAggregationExpression('count(*)')).toEqual({ fn: 'count', field: undefined, by: [], sort: undefined });
  expect(parseAggregationExpression('max(ports) by srcaddr | sort desc')).toEqual({ fn: 'max', field: 'ports', by: ['srcaddr'], sort: 'desc' });
  expect(parseAggregationExpression('avg(bytes) by srcaddr, dstaddr | sort asc')).toEqual({ fn: 'avg', field: 'bytes', by: ['srcaddr', 'dstaddr'], sort: 'asc' });
  expect(parseAggregationExpression('sum(bytes)').fn).toBe('sum');
  expect(parseAggregationExpression('min(p)').fn).toBe('min');
});

test.each([
  ['count_distinct(dstport) by srcaddr', '`count_distinct()` in an AggregationExpression is not simulated: the log alarm documentation lists count(*), avg, sum, min and max'],
  ['count(*), sum(bytes)', 'an AggregationExpression has a single aggregation function [LA]'],
  ['count(*) by a, b, c, d, e, f', 'an AggregationExpression\'s `by` takes at most 5 fields [LA], got 6'],
  ['count(*) by bin(5m)', '`bin()` in `by` is not simulated (nor supported by AWS in an AggregationExpression [LA])'],
  ['count(*) | limit 5', 'after `|`, an AggregationExpression takes only `sort asc` or `sort desc` [LA]'],
  ['count(*) | sort up', '`sort` takes `asc` or `desc`, got `up`'],
])('aggregation %s is not simulated: %s', (expression, reason) => {
  expect(() => parseAggregationExpression(expression)).toThrow(reason);
});

test('IPv4 and IPv6 addresses and CIDRs parse in place; prefixes compare bit by bit', () => {
  const out = new Uint32Array(1);
  expect(ipv4At('x 10.0.1.5 y', 2, 10, out)).toBe(true);
  expect(out[0]).toBe(((10 * 256 + 0) * 256 + 1) * 256 + 5);
  for (const bad of ['10.0.1', '10.0.1.256', '10..1.5', '10.0.1.5.6', '-', 'a.b.c.d', '1000.0.0.1', '']) {
    expect(ipv4At(bad, 0, bad.length, out)).toBe(false);
  }
  const v6 = new Uint32Array(4);
  expect(ipv6At('2001:db8::1', 0, 11, v6)).toBe(true);
  expect([...v6]).toEqual([0x20010db8, 0, 0, 1]);
  expect(ipv6At('::ffff:192.0.2.1', 0, 16, v6)).toBe(true);
  expect([...v6]).toEqual([0, 0, 0xffff, 0xc0000201]);
  expect(ipv6At('1:2:3:4:5:6:7:8', 0, 15, v6)).toBe(true);
  expect([...v6]).toEqual([0x10002, 0x30004, 0x50006, 0x70008]);
  for (const bad of ['1::2::3', '1:2:3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', '1:']) {
    expect(ipv6At(bad, 0, bad.length, v6)).toBe(false);
  }
  const net = parseCidr(4, '10.0.0.0/16')!;
  expect(net.prefix).toBe(16);
  ipv4At('10.0.255.1', 0, 10, out);
  expect(samePrefix(out, net.words, 16)).toBe(true);
  ipv4At('10.1.0.1', 0, 8, out);
  expect(samePrefix(out, net.words, 16)).toBe(false);
  expect(samePrefix(out, net.words, 0)).toBe(true);
  expect(parseCidr(4, '10.0.0.0/x')).toBeUndefined();
  expect(parseCidr(6, '2001:db8::/129')).toBeUndefined();
  expect(parseCidr(4, '192.0.2.1')!.prefix).toBe(32);
});

// "Use the where command as an alias for the filter command. It accepts identical syntax and behavior."
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Where.html)
test('where is an alias of filter: the same conditions, before and after stats', () => {
  const viaFilter = q('filter action = "REJECT" and dstport in [22, 3389] | stats count(*) as n by srcaddr | filter n > 10');
  const viaWhere = q('where action = "REJECT" and dstport in [22, 3389] | stats count(*) as n by srcaddr | where n > 10');
  expect(viaWhere).toEqual(viaFilter);
  expect(() => q('where action = /REJ/')).toThrow('regular expressions are not simulated');
});
