import { App, Stack } from 'aws-cdk-lib';
import { checkRecords, checkReplayOptions, checkStack } from '../../../src/replay/private/replay-api-validation';

test('checkStack accepts a Stack and refuses anything else, saying what it got', () => {
  expect(() => checkStack(new Stack(new App(), 'S'))).not.toThrow();
  expect(() => checkStack(undefined)).toThrow('`stack` must be a Stack (aws-cdk-lib), got undefined');
  expect(() => checkStack(new App())).toThrow('`stack` must be a Stack (aws-cdk-lib), got an object (App)');
});

test('checkReplayOptions: undefined is no options; each option has its type; an unknown option is named', () => {
  expect(checkReplayOptions(undefined)).toEqual({});
  expect(checkReplayOptions({ refs: { A: 'a' }, logGroup: 'G' })).toEqual({ refs: { A: 'a' }, logGroup: 'G' });
  expect(() => checkReplayOptions('refs' as any)).toThrow("`options` must be an object ({ refs?, logGroup?, maxDisorder? }), got string 'refs'");
  expect(() => checkReplayOptions({ ref: {} } as any)).toThrow("`options` has no option 'ref'; the options are refs, logGroup, maxDisorder");
  expect(() => checkReplayOptions({ refs: ['a'] } as any)).toThrow("`options.refs` must be an object of strings ({ LogicalId: 'value' }), got an array of 1");
  expect(() => checkReplayOptions({ refs: { A: 1 } } as any)).toThrow('`options.refs.A` must be a string (the deployed value of A), got number 1');
  expect(() => checkReplayOptions({ logGroup: '' })).toThrow("`options.logGroup` must be a log group's logical ID or construct path, got string ''");
});

test('checkRecords: an array of strings; the first element that is not one is named by its index', () => {
  expect(() => checkRecords([])).not.toThrow();
  expect(() => checkRecords(['a', 'b'])).not.toThrow();
  expect(() => checkRecords('a b c')).toThrow("`records` must be an array of strings (flow-log records, one per element), got string 'a b c'");
  expect(() => checkRecords(['a', 42, null])).toThrow('`records[1]` must be a string (a flow-log record), got number 42');
  // eslint-disable-next-line no-sparse-arrays
  expect(() => checkRecords(['a', , 'c'])).toThrow('`records[1]` must be a string (a flow-log record), got undefined');
});
