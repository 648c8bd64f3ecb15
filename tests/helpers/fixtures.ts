// Shared fixtures for the clinical tests.

/** Every seriousness criterion answered "no" (the AE form requires all six answered). */
export const noCriteria = {
	death: 'no',
	lifeThreatening: 'no',
	hospitalisation: 'no',
	disability: 'no',
	congenitalAnomaly: 'no',
	importantMedicalEvent: 'no'
};
