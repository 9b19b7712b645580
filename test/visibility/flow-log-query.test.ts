import { FlowLogField, FlowLogFormat, FlowLogQuery } from '../../src';

const KIT_NAMES = FlowLogFormat.KIT.fields.map(f => f.name.replace(/-/g, '_'));
const ALL_FIELD_NAMES = FlowLogField.all().map(f => f.name.replace(/-/g, '_'));

/** The catalogue's field names a query's body (after the parse statement) reads. */
function fieldsRead(query: string): string[] {
  const body = query.slice(query.indexOf('\n'));
  return ALL_FIELD_NAMES.filter(name => new RegExp(`\\b${name}\\b`).test(body.replace(/"[^"]*"/g, '""')));
}

describe('FlowLogQuery', () => {
  test('the parse statement has one glob and one name per field of the format, in order', () => {
    const parse = FlowLogQuery.parseStatement(FlowLogFormat.KIT);
    const [, globs, names] = /^parse @message "([* ]+)" as (.*)$/.exec(parse)!;
    expect(globs.split(' ')).toHaveLength(FlowLogFormat.KIT.fields.length);
    expect(names.split(', ')).toEqual(KIT_NAMES);
    expect(names).toContain('account_id, interface_id');
  });

  test.each(FlowLogQuery.ALL.map(q => [q.title, q] as const))('%s parses the kit format and reads only its fields', (_, query) => {
    const text = query.renderQuery(FlowLogFormat.KIT);
    expect(text.split('\n')[0]).toBe(FlowLogQuery.parseStatement(FlowLogFormat.KIT));
    expect(text.split('\n').slice(1).every(line => line.startsWith('| '))).toBe(true);
    const read = fieldsRead(text);
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter(f => !KIT_NAMES.includes(f))).toEqual([]);
  });

  test('a custom format: queries reading fields it lacks are not supported and name them; the others parse its own fields', () => {
    const custom = FlowLogFormat.fromFieldNames(['version', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
      'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'subnet-id']);
    expect(FlowLogQuery.TOP_TALKING_INSTANCES.supports(custom)).toBe(false);
    expect(FlowLogQuery.TOP_TALKING_INSTANCES.missingFields(custom)).toEqual(['instance-id']);
    expect(FlowLogQuery.IPV4_VS_IPV6_BYTES.missingFields(custom)).toEqual(['type']);
    expect(() => FlowLogQuery.IPV4_VS_IPV6_BYTES.renderQuery(custom)).toThrow("query 'IPv4 vs IPv6 bytes' reads type, which the format does not record");
    const subnets = FlowLogQuery.TOP_TALKING_SUBNETS.renderQuery(custom);
    expect(subnets).toContain('as version, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action, log_status, subnet_id\n');
    expect(subnets).toContain('by subnet_id');
    expect(FlowLogQuery.ALL.filter(q => q.supports(custom)).map(q => q.id)).toEqual([
      'AcceptedTraffic', 'RejectedTraffic', 'RejectedTcpTraffic', 'SshRdpTraffic', 'AdminPortTraffic', 'RejectedSources', 'TopTalkers',
      'TopTalkingSubnets', 'BytesBetweenPairs', 'TrafficFromAddress', 'TrafficToAddress',
    ]);
  });

  test('the analyses filter what their titles say', () => {
    const body = (q: FlowLogQuery) => q.renderQuery(FlowLogFormat.KIT).split('\n').slice(1).join('\n');
    expect(body(FlowLogQuery.REJECTED_TCP_TRAFFIC)).toMatch(/^\| filter action = "REJECT" and protocol = 6\n/);
    expect(body(FlowLogQuery.SSH_RDP_TRAFFIC)).toMatch(/filter protocol = 6 and dstport in \[22, 3389\]/);
    expect(body(FlowLogQuery.ADMIN_PORT_TRAFFIC)).toMatch(/dstport in \[21, 22, 23, 445, 3389, 5900, 5985, 5986\]/);
    expect(body(FlowLogQuery.TOP_TALKERS)).toMatch(/stats sum\(bytes\) as bytes, sum\(packets\) as packets, count\(\*\) as flows by srcaddr\n\| sort bytes desc/);
    expect(body(FlowLogQuery.TRAFFIC_TO_ADDRESS)).toContain('filter dstaddr = "ADDRESS"');
  });

  test('whoTalksToPort filters the port; a port out of range fails naming it', () => {
    expect(FlowLogQuery.whoTalksToPort(5432)).toMatchObject({ id: 'WhoTalksToPort5432', title: 'Who talks to port 5432' });
    expect(FlowLogQuery.whoTalksToPort(5432).renderQuery(FlowLogFormat.KIT)).toContain('| filter dstport = 5432\n');
    expect(() => FlowLogQuery.whoTalksToPort(70000)).toThrow('whoTalksToPort: port must be an integer from 0 to 65535, got 70000');
    expect(() => FlowLogQuery.whoTalksToPort(22.5)).toThrow('got 22.5');
  });
});
