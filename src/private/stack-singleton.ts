import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * The construct with this ID at the root of the scope's stack, created by `create` on first use.
 */
export function stackSingleton<T extends Construct>(scope: IConstruct, id: string, isT: (c: IConstruct) => c is T,
  create: (stack: Stack, id: string) => T): T {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(id);
  return existing && isT(existing) ? existing : create(stack, id);
}
