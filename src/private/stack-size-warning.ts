import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';

/** CloudFormation's limit of resources per stack. */
export const MAX_STACK_RESOURCES = 500;
/** Warn from this many resources on. */
export const WARN_AT_RESOURCES = 450;

/**
 * Warns, on the stack, when it nears CloudFormation's 500-resource limit: a watch adds
 * metric filters and alarms, and a stack over the limit fails to deploy.
 *
 * The count runs once per stack, as a validation of the stack after the tree is complete
 * (a validation visits one construct; an aspect would visit them all).
 */
export class StackSizeWarning {
  /**
   * Adds the check to a stack once, however many watches it has.
   */
  public static applyTo(stack: Stack): void {
    if (StackSizeWarning.checked.has(stack)) {
      return;
    }
    StackSizeWarning.checked.add(stack);
    stack.node.addValidation({ validate: () => StackSizeWarning.check(stack) });
  }

  private static readonly checked = new WeakSet<Stack>();

  private static check(stack: Stack): string[] {
    const count = stack.node.findAll().filter(c => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
    if (count >= WARN_AT_RESOURCES) {
      Annotations.of(stack).addWarningV2('cdk-flowlog-watch:stackSize',
        `The stack has ${count} resources, near CloudFormation's limit of ${MAX_STACK_RESOURCES} per stack: `
        + 'move some watches or alarms to another stack, or switch off alarms you do not need.');
    }
    return [];
  }
}
