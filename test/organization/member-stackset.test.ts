import { App, AspectPriority, Aspects, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addMemberAccountStack } from '../../examples/organization';
import { FlowLogBaseline } from '../../src';

// A member-account stack deployed as a service-managed StackSet gets its template body and
// nothing else: no asset bucket (target accounts are not bootstrapped), no context lookups (the
// template is the same for every account and Region), no parameters but those the StackSet
// passes. This proves the baseline's template asks for none of that.

/** What a StackSet cannot provide, found in one synthesized stack. */
function stackSetBlockers(assembly: cxapi.CloudAssembly, stackName: string): string[] {
  const artifact = assembly.getStackByName(stackName);
  const template = artifact.template;
  const blockers: string[] = [];
  if (artifact.environment.account !== cxapi.UNKNOWN_ACCOUNT || artifact.environment.region !== cxapi.UNKNOWN_REGION) {
    blockers.push(`environment ${artifact.environment.name}`);
  }
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') {
      blockers.push(`custom resource ${id}`);
    }
    if (resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::CloudFormation::Stack') {
      blockers.push(`${resource.Type} ${id} (needs an asset)`);
    }
  }
  for (const [name, parameter] of Object.entries<any>(template.Parameters ?? {})) {
    blockers.push(`parameter ${name} (${parameter.Type}${parameter.Default !== undefined ? `, default ${parameter.Default}` : ''})`);
  }
  for (const name of Object.keys(template.Rules ?? {})) {
    blockers.push(`rule ${name}`);
  }
  if (artifact.assets.length > 0) {
    blockers.push(`assets ${artifact.assets.map(a => a.id).join(', ')}`);
  }
  const assetManifests = assembly.artifacts.filter(a => a.manifest.type === cxschema.ArtifactType.ASSET_MANIFEST);
  for (const manifest of assetManifests as cxapi.AssetManifestArtifact[]) {
    const contents = cxschema.Manifest.loadAssetManifest(manifest.file);
    const files = Object.keys(contents.files ?? {}).length + Object.keys(contents.dockerImages ?? {}).length;
    if (files > 0) {
      blockers.push(`asset manifest ${manifest.id} with ${files} asset(s)`);
    }
  }
  for (const missing of assembly.manifest.missing ?? []) {
    blockers.push(`context lookup ${missing.key}`);
  }
  return blockers;
}

/** An app with every feature flag a new CDK project turns on (cdk.json of `cdk init`). */
function recommendedFlagsApp(): App {
  return new App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
}

test('the example member stack (baseline, organization archive, tamper alert) needs nothing a StackSet cannot provide', () => {
  const app = recommendedFlagsApp();
  const stack = addMemberAccountStack(app);
  const assembly = app.synth();
  expect(stackSetBlockers(assembly, stack.stackName)).toEqual([]);

  // and it is the real thing: a watched VPC with alarms, archived to the organization bucket
  const types = Object.values<any>(assembly.getStackByName(stack.stackName).template.Resources).map(r => r.Type);
  expect(types.filter(t => t === 'AWS::EC2::FlowLog')).toHaveLength(2);
  expect(types).toEqual(expect.arrayContaining(['AWS::Logs::LogGroup', 'AWS::Logs::MetricFilter', 'AWS::CloudWatch::Alarm', 'AWS::Events::Rule']));
});

test('control: the default synthesizer adds the bootstrap-version parameter and rule, which a StackSet target does not have', () => {
  const app = new App();
  const stack = new Stack(app, 'Member');
  new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
  Aspects.of(stack).add(new FlowLogBaseline(), { priority: AspectPriority.MUTATING });
  expect(stackSetBlockers(app.synth(), 'Member')).toEqual(expect.arrayContaining([
    'parameter BootstrapVersion (AWS::SSM::Parameter::Value<String>, default /cdk-bootstrap/hnb659fds/version)',
    'rule CheckBootstrapVersion',
  ]));
});

test('control: a construct that needs an asset fails under the bootstrapless synthesizer', () => {
  const app = recommendedFlagsApp();
  const stack = new Stack(app, 'Member', { synthesizer: new BootstraplessSynthesizer() });
  // With the recommended flags, a VPC restricts its default security group through a custom resource (a Lambda asset).
  expect(() => new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  })).toThrow(/Cannot add assets to a Stack that uses the BootstraplessSynthesizer/);
});

test('control: a lookup is reported as one', () => {
  const app = new App();
  const stack = new Stack(app, 'Member', { env: { account: '123456789012', region: 'us-east-1' }, synthesizer: new BootstraplessSynthesizer() });
  const existing = ec2.Vpc.fromLookup(stack, 'Existing', { vpcId: 'vpc-12345678' });
  new ec2.CfnSubnet(stack, 'Subnet', { vpcId: existing.vpcId, cidrBlock: '10.0.0.0/24' });
  expect(stackSetBlockers(app.synth(), 'Member')).toEqual(expect.arrayContaining([
    'environment aws://123456789012/us-east-1',
    expect.stringMatching(/^context lookup vpc-provider:/),
  ]));
});
