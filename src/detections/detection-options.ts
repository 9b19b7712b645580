import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The settings of one per-source detection for one subnet role. Roles whose settings of a
 * detection are the same share one log alarm (one query scans the log group once for them).
 */
export interface FlowLogDetectionOptions {
  /**
   * Whether the detection watches this role.
   *
   * @default - the detection's `defaultRoles` (see the README table)
   */
  readonly enabled?: boolean;

  /**
   * The value per contributor (source, or source and port …) and window at which the log alarm
   * alarms (greater than or equal), in the detection's unit: distinct ports, distinct hosts,
   * connection attempts, bytes or flows.
   *
   * @default - the detection's `defaultThreshold`
   */
  readonly threshold?: number;

  /**
   * How far back each run of the query looks (its `StartTimeOffset`): 1 minute to 30 days, a
   * whole number of minutes. 30 days (2,592,000 seconds) is the log alarm's maximum
   * StartTimeOffset (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudwatch-logalarm-scheduleconfiguration.html).
   * A token must be given as `Duration.seconds(token)`: StartTimeOffset is in seconds.
   *
   * @default - the detection's `defaultWindow` (10 minutes; 1 hour for exfiltration)
   */
  readonly window?: Duration;

  /**
   * How often the query runs (`rate(N minutes)`): a whole number of minutes, 1 minute or more and
   * at most the window (a shorter schedule than window re-reads records, a longer one would skip
   * some), so at most 30 days. AWS documents no maximum of its own for the schedule
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ScheduleConfiguration.html).
   * A token must be given as `Duration.minutes(token)` and is written `rate(<token> minutes)`;
   * it is not compared with the window.
   *
   * @default - the detection's `defaultSchedule` (5 minutes; 30 minutes for exfiltration)
   */
  readonly schedule?: Duration;

  /**
   * How many of the latest query results are evaluated (`QueryResultsToEvaluate`).
   *
   * @default 1
   */
  readonly queryResultsToEvaluate?: number;

  /**
   * How many of those must breach for ALARM (`QueryResultsToAlarm`).
   *
   * @default - `queryResultsToEvaluate`
   */
  readonly queryResultsToAlarm?: number;

  /**
   * What the log alarm does when it fires, instead of the watch's alarm actions.
   *
   * @default - the watch's `alarmActions`
   */
  readonly actionsOverride?: cloudwatch.IAlarmAction[];
}

/**
 * The per-source detections that need no subnet role: a watch's roles have them, and so have
 * an organization's central log groups (`FlowLogCentralDetections`).
 */
export interface SourceDetectionsOptions {
  /** `FlowLogDetection.PORT_SCAN` (`enabled: false` leaves it out). @default - its defaults */
  readonly portScan?: FlowLogDetectionOptions;
  /** `FlowLogDetection.HOST_SWEEP`. @default - its defaults */
  readonly hostSweep?: FlowLogDetectionOptions;
  /** `FlowLogDetection.BRUTE_FORCE`. @default - its defaults */
  readonly bruteForce?: FlowLogDetectionOptions;
  /** `FlowLogDetection.EXFILTRATION`. @default - its defaults */
  readonly exfiltration?: FlowLogDetectionOptions;
  /** `FlowLogDetection.MINING_POOL`. @default - its defaults */
  readonly miningPool?: FlowLogDetectionOptions;
}

/**
 * The per-source detections of one subnet role.
 */
export interface RoleDetectionsOptions extends SourceDetectionsOptions {
  /** `FlowLogDetection.UNUSUAL_EGRESS_PORT`. @default - its defaults (private subnets only) */
  readonly unusualEgressPort?: FlowLogDetectionOptions;
  /** `FlowLogDetection.ISOLATED_EGRESS`. @default - its defaults (isolated subnets only) */
  readonly isolatedEgress?: FlowLogDetectionOptions;
}

/**
 * What the queries of a set of detections take as inside and as suspect ports, and what their
 * notifications carry: the same for a watch's detections and for the central ones.
 */
export interface DetectionTuningOptions {
  /**
   * The address space that is "inside" (IPv4 CIDR blocks): your own hosts' addresses, and
   * destinations that are not exfiltration or unusual egress.
   *
   * @default - the private address ranges of RFC 1918 and RFC 6598: 10.0.0.0/8, 172.16.0.0/12,
   * 192.168.0.0/16, 100.64.0.0/10
   */
  readonly internalCidrs?: string[];

  /**
   * Destination ports of mining pools (`MINING_POOL`): Stratum's usual ports.
   *
   * @default [3333, 4444, 5555, 7777, 14444, 45560, 45700]
   */
  readonly miningPoolPorts?: number[];

  /**
   * Destination ports of `BRUTE_FORCE`: SSH and RDP.
   *
   * @default [22, 3389]
   */
  readonly bruteForcePorts?: number[];

  /**
   * How many matching log lines each notification carries (`ActionLogLineCount`, 0 to 50); more
   * than 0 uses the stack's `FlowLogDetectionRoles` log-lines role.
   *
   * @default 10
   */
  readonly actionLogLineCount?: number;
}

/**
 * A watch's per-source detections: log alarms on scheduled Logs Insights queries, grouped by
 * source, chosen by subnet role.
 */
export interface FlowLogDetectionsOptions extends DetectionTuningOptions {
  /**
   * Whether the watch has per-source detections at all.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /** Detections of public subnets. @default - the README table's public column */
  readonly publicSubnets?: RoleDetectionsOptions;
  /** Detections of private subnets. @default - the README table's private column */
  readonly privateSubnets?: RoleDetectionsOptions;
  /** Detections of isolated subnets. @default - the README table's isolated column */
  readonly isolatedSubnets?: RoleDetectionsOptions;

  /**
   * Destination ports that egress from private subnets may use (`UNUSUAL_EGRESS_PORT`).
   *
   * @default [53, 80, 123, 443]
   */
  readonly allowedEgressPorts?: number[];
}
