import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	AE,
	ageInYears,
	armsOf,
	CODELISTS,
	ConformanceCheck,
	DM,
	DS,
	EX,
	inCodelist,
	ISO3166_ALPHA3,
	QS,
	specFindings,
	studyDay,
	SV,
	VS,
	type DatasetSpec
} from '../../../src/lib/domain/sdtm';

const ALL: DatasetSpec[] = [DM, SV, EX, AE, VS, QS, DS];

describe('dataset definitions', () => {
	it.each(ALL.map((d) => [d.name, d] as const))(
		'%s fits SAS XPORT v5 and keeps SUBJID and SITEID in DM',
		(_, spec) => {
			expect(specFindings(spec)).toEqual([]);
			const names = spec.variables.map((v) => v.name);
			expect(new Set(names).size).toBe(names.length);
			expect(names.slice(0, 3)).toEqual(['STUDYID', 'DOMAIN', 'USUBJID']);
			for (const key of spec.keys) expect(names).toContain(key);
			for (const v of spec.variables) {
				if (v.codelist) expect(CODELISTS).toHaveProperty(v.codelist);
			}
		}
	);

	it('finds a long label, a bad name and SUBJID outside DM', () => {
		const bad: DatasetSpec = {
			...VS,
			variables: [
				...VS.variables,
				{ ...VS.variables[0]!, name: 'SUBJID' },
				{ ...VS.variables[0]!, name: 'VSLONGNAME', label: 'x'.repeat(41) }
			]
		};
		expect(specFindings(bad)).toEqual([
			'SUBJID: belongs in DM',
			'VSLONGNAME: not a SAS V5 name',
			'VSLONGNAME: label longer than 40 characters'
		]);
	});
});

describe('country codes', () => {
	it('are the 249 ISO 3166-1 alpha-3 codes, each once', () => {
		expect(ISO3166_ALPHA3).toHaveLength(249);
		expect(new Set(ISO3166_ALPHA3).size).toBe(249);
		expect(inCodelist('COUNTRY', 'NOR')).toBe(true);
		expect(inCodelist('COUNTRY', 'USA')).toBe(true);
		expect(inCodelist('COUNTRY', 'NO')).toBe(false);
		expect(inCodelist('COUNTRY', 'XXX')).toBe(false);
	});
});

describe('study day (SDTMIG --DY)', () => {
	const ref = '2026-11-20T09:00:00Z';
	it('is 1 on the reference day, -1 the day before, and has no day 0', () => {
		expect(studyDay('2026-11-20T23:59:00Z', ref)).toBe(1);
		expect(studyDay('2026-11-21', ref)).toBe(2);
		expect(studyDay('2026-11-19T23:59:59Z', ref)).toBe(-1);
		expect(studyDay('2026-11-10', ref)).toBe(-10);
		expect(studyDay(null, ref)).toBeNull();
		expect(studyDay('2026-11-21', null)).toBeNull();
		expect(studyDay('1980', ref)).toBeNull(); // a year is not a date
	});

	it('is never 0 and grows by one a day', () => {
		fc.assert(
			fc.property(fc.integer({ min: -2000, max: 2000 }), (offset) => {
				const day = new Date(Date.parse('2026-11-20T00:00:00Z') + offset * 86_400_000)
					.toISOString()
					.slice(0, 10);
				const dy = studyDay(day, ref)!;
				expect(dy).not.toBe(0);
				expect(dy).toBe(offset >= 0 ? offset + 1 : offset);
			})
		);
	});
});

