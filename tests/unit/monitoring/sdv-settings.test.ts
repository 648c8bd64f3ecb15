// Source data verification as a protocol setting: the classes verified in full, and a stable
// sample of the rest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SDV_SETTINGS,
	sampleBucket,
	sdvRequired,
	sdvTypeRequirable,
	type SdvSettings
} from '../../../src/lib/domain/monitoring/sdv';
import { parseProtocol } from '../../../src/lib/domain/protocol';
import { demoWith, errorsOf, loose } from '../protocol/helpers';

const riskBased = (over: Partial<SdvSettings> = {}): SdvSettings => ({
	...DEFAULT_SDV_SETTINGS,
	...over
});
const TYPES = ['dosing_session', 'vital_reading', 'adverse_event', 'scale_administration'] as const;

describe('which records need SDV', () => {
	it('by default: dosing, serious AEs, MADRS and C-SSRS in full, nothing else', () => {
		const s = riskBased();
		expect(sdvRequired(s, { type: 'dosing_session', id: 1 })).toBe(true);
		expect(sdvRequired(s, { type: 'adverse_event', id: 1, serious: true })).toBe(true);
		expect(sdvRequired(s, { type: 'adverse_event', id: 1, serious: false })).toBe(false);
		expect(sdvRequired(s, { type: 'scale_administration', id: 1, instrument: 'MADRS' })).toBe(true);
		expect(sdvRequired(s, { type: 'scale_administration', id: 1, instrument: 'HAMD17' })).toBe(
			false
		);
		const vitals = Array.from({ length: 500 }, (_, i) => i + 1);
		expect(vitals.some((id) => sdvRequired(s, { type: 'vital_reading', id }))).toBe(false);
	});

	it("'all' asks for every record; 100 % sampling does too, 0 % adds none", () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...TYPES),
				fc.integer({ min: 1, max: 10_000_000 }),
				(type, id) => {
					expect(sdvRequired({ ...riskBased(), mode: 'all' }, { type, id })).toBe(true);
					expect(sdvRequired(riskBased({ required: [], samplePercent: 100 }), { type, id })).toBe(
						true
					);
					expect(sdvRequired(riskBased({ required: [], samplePercent: 0 }), { type, id })).toBe(
						false
					);
				}
			)
		);
	});

	it('a sample is the same records every time, about the percentage asked, and grows with it', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...TYPES),
				fc.integer({ min: 1, max: 10_000_000 }),
				(type, id) => {
					const b = sampleBucket(type, id);
					expect(b).toBe(sampleBucket(type, id));
					expect(b).toBeGreaterThanOrEqual(0);
					expect(b).toBeLessThan(100);
				}
			)
		);
		for (const percent of [5, 10, 25, 50]) {
			const s = riskBased({ required: [], samplePercent: percent });
			const drawn = Array.from({ length: 10_000 }, (_, i) => i + 1).filter((id) =>
				sdvRequired(s, { type: 'vital_reading', id })
			);
			// Consecutive ids (as a database gives them) are spread, not drawn in a block.
			expect(drawn.length / 100).toBeGreaterThan(percent - 1.5);
			expect(drawn.length / 100).toBeLessThan(percent + 1.5);
			const more = riskBased({ required: [], samplePercent: percent + 10 });
			expect(drawn.every((id) => sdvRequired(more, { type: 'vital_reading', id }))).toBe(true);
		}
	});
});

describe('in the protocol', () => {
	it('a protocol that says nothing gets the default; one that says a sample keeps its classes', () => {
		const plain = parseProtocol(demoWith((p) => delete loose(p).monitoring));
		expect(plain.ok && plain.protocol.monitoring.sdv).toEqual(DEFAULT_SDV_SETTINGS);
		const sampled = parseProtocol(
			demoWith((p) => {
				loose(p).monitoring = { sdv: { samplePercent: 20 } };
			})
		);
		expect(sampled.ok && sampled.protocol.monitoring.sdv).toEqual({
			...DEFAULT_SDV_SETTINGS,
			samplePercent: 20
		});
	});

	it('refuses a percentage out of range, an unknown record class and an unknown key', () => {
		const bad = (sdv: unknown) =>
			errorsOf(
				demoWith((p) => {
					loose(p).monitoring = { sdv };
				})
			);
		expect(bad({ samplePercent: 120 })).toContainEqual({
			path: 'monitoring.sdv.samplePercent',
			message: 'Give a percentage from 0 to 100.'
		});
		expect(bad({ required: ['lab_result'] })[0]!.path).toBe('monitoring.sdv.required[0]');
		expect(bad({ everything: true })).toContainEqual({
			path: 'monitoring.sdv.everything',
			message: 'Unknown field.'
		});
	});
});

