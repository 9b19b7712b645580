import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';

// Construct IDs are API: a stateful resource whose logical ID changes is replaced by
// CloudFormation, and a replaced log group (or key, or bucket) takes its data with it.
const STATEFUL_TYPES = ['AWS::Logs::LogGroup', 'AWS::EC2::FlowLog', 'AWS::S3::Bucket', 'AWS::KMS::Key'];

const PINNED: Record<string, string[]> = {
  FlowLogWatchNetwork: [
    'AWS::EC2::FlowLog EniWatchFlowLogA1C994DA',
    'AWS::EC2::FlowLog VpcWatchFlowLog750978B8',
    'AWS::KMS::Key FlowLogAlarmTopicKey2C262E8C',
    'AWS::Logs::LogGroup EniWatchLogGroup4AA492B7',
    'AWS::Logs::LogGroup VpcWatchLogGroup6F88EAFB',
  ],
  FlowLogWatchWorkload: [
    'AWS::EC2::FlowLog SubnetWatchArchiveFlowLogB19AC27B',
    'AWS::EC2::FlowLog SubnetWatchFlowLog98525999',
    'AWS::KMS::Key FlowLogAlarmTopicKey2C262E8C',
    'AWS::Logs::LogGroup SubnetWatchLogGroupC6E9814E',
    'AWS::S3::Bucket FlowLogArchiveBucketDCECA703',
  ],
};

test.each(Object.keys(PINNED))('the stateful resources of %s keep their logical IDs', (stackName) => {
  const app = buildExampleApp(new App());
  const resources = Template.fromStack(app.node.findChild(stackName) as any).toJSON().Resources as Record<string, { Type: string }>;
  const actual = Object.entries(resources).filter(([, r]) => STATEFUL_TYPES.includes(r.Type)).map(([id, r]) => `${r.Type} ${id}`).sort();
  const missing = PINNED[stackName].filter(id => !actual.includes(id));
  const added = actual.filter(id => !PINNED[stackName].includes(id));
  if (missing.length > 0) {
    throw new Error(`These stateful resources of ${stackName} changed logical ID or disappeared: ${missing.join(', ')}. `
      + "CloudFormation would delete them (or, for RETAIN, orphan them) and create new ones: a log group's flow logs, a key's "
      + "ability to decrypt, a bucket's archive would be lost to the stack. Restore the construct IDs; if the change is wanted, "
      + `plan the migration and update PINNED. New IDs: ${added.join(', ') || 'none'}`);
  }
  expect(added).toEqual([]);
});
