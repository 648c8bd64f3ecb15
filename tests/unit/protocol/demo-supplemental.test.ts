// The demo's supplemental-dose decision: held when the domain's gate says hold, with the finding
// that held it in words (taken from the domain's structured finding, not cut out of a message).
import { describe, expect, it } from 'vitest';
import { demoProtocol } from '../../../src/lib/domain/protocol';
import { decideSupplemental } from '../../../src/lib/server/demo/supplemental';
import { Random } from '../../../src/lib/server/demo/random';

const MINUTE = 60_000;
const t0 = Date.UTC(2026, 0, 5, 9, 0);
const calm = { systolic: 120, diastolic: 78, heartRate: 80, temperature: 36.8, spo2: 98 };

describe('the demo supplemental-dose decision', () => {
	it('holds the dose with the finding that held it, without the level or its instruction', () => {
		const readings = [
			{ takenAt: t0 - 10 * MINUTE, values: { ...calm, systolic: 160 } },
			{ takenAt: t0 + 75 * MINUTE, values: { ...calm, systolic: 185 } }
		];
		const plan = decideSupplemental(Random.of('test', 1), demoProtocol(), {
			t0,
			initialDoseMg: 120,
			readings
		});
		expect(plan.given).toBe(false);
		expect(plan.given ? '' : plan.reason).toMatch(
			/^Systolic 185 mmHg is above \d+: supplemental dose held per protocol\.$/
		);
	});

	it('gives half the initial dose when no reading holds it', () => {
		const readings = [{ takenAt: t0 + 75 * MINUTE, values: calm }];
		const plans = [1, 2, 3, 4, 5].map((n) =>
			decideSupplemental(Random.of('test', n), demoProtocol(), { t0, initialDoseMg: 120, readings })
		);
		const given = plans.filter((p) => p.given);
		expect(given.length).toBeGreaterThan(0);
		for (const p of given) expect(p.given && p.doseMg).toBe(60);
	});
});
