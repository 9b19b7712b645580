import { FlowLogWatchProps } from '../flow-log-watch-options';

// The props objects built by a FlowLogBaseline for the watches it creates.
const SHARED = new WeakSet<FlowLogWatchProps>();

/**
 * Marks watch props as shared by many watches (a `FlowLogBaseline`'s options): settings meant for
 * some of the watches (alarm overrides for a role a VPC lacks) are then expected, not a mistake.
 */
export function shareWatchProps(props: FlowLogWatchProps): FlowLogWatchProps {
  SHARED.add(props);
  return props;
}

export function isSharedWatchProps(props: FlowLogWatchProps): boolean {
  return SHARED.has(props);
}
