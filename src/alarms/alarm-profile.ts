import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DEFAULT_PERIOD, validateAlarm } from './private/alarm-validation';
import { TrafficAction, TrafficSignature } from './traffic-signature';
import { SubnetRole } from '../capture/subnet-role';
import { describeValue, requireInstance } from '../private/input-checks';

/**
 * Knobs every flow-log alarm has.
 */
export interface FlowLogAlarmOptions {
  /**
   * Whether the alarm exists.
   *
   * @default - per role, see the README's table of defaults
   */
  readonly enabled?: boolean;

  /**
   * The period over which the metric is summed.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How many periods are evaluated.
   *
   * @default - per role, see the README's table of defaults
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach.
   *
   * @default - per role, see the README's table of defaults
   */
  readonly datapointsToAlarm?: number;

  /**
   * How periods without data are treated.
   *
   * @default TreatMissingData.NOT_BREACHING (BREACHING for the delivery-stopped alarm)
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;

  /**
   * Actions for this alarm instead of the watch's.
   *
   * @default - the watch's `alarmActions`
   */
  readonly actionsOverride?: cloudwatch.IAlarmAction[];
}

/** SSH accepted inbound (static threshold). */
export interface SshAcceptedAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more SSH bytes than this are accepted in a period.
   *
   * @default 0
   */
  readonly maxAcceptedSshBytes?: number;
}

/** RDP accepted inbound (static threshold). */
export interface RdpAcceptedAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more RDP bytes than this are accepted in a period.
   *
   * @default 0
   */
  readonly maxAcceptedRdpBytes?: number;
}

/** Rejected flows above a static threshold. */
export interface RejectedFlowsAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more flows than this are rejected in a period.
   *
   * @default - 100 for private subnets, 10 for isolated ones, 1000 for public ones
   */
  readonly maxRejectedFlows?: number;
}

/** A metric above its anomaly-detection band. */
export interface AnomalyAlarmOptions extends FlowLogAlarmOptions {
  /**
   * The band's width in standard deviations; the alarm fires above the band.
   *
   * @default 3
   */
  readonly anomalyBandWidth?: number;
}

/** Egress bytes above a static ceiling. */
export interface EgressCeilingAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more bytes than this leave the subnets' interfaces in a period.
   *
   * @default 5368709120 (5 GiB)
   */
  readonly maxEgressBytes?: number;
}

/** Egress bytes leaving the VPC above a static threshold. */
export interface ExternalEgressAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more bytes than this leave the VPC in a period.
   *
   * @default 1048576 (1 MiB)
   */
  readonly maxExternalEgressBytes?: number;
}

/**
 * The alarms of one subnet role; every alarm is optional and every knob overridable.
 */
export interface AlarmProfileOptions {
  /** SSH (TCP 22) bytes accepted inbound. @default - on for every role */
  readonly sshAccepted?: SshAcceptedAlarmOptions;
  /** RDP (TCP 3389) bytes accepted inbound. @default - off */
  readonly rdpAccepted?: RdpAcceptedAlarmOptions;
  /** Rejected flows above a static threshold. @default - on for private and isolated subnets */
  readonly rejectedFlows?: RejectedFlowsAlarmOptions;
  /** Rejected flows above their anomaly band. @default - on for public subnets */
  readonly rejectedFlowsAnomaly?: AnomalyAlarmOptions;
  /** Egress bytes above their anomaly band. @default - on for public and private subnets */
  readonly egressAnomaly?: AnomalyAlarmOptions;
  /** Egress bytes above a static ceiling. @default - on for private subnets */
  readonly egressCeiling?: EgressCeilingAlarmOptions;
  /** Bytes leaving the VPC above a static threshold. @default - on for isolated subnets */
  readonly externalEgress?: ExternalEgressAlarmOptions;
}

/** SKIPDATA records above a static threshold (flow-log health, one per watch). */
export interface SkippedRecordsAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when more SKIPDATA records than this arrive in a period.
   *
   * @default 0
   */
  readonly maxSkippedRecords?: number;
}

/**
 * Delivery stopped: the log group's `AWS/Logs` `IncomingLogEvents` below a minimum or
 * missing (flow-log health, one per watch). NODATA records keep arriving while interfaces
 * exist, so silence means the flow log, its role or its target is broken.
 */
