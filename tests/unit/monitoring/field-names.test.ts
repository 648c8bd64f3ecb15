// A field name typed into a form is looked up among the vocabulary's own keys only: names every
// object has ('valueOf', 'constructor', '__proto__') are no field (the form fuzz found a 500 so).
import { describe, expect, it } from 'vitest';
import { fieldInfo, isRecordType } from '../../../src/lib/domain/monitoring/fields';

describe('monitoring field names', () => {
	it('knows a real field', () => {
		expect(fieldInfo('vital_reading', 'systolic')).not.toBeNull();
	});

	it.each(['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
		'%s is no field and no record type',
		(name) => {
			expect(fieldInfo('vital_reading', name)).toBeNull();
			expect(fieldInfo('adverse_event', name)).toBeNull();
			expect(isRecordType(name)).toBe(false);
		}
	);
});