describe('age and arms', () => {
	it('counts age from the year of birth to the reference year', () => {
		expect(ageInYears(1980, '2026-10-01')).toBe(46);
		expect(ageInYears(1980, null)).toBeNull();
	});

	it('gives a reason whenever an arm is null (ARMNRS, C142179)', () => {
		const group = '120 mg';
		expect(
			armsOf({ status: 'screening', doseGroup: group, enrolled: false, dosed: false })
		).toEqual({
			ARMCD: null,
			ARM: null,
			ACTARMCD: null,
			ACTARM: null,
			ARMNRS: 'NOT ASSIGNED',
			ACTARMUD: null
		});
		expect(
			armsOf({ status: 'withdrawn', doseGroup: group, enrolled: false, dosed: false }).ARMNRS
		).toBe('SCREEN FAILURE');
		expect(armsOf({ status: 'enrolled', doseGroup: group, enrolled: true, dosed: false })).toEqual({
			ARMCD: '120MG',
			ARM: '120 mg',
			ACTARMCD: null,
			ACTARM: null,
			ARMNRS: 'ASSIGNED, NOT TREATED',
			ACTARMUD: null
		});
		expect(armsOf({ status: 'enrolled', doseGroup: group, enrolled: true, dosed: true })).toEqual({
			ARMCD: '120MG',
			ARM: '120 mg',
			ACTARMCD: '120MG',
			ACTARM: '120 mg',
			ARMNRS: null,
			ACTARMUD: null
		});
	});

	it('takes the actual arm of an open-label subject from the initial doses given', () => {
		const base = { status: 'enrolled', doseGroup: '120 mg', enrolled: true, dosed: true };
		const doseGroups = ['120 mg', '80 mg'];
		const given = (min: number, max: number) => ({ doses: { min, max }, doseGroups });
		expect(armsOf({ ...base, given: given(120, 120) })).toEqual({
			ARMCD: '120MG',
			ARM: '120 mg',
			ACTARMCD: '120MG',
			ACTARM: '120 mg',
			ARMNRS: null,
			ACTARMUD: null
		});
		// Another group's dose: that group is the actual arm, nothing null, no reason.
		expect(armsOf({ ...base, given: given(80, 80) })).toMatchObject({
			ARMCD: '120MG',
			ACTARMCD: '80MG',
			ACTARM: '80 mg',
			ARMNRS: null,
			ACTARMUD: null
		});
		// A dose no group plans, or doses that differ across sessions: unplanned, described.
		expect(armsOf({ ...base, given: given(100, 100) })).toMatchObject({
			ARMCD: '120MG',
			ACTARMCD: null,
			ACTARM: null,
			ARMNRS: 'UNPLANNED TREATMENT',
			ACTARMUD: 'Initial dose 100 mg, which no dose group plans'
		});
		expect(armsOf({ ...base, given: given(80, 120) })).toMatchObject({
			ACTARMCD: null,
			ARMNRS: 'UNPLANNED TREATMENT',
			ACTARMUD: 'Initial doses from 80 mg to 120 mg across sessions'
		});
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (a, b) => {
				const arms = armsOf({ ...base, given: given(Math.min(a, b), Math.max(a, b)) });
				// ACTARMUD exactly when the treatment was unplanned, and then ACTARMCD is null.
				expect(arms.ACTARMUD !== null).toBe(arms.ARMNRS === 'UNPLANNED TREATMENT');
				expect(arms.ACTARMCD === null).toBe(arms.ACTARMUD !== null);
				expect(arms.ACTARMUD === null).toBe(a === b && (a === 120 || a === 80));
			})
		);
	});

	it('takes a randomised arm only when the export may carry it, and never hints at a concealed one', () => {
		const arm = { code: 'PBO', label: 'Placebo with therapy' };
		const base = { status: 'enrolled', doseGroup: '120 mg', enrolled: true };
		expect(armsOf({ ...base, dosed: true, allocation: { arm } })).toEqual({
			ARMCD: 'PBO',
			ARM: 'Placebo with therapy',
			ACTARMCD: 'PBO',
			ACTARM: 'Placebo with therapy',
			ARMNRS: null,
			ACTARMUD: null
		});
		expect(armsOf({ ...base, dosed: false, allocation: { arm } })).toMatchObject({
			ARMCD: 'PBO',
			ACTARMCD: null,
			ARMNRS: 'ASSIGNED, NOT TREATED',
			ACTARMUD: null
		});
		// Enrolled in a randomised study but not (yet) randomised: not assigned, not the dose group.
		expect(armsOf({ ...base, dosed: false, allocation: null })).toEqual({
			ARMCD: null,
			ARM: null,
			ACTARMCD: null,
			ACTARM: null,
			ARMNRS: 'NOT ASSIGNED',
			ACTARMUD: null
		});
		fc.assert(
			fc.property(
				fc.constantFrom('screening', 'enrolled', 'completed', 'withdrawn'),
				fc.boolean(),
				fc.boolean(),
				fc.string(),
				(status, enrolled, dosed, doseGroup) => {
					const concealed = armsOf({
						status,
						doseGroup,
						enrolled,
						dosed,
						allocation: { concealed: true }
					});
					// Every column the same whatever the arm, the status or the dose: nothing to infer.
					expect(concealed).toEqual({
						ARMCD: null,
						ARM: null,
						ACTARMCD: null,
						ACTARM: null,
						ARMNRS: null,
						ACTARMUD: null
					});
					const open = armsOf({ status, doseGroup, enrolled, dosed, allocation: { arm } });
					expect(open.ARMCD === null || open.ARMCD === 'PBO').toBe(true);
					expect(open.ARMCD !== null || open.ARMNRS !== null).toBe(true);
					expect(open.ACTARMCD !== null || open.ARMNRS !== null).toBe(true);
				}
			)
		);
	});
});

describe('conformance check', () => {
	const row = (over: Record<string, unknown> = {}) => ({
		STUDYID: 'S',
		DOMAIN: 'EX',
		USUBJID: 'S-1',
		EXSEQ: 1,
		EXTRT: 'MDMA',
		EXDOSE: 120,
		EXDOSU: 'mg',
		EXDOSFRM: 'CAPSULE',
		EXROUTE: 'ORAL',
		VISITNUM: 5,
		VISIT: 'Dosing 1',
		EXSTDTC: '2026-11-20T09:00:00Z',
		EXENDTC: '2026-11-20T09:00:00Z',
		EXSTDY: 1,
		EXENDY: 1,
		EXTPT: 'INITIAL DOSE',
		...over
	});

	it('passes a good row and names each fault of a bad one', () => {
		const check = new ConformanceCheck(EX);
		check.add(row());
		expect(check.findings()).toEqual([]);
		check.add(row({ EXSEQ: 1, EXTRT: '', EXSTDTC: '20/11/2026', EXROUTE: 'BY MOUTH' }));
		check.add(row({ EXSEQ: 3, EXDOSE: '120', EXTPT: 'x'.repeat(201) }));
		expect(check.findings()).toEqual([
			'EXTRT is required (row 2)',
			'EXROUTE "BY MOUTH" is not in codelist ROUTE',
			'EXSTDTC "20/11/2026" is not ISO 8601',
			'EXSEQ repeats for S-1',
			'EXDOSE "120" is not a number (row 3)',
			'EXTPT is over 200 bytes (row 3)'
		]);
	});
});