export interface DeliveryStoppedAlarmOptions extends FlowLogAlarmOptions {
  /**
   * Alarm when fewer log events than this arrive in a period.
   *
   * @default 1
   */
  readonly minIncomingLogEvents?: number;
}

/**
 * The alarms of a watch: a profile per subnet role and the flow-log health alarms.
 */
export interface FlowLogAlarmsOptions {
  /**
   * Whether the watch has alarms at all. Off, it creates no metric filters or alarms of its
   * own; the `metricXxx()` methods still create the filters they need.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /** Overrides for public subnets. @default - the public defaults */
  readonly publicSubnets?: AlarmProfileOptions;
  /** Overrides for private subnets. @default - the private defaults */
  readonly privateSubnets?: AlarmProfileOptions;
  /** Overrides for isolated subnets. @default - the isolated defaults */
  readonly isolatedSubnets?: AlarmProfileOptions;
  /** SKIPDATA records. @default - on: more than 0 in 5 minutes */
  readonly skippedRecords?: SkippedRecordsAlarmOptions;
  /** Delivery stopped. @default - on: fewer than 1 log event in each of 3 periods of 5 minutes, missing data breaching */
  readonly deliveryStopped?: DeliveryStoppedAlarmOptions;
}

/**
 * The kinds of role alarm.
 */
export enum FlowLogAlarmKind {
  /** SSH bytes accepted inbound, static. */
  SSH_ACCEPTED = 'ssh-accepted',
  /** RDP bytes accepted inbound, static. */
  RDP_ACCEPTED = 'rdp-accepted',
  /** Rejected flows, static. */
  REJECTED_FLOWS = 'rejected-flows',
  /** Rejected flows, anomaly band. */
  REJECTED_FLOWS_ANOMALY = 'rejected-flows-anomaly',
  /** Egress bytes, anomaly band. */
  EGRESS_ANOMALY = 'egress-anomaly',
  /** Egress bytes, static ceiling. */
  EGRESS_CEILING = 'egress-ceiling',
  /** Bytes leaving the VPC, static. */
  EXTERNAL_EGRESS = 'external-egress',
}

/**
 * One alarm of a profile, with every setting resolved.
 */
export interface ResolvedFlowLogAlarm {
  /** Which alarm. */
  readonly kind: FlowLogAlarmKind;
  /** What its metric counts. */
  readonly signature: TrafficSignature;
  /** True for an anomaly-band alarm, false for a static threshold. */
  readonly anomalyDetection: boolean;
  /** The static threshold (alarm when the period's sum is greater). @default - none: an anomaly-band alarm */
  readonly threshold?: number;
  /** The anomaly band's width in standard deviations. @default - none: a static alarm */
  readonly anomalyBandWidth?: number;
  /** The period. */
  readonly period: Duration;
  /** Periods evaluated. */
  readonly evaluationPeriods: number;
  /** Breaching periods needed. */
  readonly datapointsToAlarm: number;
  /** Missing data treatment. */
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** Actions instead of the watch's. @default - the watch's */
  readonly actionsOverride?: cloudwatch.IAlarmAction[];
}

interface KindSpec {
  readonly kind: FlowLogAlarmKind;
  readonly option: keyof AlarmProfileOptions;
  readonly signature: TrafficSignature;
  /** The options' threshold prop, for static alarms. */
  readonly thresholdProp?: string;
}

const KINDS: KindSpec[] = [
  { kind: FlowLogAlarmKind.SSH_ACCEPTED, option: 'sshAccepted', signature: TrafficSignature.SSH_ACCEPTED_BYTES, thresholdProp: 'maxAcceptedSshBytes' },
  { kind: FlowLogAlarmKind.RDP_ACCEPTED, option: 'rdpAccepted', signature: TrafficSignature.RDP_ACCEPTED_BYTES, thresholdProp: 'maxAcceptedRdpBytes' },
  { kind: FlowLogAlarmKind.REJECTED_FLOWS, option: 'rejectedFlows', signature: TrafficSignature.REJECTED_FLOWS, thresholdProp: 'maxRejectedFlows' },
  { kind: FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY, option: 'rejectedFlowsAnomaly', signature: TrafficSignature.REJECTED_FLOWS },
  { kind: FlowLogAlarmKind.EGRESS_ANOMALY, option: 'egressAnomaly', signature: TrafficSignature.EGRESS_BYTES },
  { kind: FlowLogAlarmKind.EGRESS_CEILING, option: 'egressCeiling', signature: TrafficSignature.EGRESS_BYTES, thresholdProp: 'maxEgressBytes' },
  { kind: FlowLogAlarmKind.EXTERNAL_EGRESS, option: 'externalEgress', signature: TrafficSignature.EXTERNAL_EGRESS_BYTES, thresholdProp: 'maxExternalEgressBytes' },
];

