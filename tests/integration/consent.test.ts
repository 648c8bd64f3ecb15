import { listDeviations } from '../../src/lib/server/services/protocol/deviations';
import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import {
	addFormVersion,
	participantConsent,
	reconsentList,
	recordConsent,
	withdrawConsent
} from '../../src/lib/server/services/trial/consent';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { sql } from 'kysely';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');

freshDbEach((db) => (t = db));

const madrs = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), '3']));

/** Activates a copy of the demo protocol with this consent gate (the demo records deviations). */
async function gate(mode: 'refuse' | 'deviation') {
	const json = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
	json.version = `1.1-${mode}`;
	json.consent = { withoutValidConsent: mode };
	await loadProtocol(t.system, json);
	await t.db.updateTable('protocol_version').set({ is_active: 0 }).execute();
	await t.db
		.updateTable('protocol_version')
		.set({ is_active: 1 })
		.where('version', '=', `1.1-${mode}`)
		.execute();
}

async function setup(mode: 'refuse' | 'deviation' = 'refuse') {
	await gate(mode);
	const admin = await actorFor(t, 'admin', [], NOW);
	const c = await actorFor(t, 'coordinator', ['A1'], NOW);
	const v1 = await addFormVersion(admin, t.studyId, {
		label: '1.0',
		approvedOn: '2026-08-01',
		activeFrom: '2026-08-15',
		reconsentRequired: false
	});
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const visits = await listVisits(c, p.id);
	const visit = (code: string) => visits.find((v) => v.visit_code === code)!;
	return { admin, c, v1, p, visit };
}

const consent = (formVersionId: number, signedAt: string, extra: Record<string, unknown> = {}) => ({
	formVersionId: String(formVersionId),
	signedAt,
	signer: 'participant',
	obtainedByName: 'Dr Berg',
	copyGivenOn: signedAt.slice(0, 10),
	copyMedium: 'paper',
	...extra
});

describe('consent form versions', () => {
	it('only admins add versions; a version cannot be used before its approval; labels are unique', async () => {
		const { admin, c } = await setup();
		await expect(
			addFormVersion(c, t.studyId, {
				label: '2.0',
				approvedOn: '2026-09-01',
				activeFrom: '2026-09-02'
			})
		).rejects.toBeInstanceOf(ForbiddenError);
		const early = await addFormVersion(admin, t.studyId, {
			label: '2.0',
			approvedOn: '2026-09-10',
			activeFrom: '2026-09-01'
		}).catch((e: unknown) => e);
		expect((early as ValidationError).fieldErrors.activeFrom).toBeDefined();
		const dup = await addFormVersion(admin, t.studyId, {
			label: '1.0',
			approvedOn: '2026-08-01',
			activeFrom: '2026-08-15'
		}).catch((e: unknown) => e);
		expect(dup).toBeInstanceOf(ConflictError);
	});
});

