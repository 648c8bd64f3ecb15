// The breaches shown at once for a reading waiting on the device: the server's rules, run on the
// queued readings with the session's stored ones. Oracles from DOMAIN.md §1's default table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAFETY_RULES } from '../../../src/lib/domain/protocol/defaults';
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../src/lib/domain/protocol/defaults-session';
import {
	provisionalFlags,
	provisionalHold,
	type RuleSheet
} from '../../../src/lib/components/session/provisional-flags';
import { supplementalHold } from '../../../src/lib/domain/safety';
import type { QueuedReading } from '../../../src/lib/components/session/reading-queue';

const T0 = '2027-01-14T09:00:00.000Z'; // 10:00 in Oslo
const NOW = new Date('2027-01-14T10:05:00.000Z');

function sheet(readings: RuleSheet['readings'] = [], supplementalDecided = false): RuleSheet {
	return {
		supplementalDecided,
		sessionId: 7,
		timeZone: 'Europe/Oslo',
		t0: T0,
		endedAt: null,
		expectedDurationMinutes: 480,
		timepoints: DEFAULT_VITALS_TIMEPOINTS,
		rules: DEFAULT_SAFETY_RULES,
		readings
	};
}

let n = 0;
function queued(fields: Record<string, string>, extra: Partial<QueuedReading> = {}): QueuedReading {
	n += 1;
	return {
		clientKey: `key-${n}`,
		sessionId: 7,
		rowKey: fields.timepoint ?? '60',
		label: '1 H POST-DOSE',
		fields: { timepoint: '60', takenAt: '11:02', temperatureUnit: 'C', ...fields },
		queuedAt: '2027-01-14T10:03:00.000Z',
		refused: null,
		...extra
	};
}

const levels = (flags: { level: string }[] | undefined) => (flags ?? []).map((f) => f.level);

describe('provisional flags of queued readings', () => {
	it('flags a systolic of 160 as action and 159 as notify (CTCAE grade 3 / 2)', () => {
		const at160 = queued({ systolic: '160', diastolic: '80' });
		const at159 = queued({ systolic: '159', diastolic: '80', timepoint: '90' });
		const out = provisionalFlags(sheet(), [at160, at159], NOW);
		expect(levels(out[at160.clientKey])).toEqual(['action']);
		expect(out[at160.clientKey]![0]!.message).toContain('Systolic 160 mmHg');
		expect(levels(out[at159.clientKey])).toEqual(['notify']);
	});

	it('reads a temperature typed in °F: 100.4F is 38.0 °C, fever (action)', () => {
		const item = queued({ temperature: '100.4F' });
		expect(levels(provisionalFlags(sheet(), [item], NOW)[item.clientKey])).toEqual(['action']);
	});

	it('measures a rise from the stored pre-dose baseline (SBP +40 → action)', () => {
		const baseline = {
			id: 1,
			takenAt: '2027-01-14T08:31:00.000Z',
			systolic: 115,
			timepointNumber: 1
		};
		const item = queued({ systolic: '155', diastolic: '80' });
		const flags = provisionalFlags(sheet([baseline]), [item], NOW)[item.clientKey];
		expect(levels(flags)).toEqual(['action', 'notify']);
		expect(flags!.map((f) => f.message).join(' ')).toContain('baseline');
	});

	it("gives nothing for values the server would refuse, refused or other sessions' readings", () => {
		const implausible = queued({ systolic: '400', diastolic: '80' });
		const refused = queued(
			{ systolic: '190', diastolic: '80', timepoint: '90' },
			{ refused: { messages: ['x'], needsConfirmation: false } }
		);
		const elsewhere = queued(
			{ systolic: '190', diastolic: '80', timepoint: '120' },
			{ sessionId: 8 }
		);
		const badTime = queued({
			systolic: '190',
			diastolic: '80',
			timepoint: '120',
			takenAt: '25:99'
		});
		expect(provisionalFlags(sheet(), [implausible, refused, elsewhere, badTime], NOW)).toEqual({});
	});

	it('never reports a stored reading, only the queued ones', () => {
		const stored = {
			id: 3,
			takenAt: '2027-01-14T09:30:00.000Z',
			systolic: 190,
			timepointNumber: 2
		};
		const item = queued({ heartRate: '80' });
		expect(provisionalFlags(sheet([stored]), [item], NOW)).toEqual({});
	});

	it('grades any plausible systolic (diastolic 70) by the default bands', () => {
		fc.assert(
			fc.property(fc.integer({ min: 75, max: 300 }), (sbp) => {
				const item = queued({ systolic: String(sbp), diastolic: '70' });
				const expected =
					sbp > 180
						? ['urgent']
						: sbp >= 160
							? ['action']
							: sbp >= 140 || sbp < 90
								? ['notify']
								: [];
				expect(levels(provisionalFlags(sheet(), [item], NOW)[item.clientKey])).toEqual(expected);
			})
		);
	});
});

describe('the supplemental-dose hold of queued readings', () => {
	const hold = (sbp: number, extra: Partial<QueuedReading> = {}, s = sheet()) =>
		provisionalHold(s, [queued({ systolic: String(sbp), diastolic: '70' }, extra)], NOW);

	it('holds for an action-level reading after T0 (SBP 160), in the words the server shows', () => {
		const out = hold(160);
		expect(out).toHaveLength(1);
		expect(out[0]).toContain('Systolic 160 mmHg');
		// The server's banner for the same reading once stored (session-view's hold).
		const stored = { id: 9, takenAt: '2027-01-14T10:02:00.000Z', systolic: 160, diastolic: 70 };
		expect(out).toEqual(
			supplementalHold({ t0: T0, readings: [stored] }, DEFAULT_SAFETY_RULES, NOW).map(
				(h) => h.message
			)
		);
	});

	it('does not hold for a notify-level reading (SBP 159), one before T0, or a refused one', () => {
		expect(hold(159)).toEqual([]);
		const predose = { rowKey: '-30', fields: { timepoint: '-30', takenAt: '09:40' } };
		expect(
			provisionalHold(
				sheet(),
				[queued({ ...predose.fields, systolic: '190', diastolic: '70' }, { rowKey: '-30' })],
				NOW
			)
		).toEqual([]);
		expect(hold(190, { refused: { messages: ['x'], needsConfirmation: false } })).toEqual([]);
	});

	it('shows nothing once the dose is recorded, as the server stops showing its hold', () => {
		expect(hold(190, {}, sheet([], true))).toEqual([]);
	});

	it("leaves a stored reading's hold to the server's banner", () => {
		const stored = {
			id: 3,
			takenAt: '2027-01-14T09:30:00.000Z',
			systolic: 190,
			timepointNumber: 2
		};
		expect(provisionalHold(sheet([stored]), [queued({ heartRate: '80' })], NOW)).toEqual([]);
	});

	it('holds for any plausible systolic at or above the action band (diastolic 70)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 75, max: 300 }), (sbp) => {
				expect(hold(sbp).length > 0).toBe(sbp >= 160);
			})
		);
	});
});