/** A default: on or off, its threshold or band, and its evaluation. */
interface Default {
  readonly enabled: boolean;
  readonly value: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

function on(value: number, evaluationPeriods = 1, datapointsToAlarm = evaluationPeriods): Default {
  return { enabled: true, value, evaluationPeriods, datapointsToAlarm };
}

function off(value: number, evaluationPeriods = 1, datapointsToAlarm = evaluationPeriods): Default {
  return { enabled: false, value, evaluationPeriods, datapointsToAlarm };
}

const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/**
 * The documented defaults (README, "Alarm profiles by role"); a test keeps the two equal.
 * Static values are per 5-minute period; anomaly values are band widths in standard deviations.
 */
const DEFAULTS: Record<string, Record<FlowLogAlarmKind, Default>> = {
  public: {
    [FlowLogAlarmKind.SSH_ACCEPTED]: on(0),
    [FlowLogAlarmKind.RDP_ACCEPTED]: off(0),
    [FlowLogAlarmKind.REJECTED_FLOWS]: off(1000, 3, 2),
    [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: on(3, 3),
    [FlowLogAlarmKind.EGRESS_ANOMALY]: on(3, 3),
    [FlowLogAlarmKind.EGRESS_CEILING]: off(5 * GIB),
    [FlowLogAlarmKind.EXTERNAL_EGRESS]: off(MIB),
  },
  private: {
    [FlowLogAlarmKind.SSH_ACCEPTED]: on(0),
    [FlowLogAlarmKind.RDP_ACCEPTED]: off(0),
    [FlowLogAlarmKind.REJECTED_FLOWS]: on(100, 3, 2),
    [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: off(3, 3),
    [FlowLogAlarmKind.EGRESS_ANOMALY]: on(3, 3),
    [FlowLogAlarmKind.EGRESS_CEILING]: on(5 * GIB),
    [FlowLogAlarmKind.EXTERNAL_EGRESS]: off(MIB),
  },
  isolated: {
    [FlowLogAlarmKind.SSH_ACCEPTED]: on(0),
    [FlowLogAlarmKind.RDP_ACCEPTED]: off(0),
    [FlowLogAlarmKind.REJECTED_FLOWS]: on(10, 3, 2),
    [FlowLogAlarmKind.REJECTED_FLOWS_ANOMALY]: off(3, 3),
    [FlowLogAlarmKind.EGRESS_ANOMALY]: off(3, 3),
    [FlowLogAlarmKind.EGRESS_CEILING]: off(5 * GIB),
    [FlowLogAlarmKind.EXTERNAL_EGRESS]: on(MIB),
  },
};

/**
 * The alarms of one subnet role: the documented defaults with your overrides applied.
 */
export class AlarmProfile {
  /**
   * The documented defaults of a role.
   */
  public static defaultsFor(role: SubnetRole): AlarmProfile {
    return new AlarmProfile(role, {}, role.name);
  }

  /**
   * A role's defaults with overrides.
   *
   * @param role the subnet role
   * @param overrides per-alarm settings; what is not given keeps its default
   * @param propPath how the overrides are named in error messages
   * @param trafficType the traffic the flow log records: an alarm on traffic it does not record
   * could never fire, so it is off, and settings given for it are an error
   * @default trafficType ec2.FlowLogTrafficType.ALL
   * @throws if an override is out of range, or configures an alarm the traffic type leaves blind
   */
  public static forRole(role: SubnetRole, overrides: AlarmProfileOptions = {}, propPath: string = 'alarms',
    trafficType?: ec2.FlowLogTrafficType): AlarmProfile {
    return new AlarmProfile(role, overrides, propPath, trafficType);
  }

  /**
   * Every alarm kind with its resolved settings, switched on or not.
   */
  public readonly all: ResolvedFlowLogAlarm[];

  /**
   * The alarms that are switched on.
   */
  public readonly alarms: ResolvedFlowLogAlarm[];

  private readonly enabledKinds: Set<FlowLogAlarmKind>;

  private constructor(public readonly role: SubnetRole, overrides: AlarmProfileOptions, propPath: string, trafficType?: ec2.FlowLogTrafficType) {
    requireInstance('role', role, SubnetRole, 'SubnetRole.PUBLIC, SubnetRole.PRIVATE or SubnetRole.ISOLATED');
    if (typeof overrides !== 'object' || overrides === null) {
      throw new Error(`\`${propPath}\` must be an object of alarm settings (e.g. { sshAccepted: { enabled: false } }), got ${describeValue(overrides)}`);
    }
    this.enabledKinds = new Set();
    this.all = KINDS.map(spec => {
      const defaults = DEFAULTS[role.name][spec.kind];
      const path = `${propPath}.${spec.option}`;
      const option = overrides[spec.option];
      if (option !== undefined && (typeof option !== 'object' || option === null)) {
        throw new Error(`\`${path}\` must be an object of alarm settings (e.g. { enabled: false }), got ${describeValue(option)}`);
      }
      const given = (option ?? {}) as FlowLogAlarmOptions & Record<string, any>;
      const captured = capturedBy(spec.signature, trafficType);
      if (!captured) {
        refuseBlindAlarm(path, given, spec.signature, trafficType!);
      }
      const anomaly = spec.thresholdProp === undefined;
      const value: number = anomaly ? (given.anomalyBandWidth ?? defaults.value) : (given[spec.thresholdProp!] ?? defaults.value);
      const evaluationPeriods = given.evaluationPeriods ?? defaults.evaluationPeriods;
      const datapointsToAlarm = given.datapointsToAlarm ?? Math.min(defaults.datapointsToAlarm, evaluationPeriods);
      const period = given.period ?? DEFAULT_PERIOD;

      validateAlarm(path, anomaly ? 'anomalyBandWidth' : spec.thresholdProp!, value, anomaly, evaluationPeriods, datapointsToAlarm, period,
        given.treatMissingData);
      if (captured && (given.enabled ?? defaults.enabled)) {
        this.enabledKinds.add(spec.kind);
      }
      return {
        kind: spec.kind,
        signature: spec.signature,
        anomalyDetection: anomaly,
        threshold: anomaly ? undefined : value,
        anomalyBandWidth: anomaly ? value : undefined,
        period,
        evaluationPeriods,
        datapointsToAlarm,
        treatMissingData: given.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
        actionsOverride: given.actionsOverride,
      };
    });
    this.alarms = this.all.filter(a => this.enabledKinds.has(a.kind));
  }

  /**
   * Whether an alarm kind is switched on.
   */
  public isEnabled(kind: FlowLogAlarmKind): boolean {
    return this.enabledKinds.has(kind);
  }
}

/**
 * Whether a flow log of this traffic type records what the signature counts: a REJECT flow log
 * has no accepted traffic, an ACCEPT one no rejected traffic.
 */
export function capturedBy(signature: TrafficSignature, trafficType: ec2.FlowLogTrafficType | undefined): boolean {
  if (trafficType === undefined || trafficType === ec2.FlowLogTrafficType.ALL || signature.action === undefined) {
    return true;
  }
  return trafficType === ec2.FlowLogTrafficType.ACCEPT ? signature.action === TrafficAction.ACCEPT : signature.action === TrafficAction.REJECT;
}

/**
 * An alarm on traffic the flow log does not record is off; asking for it (switching it on, or
 * setting any of its knobs) is an error rather than a setting silently dropped.
 */
function refuseBlindAlarm(path: string, given: Record<string, unknown>, signature: TrafficSignature, trafficType: ec2.FlowLogTrafficType): void {
  if (given.enabled === false) {
    return;
  }
  const set = Object.keys(given).filter(k => given[k] !== undefined);
  if (set.length === 0) {
    return;
  }
  const counted = signature.action === TrafficAction.ACCEPT ? 'accepted' : 'rejected';
  throw new Error(`\`${path}\` can never fire: it counts ${counted} traffic, and \`trafficType\` is ${trafficType}, so the flow log records no ${counted} `
    + `traffic; got ${set.map(k => `${k}: ${describeValue(given[k])}`).join(', ')}. Alarms on traffic the flow log does not record are off: `
    + `remove these settings, or capture ${signature.action} or ALL traffic`);
}
