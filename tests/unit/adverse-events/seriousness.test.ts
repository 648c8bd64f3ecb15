import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	isSerious,
	metSeriousnessCriteria,
	noSeriousnessCriteria,
	sdtmSeriousness,
	sdtmSeriousnessFlag,
	seriousnessCriteria,
	type SeriousnessCriteria
} from '../../../src/lib/domain/adverse-events';

const arbitraryCriteria: fc.Arbitrary<SeriousnessCriteria> = fc.record({
	death: fc.boolean(),
	lifeThreatening: fc.boolean(),
	hospitalisation: fc.boolean(),
	disability: fc.boolean(),
	congenitalAnomaly: fc.boolean(),
	importantMedicalEvent: fc.boolean()
});

describe('isSerious', () => {
	it('is not serious when no criterion is met', () => {
		expect(isSerious(noSeriousnessCriteria)).toBe(false);
		expect(sdtmSeriousness(noSeriousnessCriteria).AESER).toBe('N');
	});

	it.each(seriousnessCriteria)('is serious when only %s is met', (criterion) => {
		const criteria = { ...noSeriousnessCriteria, [criterion]: true };
		expect(isSerious(criteria)).toBe(true);
		expect(metSeriousnessCriteria(criteria)).toEqual([criterion]);
		const sdtm = sdtmSeriousness(criteria);
		expect(sdtm.AESER).toBe('Y');
		expect(sdtm[sdtmSeriousnessFlag[criterion]]).toBe('Y');
		const yesFlags = Object.entries(sdtm).filter(([, value]) => value === 'Y');
		expect(yesFlags.map(([name]) => name).sort()).toEqual(
			['AESER', sdtmSeriousnessFlag[criterion]].sort()
		);
	});

	it('is serious exactly when any criterion is met (property)', () => {
		fc.assert(
			fc.property(arbitraryCriteria, (criteria) => {
				expect(isSerious(criteria)).toBe(Object.values(criteria).some(Boolean));
			})
		);
	});

	it('exports AESER = Y exactly when one of the six flags is Y (property)', () => {
		fc.assert(
			fc.property(arbitraryCriteria, (criteria) => {
				const { AESER, ...flags } = sdtmSeriousness(criteria);
				expect(AESER === 'Y').toBe(Object.values(flags).includes('Y'));
			})
		);
	});

	it('maps each criterion to its own SDTM flag', () => {
		expect(sdtmSeriousnessFlag).toEqual({
			death: 'AESDTH',
			lifeThreatening: 'AESLIFE',
			hospitalisation: 'AESHOSP',
			disability: 'AESDISAB',
			congenitalAnomaly: 'AESCONG',
			importantMedicalEvent: 'AESMIE'
		});
	});
});
