import type { NumericInstrument, NumericScaleId } from '../types';
import { bdi2 } from './bdi2';
import { hamd17 } from './hamd17';
import { madrs } from './madrs';
import { phq9 } from './phq9';
import { qidsSr16 } from './qids-sr16';

export { bdi2, hamd17, madrs, phq9, qidsSr16 };
export { cssrs, cssrsKeys, type CssrsBehaviourKey, type CssrsIntensityKey } from './cssrs';

/** The instruments with a total, by id. */
export const numericInstruments = {
	MADRS: madrs,
	HAMD17: hamd17,
	PHQ9: phq9,
	QIDSSR16: qidsSr16,
	BDI2: bdi2
} as const satisfies Record<NumericScaleId, NumericInstrument>;

export function numericInstrument(id: NumericScaleId): NumericInstrument {
	return numericInstruments[id];
}
