// Field-by-field SDV (DOMAIN-2 §8: "any change to a verified value returns it to pending"): the
// oracle is that rule itself, applied to one field at a time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SDV_FIELDS,
	fieldSdvStatus,
	recordSdvStatus,
	sdvFieldsOf,
	sdvFieldsSchema,
	type SdvMark
} from '../../../src/lib/domain/monitoring/sdv-fields';
import { RECORD_FIELDS } from '../../../src/lib/domain/monitoring/fields';

const FIELDS = ['systolic', 'diastolic', 'heart_rate'] as const;
const value = fc.option(fc.string({ maxLength: 4 }), { nil: null });

describe('a field verified against source', () => {
	it('stands while its value is the one verified; another field changing does not touch it', () => {
		fc.assert(
			fc.property(
				fc.record({ systolic: value, diastolic: value, heart_rate: value }),
				fc.constantFrom(...FIELDS),
				fc.string({ minLength: 1, maxLength: 4 }),
				(verified, changedField, newValue) => {
					const marks: SdvMark[] = FIELDS.map((f) => ({
						field: f,
						value: verified[f],
						version: 1
					}));
					const now = { ...verified, [changedField]: newValue };
					for (const f of FIELDS) {
						const { status } = fieldSdvStatus(f, { value: now[f], version: 2 }, marks);
						const same = now[f] === verified[f];
						expect(status).toBe(same ? 'verified' : 'changed');
						if (f !== changedField) expect(status).toBe('verified');
					}
				}
			)
		);
	});

	it('is pending until marked; the latest mark decides; an older whole-record mark follows the version', () => {
		expect(fieldSdvStatus('systolic', { value: '120', version: 1 }, []).status).toBe('pending');
		const marks: SdvMark[] = [
			{ field: 'systolic', value: '118', version: 1 },
			{ field: 'diastolic', value: '80', version: 1 },
			{ field: 'systolic', value: '120', version: 2 }
		];
		expect(fieldSdvStatus('systolic', { value: '120', version: 3 }, marks)).toEqual({
			status: 'verified',
			mark: 2
		});
		const whole: SdvMark[] = [{ field: null, value: null, version: 4 }];
		expect(fieldSdvStatus('systolic', { value: '1', version: 4 }, whole).status).toBe('verified');
		expect(fieldSdvStatus('systolic', { value: '1', version: 5 }, whole).status).toBe('changed');
		// A field mark after the whole-record one takes over for that field only.
		const later = [...whole, { field: 'systolic', value: '1', version: 5 }];
		expect(fieldSdvStatus('systolic', { value: '1', version: 5 }, later).status).toBe('verified');
		expect(fieldSdvStatus('diastolic', { value: '1', version: 5 }, later).status).toBe('changed');
	});
});

describe('a record from its fields', () => {
	it('verified only when every field is; changed when any went back; else pending or not required', () => {
		expect(recordSdvStatus(true, ['verified', 'verified'])).toBe('verified');
		expect(recordSdvStatus(false, ['verified'])).toBe('verified');
		expect(recordSdvStatus(true, ['verified', 'changed', 'pending'])).toBe('changed');
		expect(recordSdvStatus(true, ['verified', 'pending'])).toBe('pending');
		expect(recordSdvStatus(false, ['verified', 'pending'])).toBe('not-required');
		expect(recordSdvStatus(true, [])).toBe('pending');
	});
});

describe('the fields in the protocol', () => {
	it('defaults name only real fields of each record; a protocol list replaces its type only', () => {
		for (const [type, fields] of Object.entries(DEFAULT_SDV_FIELDS)) {
			const known = Object.keys(RECORD_FIELDS[type as keyof typeof RECORD_FIELDS]);
			expect(fields.every((f) => known.includes(f))).toBe(true);
			expect(fields.length).toBeGreaterThan(0);
		}
		const mine = { vital_reading: ['systolic'] };
		expect(sdvFieldsOf(mine, 'vital_reading')).toEqual(['systolic']);
		expect(sdvFieldsOf(mine, 'dosing_session')).toEqual(DEFAULT_SDV_FIELDS.dosing_session);
		expect(sdvFieldsOf(undefined, 'adverse_event')).toEqual(DEFAULT_SDV_FIELDS.adverse_event);
	});

	it('refuses an unknown field, an empty list and an unknown record type, saying which', () => {
		const bad = sdvFieldsSchema.safeParse({ vital_reading: ['systolic', 'blood_type'] });
		expect(bad.success).toBe(false);
		expect(bad.error!.issues[0]!.path).toEqual(['vital_reading', 1]);
		expect(bad.error!.issues[0]!.message).toContain('systolic');
		expect(sdvFieldsSchema.safeParse({ vital_reading: [] }).success).toBe(false);
		expect(sdvFieldsSchema.safeParse({ visit: ['status'] }).success).toBe(false);
	});
});
