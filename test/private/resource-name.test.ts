import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FlowLogTarget, FlowLogWatch, SubnetRole } from '../../src';
import { ALARM_NAME, boundedName, characters, hashedName, INSIGHT_RULE_NAME, watchResourceName } from '../../src/private/resource-name';

describe('boundedName', () => {
  test('a name within its limit is returned as it is, up to the last character', () => {
    expect(boundedName('a'.repeat(250), '-tail', 255)).toBe(`${'a'.repeat(250)}-tail`);
  });

  test('over the limit: the head cut short, a hash of the whole, the tail kept, exactly at the limit', () => {
    const name = boundedName('a'.repeat(251), '-tail', 255);
    expect(characters(name)).toBe(255);
    expect(name).toMatch(/^a{241}-[0-9a-f]{8}-tail$/);
  });

  test('deterministic, and different for names that differ only in the part cut off', () => {
    const one = boundedName(`${'a'.repeat(300)}1`, '-x', 100);
    expect(boundedName(`${'a'.repeat(300)}1`, '-x', 100)).toBe(one);
    expect(boundedName(`${'a'.repeat(300)}2`, '-x', 100)).not.toBe(one);
  });

  test('counts Unicode characters, as AWS does, not UTF-16 units', () => {
    const emoji = '🙂'.repeat(10); // 20 UTF-16 units, 10 characters
    expect(boundedName(emoji, '', 10)).toBe(emoji);
    expect(characters(boundedName(`${emoji}!`, '', 10))).toBe(10);
  });

  test('hashedName always hashes, with the separator given', () => {
    expect(hashedName('net_watch', '', 255, 'Stack/Net_Watch', '_')).toMatch(/^net_watch_[0-9a-f]{8}$/);
    expect(hashedName('net_watch', '', 255, 'Stack/Net_Watch', '_')).not.toBe(hashedName('net_watch', '', 255, 'Stack/Net-Watch', '_'));
  });
});

describe('watchResourceName', () => {
  const watchAt = (id: string) => new Construct(new Stack(new App(), 'S'), id);

  test('`<path with ->-<suffix>` within the limit', () => {
    expect(watchResourceName(watchAt('Watch'), 'public-ssh-accepted', ALARM_NAME)).toBe('S-Watch-public-ssh-accepted');
  });

  test('characters a name may not have become _ (Contributor Insights rule names: printable ASCII only)', () => {
    expect(watchResourceName(watchAt('Wätch'), 'top-talkers', INSIGHT_RULE_NAME)).toBe('S-W_tch-top-talkers');
    expect(watchResourceName(watchAt('Wätch'), 'public-ssh-accepted', ALARM_NAME)).toBe('S-Wätch-public-ssh-accepted');
  });

  test('long paths keep the suffix and fit the limit', () => {
    const name = watchResourceName(watchAt('W'.repeat(200)), 'rejected-sources', INSIGHT_RULE_NAME);
    expect(characters(name)).toBe(128);
    expect(name).toMatch(/^S-W+-[0-9a-f]{8}-rejected-sources$/);
  });
});

describe('generated names that meet', () => {
  const eni = (n: number) => FlowLogTarget.fromNetworkInterfaceId(`eni-0${String(n).padStart(16, '0')}`, SubnetRole.PUBLIC);
  const env = (region: string) => ({ env: { account: '123456789012', region } });

  test('two watches whose paths are equal once / is - fail at synth, naming both', () => {
    const app = new App();
    const stack = new Stack(app, 'S', env('us-east-1'));
    new FlowLogWatch(stack, 'A-B', { target: eni(1), queryDefinitions: false });
    new FlowLogWatch(new Construct(stack, 'A'), 'B', { target: eni(2), queryDefinitions: false });
    expect(() => app.synth()).toThrow(/two resources would get the alarm name 'S-A-B-public-ssh-accepted' in 123456789012\/us-east-1: S\/A-B\/public-ssh-accepted and S\/A\/B\/public-ssh-accepted .*change a construct ID/);
  });

  test('so do two stacks of one environment (the stack name is the start of the path)', () => {
    const app = new App();
    new FlowLogWatch(new Stack(app, 'S-A', env('us-east-1')), 'B', { target: eni(1), queryDefinitions: false });
    new FlowLogWatch(new Stack(app, 'S', env('us-east-1')), 'A-B', { target: eni(2), queryDefinitions: false });
    expect(() => app.synth()).toThrow(/two resources would get the alarm name 'S-A-B-/);
  });

  test('the same names in two Regions are two names', () => {
    const app = new App();
    new FlowLogWatch(new Stack(app, 'S-A', env('us-east-1')), 'B', { target: eni(1), queryDefinitions: false });
    new FlowLogWatch(new Stack(app, 'S', env('eu-west-1')), 'A-B', { target: eni(2), queryDefinitions: false });
    expect(() => app.synth()).not.toThrow();
  });
});
