import type { ScaleId } from './types';

/** How clinicians write the instruments' names. */
export const SCALE_LABELS: Record<ScaleId, string> = {
	MADRS: 'MADRS',
	HAMD17: 'HAM-D17',
	PHQ9: 'PHQ-9',
	QIDSSR16: 'QIDS-SR16',
	BDI2: 'BDI-II',
	CSSRS: 'C-SSRS'
};
