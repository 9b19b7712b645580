import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FlowLogFormat, FlowLogQueries, FlowLogQuery, FlowLogTarget, FlowLogWatch } from '../../src';
import { testStack, threeTierVpc } from '../util';

describe('FlowLogWatch queryDefinitions', () => {
  test('by default, every query, named in a folder of the stack, reading the watch\'s log group', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', FlowLogQuery.ALL.length);
    const logGroup = stack.resolve(watch.logGroup.logGroupName);
    for (const query of FlowLogQuery.ALL) {
      template.hasResourceProperties('AWS::Logs::QueryDefinition', {
        Name: `FlowLogs/TestStack/${query.title}`,
        QueryString: query.renderQuery(FlowLogFormat.KIT),
        LogGroupNames: [logGroup],
      });
    }
    expect(watch.queries).toBe(FlowLogQueries.of(stack, FlowLogFormat.KIT));
    expect(watch.queries!.queryDefinitions).toHaveLength(FlowLogQuery.ALL.length);
    expect(stack.resolve(watch.queries!.queryDefinitions[0].logicalId)).toMatch(/^FlowLogQueriesAcceptedTraffic/);
  });

  test('watches of one format in a stack share one set, which reads all their log groups', () => {
    const stack = testStack();
    const vpcs = [threeTierVpc(stack, 'VpcA'), threeTierVpc(stack, 'VpcB'), threeTierVpc(stack, 'VpcC')];
    const watches = vpcs.map((vpc, i) => new FlowLogWatch(stack, `Watch${i}`, { target: FlowLogTarget.fromVpc(vpc) }));
    new FlowLogWatch(stack, 'Quiet', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'VpcD')), queryDefinitions: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', FlowLogQuery.ALL.length);
    template.allResourcesProperties('AWS::Logs::QueryDefinition', {
      LogGroupNames: watches.map(w => stack.resolve(w.logGroup.logGroupName)),
    });
  });

  test('queryDefinitions: false saves none, and addQuery then fails', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), queryDefinitions: false });
    expect(watch.queries).toBeUndefined();
    expect(() => watch.addQuery(FlowLogQuery.whoTalksToPort(22)))
      .toThrow("addQuery: TestStack/VpcWatch has queryDefinitions: false, so it has no saved queries to add 'Who talks to port 22' to");
    Template.fromStack(stack).resourceCountIs('AWS::Logs::QueryDefinition', 0);
  });

  test('another format gets its own set in a format folder, without the queries it cannot answer, and says so', () => {
    const stack = testStack();
    const logFormat = FlowLogFormat.fromFieldNames(['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
      'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'vpc-id', 'subnet-id']);
    const narrow = new FlowLogWatch(stack, 'Narrow', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)), logFormat, alarms: { enabled: false } });
    new FlowLogWatch(stack, 'Kit', { target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Vpc2')) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 2 * FlowLogQuery.ALL.length - 2);
    expect(narrow.queries!.node.id).toMatch(/^FlowLogQueries[0-9a-f]{8}$/);
    template.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: Match.stringLikeRegexp('^FlowLogs/TestStack/format-[0-9a-f]{8}/Top talking subnets$'),
      QueryString: Match.stringLikeRegexp('as version, account_id, interface_id, .*, vpc_id, subnet_id\n'),
      LogGroupNames: [stack.resolve(narrow.logGroup.logGroupName)],
    });
    Annotations.fromStack(stack).hasInfo(`/TestStack/${narrow.queries!.node.id}`, Match.stringLikeRegexp(
      'queries left out, their fields are not in the format: Top talking instances \\(needs instance-id\\); IPv4 vs IPv6 bytes \\(needs type\\)'));
  });

  test('addQuery saves one more for the stack; a query the format cannot answer, or a second of the same ID, fails', () => {
    const stack = testStack();
    const watch = new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(threeTierVpc(stack)) });
    watch.addQuery(FlowLogQuery.whoTalksToPort(5432));
    expect(() => watch.addQuery(FlowLogQuery.whoTalksToPort(5432))).toThrow("addQuery: TestStack/FlowLogQueries already has the query 'WhoTalksToPort5432'");
    const narrow = new FlowLogWatch(stack, 'Narrow', {
      target: FlowLogTarget.fromVpc(threeTierVpc(stack, 'Vpc2')), alarms: { enabled: false }, logFormat: FlowLogFormat.AWS_DEFAULT,
    });
    expect(() => narrow.addQuery(FlowLogQuery.TOP_TALKING_SUBNETS))
      .toThrow("addQuery: query 'Top talking subnets' reads subnet-id, which the logFormat does not record");
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'FlowLogs/TestStack/Who talks to port 5432',
      QueryString: Match.stringLikeRegexp('filter dstport = 5432'),
    });
  });

  test('more than 50 log groups on one set fail synthesis: a Logs Insights query reads at most 50', () => {
    const stack = testStack();
    const vpc = threeTierVpc(stack);
    for (let i = 0; i < 51; i++) {
      new FlowLogWatch(stack, `Watch${i}`, { target: FlowLogTarget.fromSubnet(vpc.privateSubnets[0]), alarms: { enabled: false } });
    }
    expect(() => Template.fromStack(stack)).toThrow(/51 log groups share the saved queries of TestStack\/FlowLogQueries, and a Logs Insights query reads at most 50/);
  });
});
