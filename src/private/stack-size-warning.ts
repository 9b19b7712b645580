import { Annotations, AspectPriority, Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** CloudFormation's limit of resources per stack. */
export const MAX_STACK_RESOURCES = 500;
/** Warn from this many resources on. */
export const WARN_AT_RESOURCES = 450;

/**
 * Warns, on the stack, when it nears CloudFormation's 500-resource limit: a watch adds
 * metric filters and alarms, and a stack over the limit fails to deploy.
 */
export class StackSizeWarning implements IAspect {
  /**
   * Adds the check to a stack once, however many watches it has.
   */
  public static applyTo(stack: Stack): void {
    if (Aspects.of(stack).all.some(a => a instanceof StackSizeWarning)) {
      return;
    }
    Aspects.of(stack).add(new StackSizeWarning(stack), { priority: AspectPriority.READONLY });
  }

  private constructor(private readonly stack: Stack) {}

  public visit(node: IConstruct): void {
    if (node !== this.stack) {
      return;
    }
    const count = this.stack.node.findAll().filter(c => CfnResource.isCfnResource(c) && Stack.of(c) === this.stack).length;
    if (count >= WARN_AT_RESOURCES) {
      Annotations.of(this.stack).addWarningV2('cdk-flowlog-watch:stackSize',
        `The stack has ${count} resources, near CloudFormation's limit of ${MAX_STACK_RESOURCES} per stack: `
        + 'move some watches or alarms to another stack, or switch off alarms you do not need.');
    }
  }
}
