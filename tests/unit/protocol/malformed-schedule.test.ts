import { describe, expect, it } from 'vitest';
import { demoWith, errorsOf, item, loose } from './helpers';
import type { DemoInput } from './helpers';

describe('visit schedule', () => {
	it('duplicate visit codes', () => {
		const input = demoWith((p) => (item(p.visits, 3).code = 'PREP1'));
		expect(errorsOf(input)).toContainEqual({
			path: 'visits[3].code',
			message: 'Visit code PREP1 is already used by visits[2].'
		});
	});

	it('unknown anchor', () => {
		const input = demoWith((p) => (item(p.visits, 1).anchor = { visit: 'SCREEN' }));
		expect(errorsOf(input)).toEqual([
			{ path: 'visits[1].anchor', message: 'No visit has code SCREEN.' }
		]);
	});

	it('anchor to a later visit', () => {
		const input = demoWith((p) => (item(p.visits, 1).anchor = { visit: 'DS1' }));
		expect(errorsOf(input)).toEqual([
			{
				path: 'visits[1].anchor',
				message: 'Visit DS1 does not come before BL; anchor to an earlier visit.'
			}
		]);
	});

	it('an anchor that is neither a keyword nor a visit', () => {
		const input = demoWith((p) => (loose(item(p.visits, 1)).anchor = 'screening'));
		expect(errorsOf(input).map((e) => e.path)).toEqual(['visits[1].anchor']);
	});

	it('"last-dosing" before the last dosing visit', () => {
		const input = demoWith((p) => (item(p.visits, 7).anchor = 'last-dosing'));
		expect(errorsOf(input)).toEqual([
			{
				path: 'visits[7].anchor',
				message: 'A visit anchored to the last dosing session must come after every dosing visit.'
			}
		]);
	});

	it('a dosing visit without doses, and doses on another visit', () => {
		const input = demoWith((p) => {
			delete loose(item(p.visits, 5)).dose;
			loose(item(p.visits, 4)).dose = { session: 1, initialMg: 120, supplementalMg: 60 };
		});
		expect(errorsOf(input)).toEqual([
			{ path: 'visits[4].dose', message: 'Only dosing visits have planned doses.' },
			{ path: 'visits[5].dose', message: 'A dosing visit needs its planned doses.' }
		]);
	});

	it('dosing sessions out of order', () => {
		const input = demoWith((p) => {
			const dose = item(p.visits, 8).dose;
			if (dose) dose.session = 3;
		});
		expect(errorsOf(input)).toEqual([
			{
				path: 'visits[8].dose.session',
				message: 'Dosing sessions are numbered 1, 2, 3 … in order; expected 2 here.'
			}
		]);
	});

	it('a negative window', () => {
		const input = demoWith((p) => (item(p.visits, 2).window.minusDays = -1));
		expect(errorsOf(input).map((e) => e.path)).toEqual(['visits[2].window.minusDays']);
	});
});

describe('scales', () => {
	it('unknown primary scale', () => {
		const input = demoWith((p) => (p.scales.primary = 'HADS'));
		expect(errorsOf(input)).toEqual([
			{
				path: 'scales.primary',
				message: 'Use one of MADRS, HAMD17, PHQ9, QIDSSR16, BDI2 as the primary scale.'
			}
		]);
	});

	it('a primary scale given at no visit', () => {
		const input = demoWith((p) => (p.scales.primary = 'BDI2'));
		const without = demoWith((p) => {
			p.scales.primary = 'BDI2';
			for (const v of p.visits) v.scales = v.scales.filter((s) => s !== 'BDI2');
		});
		expect(errorsOf(input)).toEqual([]);
		expect(errorsOf(without)).toEqual([
			{ path: 'scales.primary', message: 'The primary scale BDI2 is not given at any visit.' }
		]);
	});

	it('a primary scale with no baseline before the first dosing session', () => {
		const input = demoWith((p) => {
			for (const v of p.visits.slice(0, 5)) v.scales = v.scales.filter((s) => s !== 'MADRS');
		});
		expect(errorsOf(input).map((e) => e.path)).toEqual(['scales.primary']);
	});

	it('a scale listed twice at a visit', () => {
		const input = demoWith((p) => item(p.visits, 0).scales.push('PHQ9'));
		expect(errorsOf(input).map((e) => e.path)).toEqual(['visits[0].scales[4]']);
	});

	it('an item rule on an item the scale does not have', () => {
		const input = demoWith((p) => (item(p.safetyRules.scaleItems, 2).item = 10));
		expect(errorsOf(input)).toEqual([
			{ path: 'safetyRules.scaleItems[2].item', message: 'PHQ9 has items 1 to 9.' }
		]);
	});

	it('the same item rule twice', () => {
		const input = demoWith((p) => p.safetyRules.scaleItems.push(item(p.safetyRules.scaleItems, 0)));
		expect(errorsOf(input)).toEqual([
			{
				path: 'safetyRules.scaleItems[6]',
				message: 'Rule scale.MADRS.item10.urgent is defined twice.'
			}
		]);
	});
});

describe('vitals timepoints', () => {
	const timepoints = (p: DemoInput) => p.dosingSession.vitalsTimepoints;

	it('unsorted minutes', () => {
		const input = demoWith((p) => (item(timepoints(p), 3).minutes = 45));
		expect(errorsOf(input)).toEqual([
			{
				path: 'dosingSession.vitalsTimepoints[3].minutes',
				message: 'Timepoints must be sorted with unique minutes; 45 does not follow 60.'
			}
		]);
	});

	it('duplicate minutes', () => {
		const input = demoWith((p) => (item(timepoints(p), 2).minutes = 30));
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'dosingSession.vitalsTimepoints[2].minutes'
		]);
	});

	it('"end" before the last timepoint', () => {
		const input = demoWith((p) => (loose(item(timepoints(p), 9)).minutes = 'end'));
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'dosingSession.vitalsTimepoints[9].minutes'
		]);
	});

	it('no pre-dose timepoint for the baseline', () => {
		const input = demoWith((p) => timepoints(p).shift());
		expect(errorsOf(input)).toEqual([
			{
				path: 'dosingSession.vitalsTimepoints',
				message: 'The schedule needs a pre-dose timepoint (negative minutes) for the baseline.'
			}
		]);
	});

	it('duplicate VSTPT labels and decreasing VSTPTNUM', () => {
		const input = demoWith((p) => {
			item(timepoints(p), 2).vstpt = '30 MIN POST-DOSE';
			item(timepoints(p), 5).vstptnum = 4;
		});
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'dosingSession.vitalsTimepoints[2].vstpt',
			'dosingSession.vitalsTimepoints[5].vstptnum'
		]);
	});

	it('a supplemental window that ends before it starts', () => {
		const input = demoWith((p) => (p.dosingSession.supplementalDoseMinutes.latest = 60));
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'dosingSession.supplementalDoseMinutes.latest'
		]);
	});
});
