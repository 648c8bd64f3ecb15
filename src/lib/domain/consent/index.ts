// Informed consent: form versions, records and whether consent is valid for a procedure. Pure.
export * from './validity';
export * from './settings';
