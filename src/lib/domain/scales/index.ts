/**
 * Rating scales: definitions, scoring and outcomes. Pure; no I/O.
 * Item keys are item numbers as strings ('1'…'21'); C-SSRS keys are listed in instruments/cssrs.
 */
export * from './types';
export * from './instruments';
export * from './answers';
export * from './score';
export * from './cssrs-score';
export * from './administration';
export * from './outcomes';
export * from './labels';
