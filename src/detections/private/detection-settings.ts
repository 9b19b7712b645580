import { Duration } from 'aws-cdk-lib';
import { DetectionSettings, validateDetection } from './detection-validation';
import { FlowLogDetectionOptions } from '../detection-options';
import { FlowLogDetection } from '../flow-log-detection';

/** What a detection uses when its options leave a setting out. */
export interface DetectionDefaults {
  readonly threshold: number;
  readonly window: Duration;
  readonly schedule: Duration;
}

/** The catalogue's defaults of a detection. */
export function defaultsOf(detection: FlowLogDetection): DetectionDefaults {
  return { threshold: detection.defaultThreshold, window: detection.defaultWindow, schedule: detection.defaultSchedule };
}

/**
 * A detection's settings: the options given, else the defaults (N of N runs when only N is given),
 * validated with `prop` named in the messages.
 */
export function resolveDetectionSettings(prop: string, given: FlowLogDetectionOptions | undefined, defaults: DetectionDefaults): DetectionSettings {
  const evaluate = given?.queryResultsToEvaluate ?? 1;
  const settings: DetectionSettings = {
    threshold: given?.threshold ?? defaults.threshold,
    window: given?.window ?? defaults.window,
    schedule: given?.schedule ?? defaults.schedule,
    queryResultsToEvaluate: evaluate,
    queryResultsToAlarm: given?.queryResultsToAlarm ?? evaluate,
    actionsOverride: given?.actionsOverride,
  };
  validateDetection(prop, settings);
  return settings;
}
