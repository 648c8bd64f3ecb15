// In-session vital signs: plausibility limits, °F → °C, confirm-before-save warnings, the
// pre-dose baseline, SDTM timepoint helpers and which scheduled readings are due.
export * from './time';
export * from './temperature';
export * from './plausibility';
export * from './reading';
export * from './baseline';
export * from './soft-checks';
export * from './due';
export * from './measured-time';
export * from './not-done';
export type { VitalMeasure } from '../protocol/codes';
export { VITAL_MEASURES, VITAL_UNITS, VITAL_LABELS } from '../protocol/codes';
