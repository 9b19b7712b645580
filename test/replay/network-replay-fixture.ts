import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { FlowLogTarget, FlowLogWatch } from '../../src';
import { threeTierVpc } from '../util';

/**
 * A network stack's template written to a temporary directory, with the deployed subnet IDs of its
 * nine subnets (`refs`, and as `--ref` arguments): what the command-line tests replay against. The
 * first private subnet is `privateSubnet` (logical ID `privateId`).
 */
export function networkReplayFixture(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = (name: string, content: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
  const app = new App();
  const stack = new Stack(app, 'Network');
  const vpc = threeTierVpc(stack);
  new FlowLogWatch(stack, 'VpcWatch', { target: FlowLogTarget.fromVpc(vpc) });
  const template = file('Network.template.json', JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template));
  const privateSubnet = 'subnet-0aaaaaaaaaaaaaaa1';
  const refs: Record<string, string> = Object.fromEntries([...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets].map((s, i) =>
    [stack.resolve(s.subnetId).Ref, s === vpc.privateSubnets[0] ? privateSubnet : `subnet-${String(i).padStart(17, '0')}`]));
  const refArgs = Object.entries(refs).flatMap(([id, value]) => ['--ref', `${id}=${value}`]);
  const privateId = stack.resolve(vpc.privateSubnets[0].subnetId).Ref as string;
  return { dir, file, stack, template, privateSubnet, privateId, refs, refArgs };
}
