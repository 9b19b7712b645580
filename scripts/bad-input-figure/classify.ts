// Copied by run.sh into a scratch worktree as test/validation/classify.test.ts (never run in CI).
import * as fs from 'fs';
import { Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BAD_INPUTS } from './bad-input.cases';

test('classify every row against this code', () => {
  const rows = BAD_INPUTS.map(row => {
    let error: any;
    let stack: any;
    try {
      stack = row.build();
      if (stack) Stage.of(stack)!.synth();
    } catch (e) {
      error = e;
    }
    let warned = false;
    if (!error && stack) {
      warned = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(row.message.source)).length > 0;
    }
    const cls = error instanceof TypeError ? 'crash'
      : error ? (row.outcome === 'error' && row.message.test(error.message) ? 'clear' : 'other-error')
        : warned ? 'clear' : 'silent';
    return { area: row.area, input: row.input, outcome: row.outcome, cls, message: error ? String(error.message).slice(0, 400) : '' };
  });
  fs.writeFileSync(process.env.OUT ?? '/tmp/synthval/out.json', JSON.stringify(rows, null, 1));
});