describe('record types the settings can never require', () => {
	it('a type said not requirable has no required record (the summary skips its writes)', () => {
		const settings = fc.record({
			mode: fc.constantFrom('all', 'risk-based') as fc.Arbitrary<SdvSettings['mode']>,
			required: fc.subarray([
				'dosing_session',
				'vital_reading',
				'adverse_event',
				'adverse_event:serious',
				'scale_administration',
				'scale_administration:MADRS'
			]),
			samplePercent: fc.constantFrom(0, 1, 50, 100)
		});
		const record = fc.record({
			type: fc.constantFrom(...TYPES),
			id: fc.integer({ min: 1, max: 100_000 }),
			serious: fc.boolean(),
			instrument: fc.constantFrom('MADRS', 'C-SSRS', 'PHQ9')
		});
		fc.assert(
			fc.property(settings, record, (s, r) => {
				if (sdvRequired(s, r)) expect(sdvTypeRequirable(s, r.type)).toBe(true);
			})
		);
		// The default asks for sessions, serious AEs and two scales; never for vital signs.
		expect(TYPES.filter((t) => sdvTypeRequirable(DEFAULT_SDV_SETTINGS, t))).toEqual([
			'dosing_session',
			'adverse_event',
			'scale_administration'
		]);
	});
});

/** The draw and the requirement as first written (FNV-1a over 'type:id'; every class asked). */
function bucketAsWritten(type: string, id: number): number {
	let h = 0x811c9dc5;
	for (const ch of `${type}:${id}`) {
		h = Math.imul((h ^ ch.charCodeAt(0)) >>> 0, 0x01000193) >>> 0;
	}
	h = (h ^ (h >>> 16)) >>> 0;
	h = Math.imul(h, 0x45d9f3b) >>> 0;
	h = (h ^ (h >>> 16)) >>> 0;
	return h % 100;
}
function requiredAsWritten(
	settings: SdvSettings,
	record: { type: string; id: number; serious?: boolean; instrument?: string }
): boolean {
	if (settings.mode === 'all') return true;
	const listed = settings.required.some((c) => {
		const [type, narrow] = c.split(':');
		if (type !== record.type) return false;
		if (narrow === undefined) return true;
		if (type === 'adverse_event') return record.serious === true;
		return record.instrument === narrow;
	});
	return listed || bucketAsWritten(record.type, record.id) < settings.samplePercent;
}

describe('the draw, made faster for a rebuild of a million records', () => {
	it('draws and requires exactly the records it drew and required as first written', () => {
		const settings = fc.record({
			mode: fc.constantFrom('all' as const, 'risk-based' as const, 'risk-based' as const),
			required: fc.subarray([
				'dosing_session',
				'vital_reading',
				'adverse_event',
				'adverse_event:serious',
				'scale_administration',
				'scale_administration:MADRS',
				'scale_administration:C-SSRS'
			]),
			samplePercent: fc.integer({ min: 0, max: 100 })
		});
		const record = fc.record(
			{
				type: fc.constantFrom(...TYPES),
				id: fc.oneof(
					fc.integer({ min: 1, max: 100_000 }),
					fc.integer({ min: 1, max: 2 ** 53 - 1 })
				),
				serious: fc.boolean(),
				instrument: fc.constantFrom('MADRS', 'C-SSRS', 'PHQ9')
			},
			{ requiredKeys: ['type', 'id'] }
		);
		fc.assert(
			fc.property(settings, record, (s, r) => {
				expect(sampleBucket(r.type, r.id)).toBe(bucketAsWritten(r.type, r.id));
				expect(sdvRequired({ ...DEFAULT_SDV_SETTINGS, ...s }, r)).toBe(
					requiredAsWritten({ ...DEFAULT_SDV_SETTINGS, ...s }, r)
				);
			}),
			{ numRuns: 5000 }
		);
		for (let id = 1; id <= 20_000; id++) {
			expect(sampleBucket('vital_reading', id)).toBe(bucketAsWritten('vital_reading', id));
		}
	});
});