describe('the consent gate (refuse, the default)', () => {
	it('refuses a scale, a visit and a dosing session before consent; allows them after', async () => {
		const { c, v1, p, visit } = await setup();
		const scale = () =>
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: String(visit('SCR').id),
				administeredAt: '2026-10-01T10:00',
				items: madrs
			});
		const refusal = await scale().catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(ConflictError);
		expect((refusal as ConflictError).message).toMatch(/No informed consent is recorded/);
		await expect(
			recordVisit(c, visit('SCR').id, { status: 'completed', actualOn: '2026-10-01' })
		).rejects.toBeInstanceOf(ConflictError);

		// Same-day screening: consent signed 09:30 Oslo, scale at 10:00 passes; at 09:00 it would not.
		await recordConsent(c, p.id, consent(v1.id, '2026-10-01T09:30'));
		await expect(scale()).resolves.toMatchObject({ total: 30 });
		const before = await recordScaleAdministration(c, p.id, {
			instrument: 'PHQ9',
			visitId: String(visit('SCR').id),
			administeredAt: '2026-10-01T09:00',
			items: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), '1']))
		}).catch((e: unknown) => e);
		expect((before as ConflictError).message).toMatch(/signed after this time/);
		await expect(
			recordVisit(c, visit('SCR').id, { status: 'completed', actualOn: '2026-10-01' })
		).resolves.toMatchObject({ status: 'completed' });
		const dosing = visit('DS1');
		await expect(
			startDosingSession(c, p.id, {
				visitId: dosing.id,
				t0: '2026-11-20T10:00',
				initialDoseMg: '120',
				deviationReason: 'test set-up'
			})
		).resolves.toMatchObject({ initial_dose_mg: 120 });
	});

	it('a new version that requires re-consent blocks the next dosing session and lists the participant', async () => {
		const { admin, c, v1, p, visit } = await setup();
		await recordConsent(c, p.id, consent(v1.id, '2026-09-20T09:30'));
		const v2 = await addFormVersion(admin, t.studyId, {
			label: '2.0',
			approvedOn: '2026-11-01',
			activeFrom: '2026-11-10',
			reconsentRequired: 'on',
			summary: 'New cardiac safety information'
		});
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		expect(await reconsentList(inv, t.studyId)).toEqual([
			expect.objectContaining({
				subjectCode: p.subjectCode,
				currentVersion: '1.0',
				requiredVersion: '2.0'
			})
		]);
		const dose = () =>
			startDosingSession(c, p.id, {
				visitId: visit('DS1').id,
				t0: '2026-11-20T10:00',
				initialDoseMg: '120',
				deviationReason: 'test set-up'
			});
		const refused = await dose().catch((e: unknown) => e);
		expect((refused as ConflictError).message).toMatch(/Re-consent on form version 2\.0/);

		// Re-consent needs its reason; then the participant leaves the list and dosing goes ahead.
		const noReason = await recordConsent(c, p.id, consent(v2.id, '2026-11-15T11:00')).catch(
			(e: unknown) => e
		);
		expect((noReason as ValidationError).fieldErrors.reason).toBeDefined();
		await recordConsent(
			c,
			p.id,
			consent(v2.id, '2026-11-15T11:00', { reconsentReason: 'Version 2.0' })
		);
		expect(await reconsentList(inv, t.studyId)).toEqual([]);
		await expect(dose()).resolves.toMatchObject({ initial_dose_mg: 120 });
		const view = await participantConsent(c, p.id);
		expect(view.validity).toMatchObject({ valid: true, version: { label: '2.0' } });
		expect(view.records).toHaveLength(2);
	});

	it('withdrawal ends consent; the audit trail holds every step', async () => {
		const { c, v1, p, visit } = await setup();
		const rec = await recordConsent(c, p.id, consent(v1.id, '2026-09-20T09:30'));
		await withdrawConsent(c, rec.id, {
			withdrawnAt: '2026-11-01T12:00',
			scope: 'All study procedures'
		});
		const refused = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			visitId: String(visit('BL').id),
			administeredAt: '2026-11-02T10:00',
			items: madrs
		}).catch((e: unknown) => e);
		expect((refused as ConflictError).message).toMatch(/withdrawn/);
		const actions = await t.db
			.selectFrom('audit_event')
			.select(['action', 'new_values'])
			.where(sql.ref<string>('action'), 'like', 'consent.%')
			.orderBy('seq')
			.execute();
		expect(actions.map((a) => a.action)).toEqual([
			'consent.form_version_add',
			'consent.record',
			'consent.withdraw'
		]);
		expect(JSON.parse(actions[1]!.new_values!)).toMatchObject({
			formVersion: '1.0',
			copyMedium: 'paper'
		});
	});

	it('a legally authorised representative needs a name and relation; future signing is refused', async () => {
		const { c, v1, p } = await setup();
		const lar = await recordConsent(
			c,
			p.id,
			consent(v1.id, '2026-09-20T09:30', { signer: 'lar' })
		).catch((e: unknown) => e);
		expect(Object.keys((lar as ValidationError).fieldErrors).sort()).toEqual([
			'larName',
			'larRelation'
		]);
		const future = await recordConsent(c, p.id, consent(v1.id, '2026-12-20T09:30')).catch(
			(e: unknown) => e
		);
		expect((future as ValidationError).fieldErrors.signedAt).toBeDefined();
	});
});

describe('the consent gate set to "deviation"', () => {
	it('allows the procedure and records an INFORMED CONSENT deviation in the same transaction', async () => {
		const { c, p, visit } = await setup('deviation');
		await expect(
			recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: String(visit('SCR').id),
				administeredAt: '2026-10-01T10:00',
				items: madrs
			})
		).resolves.toMatchObject({ total: 30 });
		const marker = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'consent.procedure_without_consent')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(marker.new_values!)).toMatchObject({
			category: 'INFORMED CONSENT',
			procedure: 'MADRS'
		});
		// …and the deviation itself, listed with the participant's others (issue 12).
		const [deviation] = await listDeviations(c, { participantId: p.id });
		expect(deviation).toMatchObject({
			category: 'INFORMED CONSENT',
			important: true,
			ruleId: 'deviation.consent.missing'
		});
		expect(deviation!.description).toMatch(/^MADRS without valid consent/);
	});
});
