import { Match, Template } from 'aws-cdk-lib/assertions';
import { FlowLogDetectionRoles, FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack } from '../util';

test('one query role and one log-lines role per stack, each trusted by its service and reading the watched log groups only', () => {
  const stack = testStack();
  new FlowLogWatch(stack, 'A', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PRIVATE) });
  new FlowLogWatch(stack, 'B', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef1', SubnetRole.PRIVATE) });
  const template = Template.fromStack(stack);
  const roles = FlowLogDetectionRoles.of(stack);
  expect(FlowLogDetectionRoles.of(stack.node.findChild('A'))).toBe(roles);
  const logGroupArns = ['A', 'B'].map(w => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${w}LogGroup`), 'Arn'] }));
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'logs.amazonaws.com' } })] },
    Policies: [{
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: ['logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:DescribeLogGroups'], Resource: logGroupArns,
        })],
      },
    }],
  });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })] },
    Policies: [{ PolicyDocument: { Statement: [Match.objectLike({ Action: 'logs:GetQueryResults', Resource: logGroupArns })] } }],
  });
});

test('no detection roles without detections', () => {
  const stack = testStack();
  new FlowLogWatch(stack, 'A', { target: FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PRIVATE), detections: { enabled: false } });
  expect(stack.node.tryFindChild('FlowLogDetectionRoles')).toBeUndefined();
});
