import { Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BAD_INPUTS, BadInput } from './bad-input.cases';

/** What building (and synthesizing) a row throws, if anything. */
function thrownBy(row: BadInput): unknown {
  try {
    const stack = row.build();
    if (stack) {
      Stage.of(stack)!.synth();
    }
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(['capture', 'alarms', 'archive', 'governance'])('%s', (area) => {
  const rows = BAD_INPUTS.filter(r => r.area === area);

  test.each(rows.filter(r => r.outcome === 'error').map(r => [r.input, r] as const))('fails: %s', (_, row) => {
    const error = thrownBy(row);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(row.message);
  });

  const warnings = rows.filter(r => r.outcome === 'warning');
  if (warnings.length > 0) {
    test.each(warnings.map(r => [r.input, r] as const))('warns: %s', (_, row) => {
      const stack = row.build();
      expect(stack).toBeDefined();
      Annotations.fromStack(stack!).hasWarning('*', Match.stringLikeRegexp(row.message.source));
    });
  }
});

test('every row names the prop in backticks (or the call that needs it)', () => {
  for (const row of BAD_INPUTS) {
    expect(row.message.source).toMatch(/`|\\\(\\\)|FlowLogBaseline/);
  }
});
