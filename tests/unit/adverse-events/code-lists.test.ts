import { describe, expect, it } from 'vitest';
import {
	actionsTaken,
	isRelated,
	outcomes,
	relatednessScale,
	sdtmAeacnOther,
	sdtmSeverity,
	severityLabel,
	toBinaryRelatedness,
	toSdtmAeacn,
	toSdtmAerel,
	toSdtmAeout
} from '../../../src/lib/domain/adverse-events';

describe('relatedness', () => {
	it.each([
		['not-related', 'NOT RELATED', 'not related'],
		['unlikely', 'UNLIKELY RELATED', 'not related'],
		['possible', 'POSSIBLY RELATED', 'related'],
		['probable', 'PROBABLY RELATED', 'related'],
		['definite', 'DEFINITELY RELATED', 'related']
	] as const)('%s → AEREL %s, %s for SUSAR purposes', (value, aerel, binary) => {
		expect(toSdtmAerel(value)).toBe(aerel);
		expect(toBinaryRelatedness(value)).toBe(binary);
		expect(isRelated(value)).toBe(binary === 'related');
	});

	it('orders the scale from not related to definite', () => {
		expect(relatednessScale).toEqual([
			'not-related',
			'unlikely',
			'possible',
			'probable',
			'definite'
		]);
	});
});

describe('action taken (AEACN)', () => {
	it('maps every action to a CDISC ACN submission value', () => {
		const cdisc = [
			'DOSE NOT CHANGED',
			'DOSE REDUCED',
			'DRUG INTERRUPTED',
			'DRUG WITHDRAWN',
			'NOT APPLICABLE',
			'UNKNOWN'
		];
		for (const action of actionsTaken) expect(cdisc).toContain(toSdtmAeacn(action));
	});

	it('exports a withheld supplemental dose as DOSE REDUCED with the detail in AEACNOTH', () => {
		expect(toSdtmAeacn('supplemental-dose-not-given')).toBe('DOSE REDUCED');
		expect(sdtmAeacnOther('supplemental-dose-not-given')).toBe('SUPPLEMENTAL DOSE NOT GIVEN');
		expect(sdtmAeacnOther('dose-reduced')).toBe('');
	});
});

describe('outcome (AEOUT)', () => {
	it('maps the outcomes to the CDISC OUT codelist, one to one', () => {
		expect(outcomes.map(toSdtmAeout)).toEqual([
			'RECOVERED/RESOLVED',
			'RECOVERING/RESOLVING',
			'NOT RECOVERED/NOT RESOLVED',
			'RECOVERED/RESOLVED WITH SEQUELAE',
			'FATAL',
			'UNKNOWN'
		]);
	});
});

describe('severity', () => {
	it('exports CTCAE grades to AETOXGR and the three-word scale to AESEV', () => {
		expect(sdtmSeverity({ scale: 'ctcae', grade: 3 })).toEqual({ AESEV: '', AETOXGR: '3' });
		expect(sdtmSeverity({ scale: 'mild-moderate-severe', intensity: 'moderate' })).toEqual({
			AESEV: 'MODERATE',
			AETOXGR: ''
		});
	});

	it('labels grades with the CTCAE v5 words', () => {
		expect(severityLabel({ scale: 'ctcae', grade: 1 })).toBe('Grade 1 – Mild');
		expect(severityLabel({ scale: 'ctcae', grade: 3 })).toContain(
			'Severe or medically significant'
		);
		expect(severityLabel({ scale: 'ctcae', grade: 4 })).toContain('Life-threatening');
		expect(severityLabel({ scale: 'ctcae', grade: 5 })).toContain('Death');
	});
});
