import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { testStack } from '../util';

function eniTarget() {
  return FlowLogTarget.fromNetworkInterfaceId('eni-0123456789abcdef0', SubnetRole.PUBLIC);
}

test('warns when the stack nears 500 resources', () => {
  const stack = testStack();
  for (let i = 0; i < 16; i++) {
    new FlowLogWatch(stack, `Watch${i}`, { target: FlowLogTarget.fromNetworkInterfaceId(`eni-${String(i).padStart(8, '0')}`, SubnetRole.PRIVATE) });
  }
  for (let i = 0; i < 180; i++) {
    new logs.LogGroup(stack, `Filler${i}`);
  }
  Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp("near CloudFormation's limit of 500 per stack"));
  const small = testStack();
  new FlowLogWatch(small, 'Watch', { target: eniTarget() });
  Annotations.fromStack(small).hasNoWarning('/TestStack', Match.anyValue());
});
