// The audit trail in words: labels and units, before → after, the action as a phrase.
import { describe, expect, it } from 'vitest';
import {
	actionWords,
	fieldKey,
	formatFieldValue,
	readableChanges
} from '../../../src/lib/domain/monitoring/audit-words';

describe('readable changes', () => {
	it('an older trail\u2019s column-named key is the same field as the camelCase key that replaced it', () => {
		for (const [old, current] of [
			['heart_rate', 'heartRate'],
			['temperature_c', 'temperatureC'],
			['entered_in_error_at', 'enteredInErrorAt'],
			['t0', 't0']
		]) {
			expect(fieldKey(old!)).toBe(current);
			expect(fieldKey(current!)).toBe(current);
			expect(readableChanges('vital_reading', null, { [old!]: 36 })[0]!.label).toBe(
				readableChanges('vital_reading', null, { [current!]: 36 })[0]!.label
			);
		}
	});

	it('a correction of a reading: labels with units, before → after, unchanged fields left out', () => {
		expect(
			readableChanges(
				'vital_reading',
				{ systolic: 172, heart_rate: 96, position: 'sitting' },
				{ systolic: 148, heart_rate: 96, position: 'supine' }
			)
		).toEqual([
			{
				field: 'systolic',
				label: 'Systolic blood pressure (mmHg)',
				before: '172 mmHg',
				after: '148 mmHg'
			},
			{ field: 'position', label: 'Position', before: 'sitting', after: 'supine' }
		]);
	});

	it('a first entry has only the after side; camelCase keys and the trail’s short names work', () => {
		const created = readableChanges('vitals', null, {
			measured_at: '2026-11-20T09:30:00.000Z',
			temperature_c: 36.8,
			heartRate: 70,
			session: 12
		});
		expect(created).toEqual([
			{ field: 'measured_at', label: 'Measured at', before: null, after: '2026-11-20 09:30 UTC' },
			{ field: 'temperature_c', label: 'Temperature (°C)', before: null, after: '36.8 °C' },
			{ field: 'heartRate', label: 'Heart rate (bpm)', before: null, after: '70 bpm' },
			{ field: 'session', label: 'Session', before: null, after: '12' }
		]);
		const ae = readableChanges('adverse_event', null, { verbatimTerm: 'Headache', serious: false });
		expect(ae.map((c) => [c.label, c.after])).toEqual([
			['Verbatim term', 'Headache'],
			['Serious', 'no']
		]);
	});

	it('a value set to nothing shows a dash; nested values are spelled out', () => {
		expect(
			readableChanges('adverse_event', { end_at: '2026-11-21T08:00:00Z' }, { end_at: null })
		).toEqual([{ field: 'end_at', label: 'End', before: '2026-11-21 08:00 UTC', after: '—' }]);
		expect(
			formatFieldValue('adverse_event', 'criteria', { death: 'no', lifeThreatening: 'yes' })
		).toBe('death: no; life threatening: yes');
		expect(formatFieldValue('x', 'y', [1, 'a', true])).toBe('1, a, yes');
		expect(readableChanges('flag', 'raised', 'closed')).toEqual([
			{ field: '', label: 'Value', before: 'raised', after: 'closed' }
		]);
		expect(readableChanges('flag', null, null)).toEqual([]);
	});
});

describe('actions in words', () => {
	it.each([
		['vitals.update', 'Vital signs corrected'],
		['vitals.create', 'Vital signs recorded'],
		['adverse_event.entered_in_error', 'Adverse event marked entered in error'],
		['flag.auto_close', 'Flag closed automatically'],
		['alert.sent', 'E-mail alert sent'],
		['dosing_session.update', 'Dosing session corrected'],
		['query.raise', 'Query raised'],
		['casebook.freeze', 'Casebook freeze']
	])('%s → %s', (action, words) => {
		expect(actionWords(action)).toBe(words);
	});
});
