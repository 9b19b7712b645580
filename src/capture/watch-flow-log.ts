import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { FlowLogFormat } from './flow-log-format';
import { FlowLogTarget } from './flow-log-target';

/**
 * What a watch's flow logs share (the CloudWatch Logs one and the archive's): target, traffic,
 * aggregation and the record format.
 */
export interface WatchFlowLogOptions {
  readonly target: FlowLogTarget;
  readonly logFormat: FlowLogFormat;
  readonly trafficType?: ec2.FlowLogTrafficType;
  readonly maxAggregationInterval?: ec2.FlowLogMaxAggregationInterval;
}

/**
 * A flow log of the watch's target into a destination, with the watch's traffic type,
 * aggregation (1 minute by default: the alarms' detection latency) and format.
 */
export function createWatchFlowLog(scope: Construct, id: string, options: WatchFlowLogOptions,
  destination: ec2.FlowLogDestination, flowLogName: string): ec2.FlowLog {
  return new ec2.FlowLog(scope, id, {
    resourceType: options.target.toResourceType(),
    destination,
    trafficType: options.trafficType ?? ec2.FlowLogTrafficType.ALL,
    maxAggregationInterval: options.maxAggregationInterval ?? ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    logFormat: [ec2.LogFormat.custom(options.logFormat.renderLogFormat())],
    flowLogName,
  });
}
