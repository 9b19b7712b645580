import { awscdk, javascript } from 'projen';

// The lowest aws-cdk-lib the library compiles and passes its tests against.
// README ("Compatibility") names the feature that sets it; `bench/peer-floor.sh` checks it.
const CDK_FLOOR = '2.197.0';
// Tests and the example app run against a current aws-cdk-lib.
const CDK_CURRENT = '2.276.0';
// The aws-cdk CLI's npm `latest` (3.0.0) is an old release that cannot read current assemblies.
const CDK_CLI = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-flowlog-watch',
  description: 'VPC Flow Logs for a VPC, subnet or ENI with bounded retention, secure delivery and role-aware alarms, in one line of AWS CDK.',
  author: 'cdk-flowlog-watch maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-flowlog-watch/cdk-flowlog-watch.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'vpc', 'flow-logs', 'cloudwatch', 'alarms', 'security', 'compliance'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.0.5',
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    `aws-cdk-lib@${CDK_CURRENT}`,
    'constructs@^10.5.0',
    `aws-cdk@${CDK_CLI}`,
    // Compliance proof: cdk-nag rule packs and the cfn-guard binary with AWS Control Tower rules.
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    // CloudFormation's resource schemas (the database aws-cdk-lib's L1s are generated from):
    // every template the tests synthesize is validated against them.
    '@aws-cdk/aws-service-spec@^0.1.216',
    // Clang and LLD built for WebAssembly, from npm: the replay bench compiles its WebAssembly floor
    // (bench/private/wasm-floor.c) with it, with no compiler installed on the machine.
    '@yowasp/clang@22.0.0-git20542-10',
  ],
  jsiiVersion: '~6.0.0',

  publishToPypi: { distName: 'cdk-flowlog-watch', module: 'cdk_flowlog_watch' },
  publishToMaven: {
    javaPackage: 'io.github.cdkflowlogwatch',
    mavenGroupId: 'io.github.cdk-flowlog-watch',
    mavenArtifactId: 'cdk-flowlog-watch',
  },
  publishToNuget: { dotNetNamespace: 'CdkFlowlogWatch', packageId: 'CdkFlowlogWatch' },
  publishToGo: { moduleName: 'github.com/cdk-flowlog-watch/cdk-flowlog-watch-go' },

  jestOptions: {
    // Never rewrite snapshots during a normal test run: a stale snapshot must fail.
    // `npx projen test:update` rewrites them on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestVersion: '^29',
    jestConfig: {
      // Every template a test synthesizes is validated against CloudFormation's resource schemas.
      setupFilesAfterEnv: ['<rootDir>/test/schema/validate-synthesized-templates.ts'],
    },
  },
  // test/tsconfig.json is the dev tsconfig (jest, ts-node); its paths are relative to test/.
  tsconfigDev: { include: ['../examples/**/*.ts', '../bench/**/*.ts'], compilerOptions: {} },
  gitignore: ['cdk.out', '/bench/results', '.jsii.tabl.json'],
});

for (const path of ['/examples', '/bench', '/.ci', '/scripts', '/cdk.out']) {
  project.addPackageIgnore(path);
}

// jest 30 and eslint-import-resolver-typescript 4 depend on unrs-resolver, whose platform
// packages the registry here does not all serve: npm then writes a lock file that `npm ci`
// rejects. jest 29 and resolver 3.6 do without it.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@3.6.3');
// ts-jest needs jest-util, an optional peer that jest 29 does not hoist.
project.addDevDeps('jest-util@^29');

project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('bench');

// Only the JavaScript package is built here; the release pipeline packages Python, Java,
// .NET and Go in jobs of their own (`package:python` …), which need toolchains this
// build does not have.
// The replay command line: `flowlog-watch replay --template FILE [LOGFILE|DIR]...`.
project.package.addBin({ 'flowlog-watch': 'lib/replay/cli.js' });

const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);

// README code blocks must compile against the built assembly (fixtures in rosetta/).
project.postCompileTask.exec('jsii-rosetta extract --strict');
project.addPackageIgnore('.jsii.tabl.json');
// README's pictures and long-form docs stay in the repository.
project.addPackageIgnore('/docs');

const tsNode = 'ts-node --project test/tsconfig.json';
const synthExample = `cdk synth --app "${tsNode} examples/app.ts" --output cdk.out/example --quiet --no-notices --no-version-reporting`;
project.addTask('example', {
  description: 'Synthesize the example app with the aws-cdk CLI and print what it creates',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  steps: [
    { exec: synthExample },
    { exec: `${tsNode} examples/summary.ts cdk.out/example` },
  ],
});

// The example captures (examples/captures.ts) replayed against the example network stack's template.
const networkTemplate = 'cdk.out/example/FlowLogWatchNetwork.template.json';
const replayExample = `${tsNode} src/replay/cli.ts replay --template ${networkTemplate} --log-group VpcWatch/LogGroup --refs cdk.out/captures/refs.json`;
project.addTask('replay-example', {
  description: 'Synthesize the example app, generate the example captures, and replay them: the port scan fires two alarms, the quiet day none',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  steps: [
    { exec: synthExample },
    { exec: `${tsNode} examples/captures.ts ${networkTemplate} cdk.out/captures` },
    { say: 'The port scan (Wednesday, one hour): the public SSH-accepted and private rejected-flows alarms and the port-scan detection fire' },
    {
      exec: `${replayExample} --expect-alarm FlowLogWatchNetwork-VpcWatch-public-ssh-accepted `
        + '--expect-alarm FlowLogWatchNetwork-VpcWatch-private-rejected-flows --expect-alarm FlowLogWatchNetwork-VpcWatch-port-scan '
        + 'cdk.out/captures/port-scan.log',
    },
    { say: 'The quiet day (Tuesday, 24 hours): no alarm fires (quiet is proven only for simulated alarms: the anomaly alarms are accepted unproven by name)' },
    {
      exec: `${replayExample} --expect-quiet `
        + ['public-rejected-flows-anomaly', 'public-egress-anomaly', 'private-egress-anomaly']
          .map(alarm => `--allow-unsimulated FlowLogWatchNetwork-VpcWatch-${alarm} `).join('')
        + 'cdk.out/captures/quiet-day.log',
    },
  ],
});

project.addTask('check', {
  description: 'Full build and tests; fails when the build changed a tracked file (stale API.md, snapshot, projen file)',
  steps: [
    { spawn: 'build' },
    { exec: 'bash scripts/assert-clean-tree.sh' },
  ],
});

project.synth();
