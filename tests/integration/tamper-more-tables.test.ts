// The tamper suite for the tables `audit verify` did not hold against the trail before: API tokens,
// password hashes, a protocol's definition, source data verification, casebook freezes, study
// locks and unlock requests, e-mail alerts, the on-call roster's removals, an ePRO link's use and
// who may see which site. Each is edited with raw SQL (as someone holding the database file
// would), and verify names the record and the field; no secret (a password or token hash) is
// shown. And the coverage list names every table of the database, compared or not and why.
// On SQLite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_TABLES } from '../../src/lib/server/audit/allocation-vs-trail';
import { CLINICAL_TABLE_NAMES } from '../../src/lib/server/audit/data-vs-trail';
import { TABLE_COVERAGE } from '../../src/lib/server/audit/table-coverage';
import { EVENT_TABLE_NAMES } from '../../src/lib/server/audit/trail-feeds';

import { addOnCall, removeOnCall } from '../../src/lib/server/services/alerts/on-call';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import {
	freezeCasebook,
	lockStudy,
	unfreezeCasebook
} from '../../src/lib/server/services/monitoring/freeze-lock';
import { verifySource } from '../../src/lib/server/services/monitoring/sdv';
import { raiseQuery } from '../../src/lib/server/services/monitoring/queries';
import {
	approveUnlock,
	requestUnlock
} from '../../src/lib/server/services/monitoring/unlock-approval';
import { activateProtocolVersion } from '../../src/lib/server/services/protocol/protocol-versions';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { createApiToken, revokeApiToken } from '../../src/lib/server/services/people/api-tokens';
import { disableUser } from '../../src/lib/server/services/people/users';
import { totpCodeAt } from '../../src/lib/server/auth/totp';
import {
	confirmSecondFactorEnrolment,
	secondFactorStatus,
	startSecondFactorEnrolment
} from '../../src/lib/server/services/people/second-factor';
import { issueEproLink, submitEproLink } from '../../src/lib/server/services/trial/epro';
import { actorFor, runningSession, type TestDb } from '../helpers/db';
import { findingsOf, freshDbEach, verifyUnsigned } from '../helpers/trail';

let t: TestDb;
const NOW = new Date('2026-11-20T18:00:00Z');
const now = () => NOW;

freshDbEach((db) => (t = db));

const verify = () => verifyUnsigned(t);
const found = () => findingsOf(t);

/** One of each, made through the services. */
async function made() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	const admin = await actorFor(t, 'admin', [], now);
	const other = await actorFor(t, 'admin', [], now);
	const monitor = await actorFor(t, 'monitor', ['A1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const reading = await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '09:30',
		systolic: 122,
		diastolic: 80
	});
	await verifySource(monitor, {
		entityType: 'vital_reading',
		entityId: reading.id,
		field: 'systolic',
		source: 'bedside sheet'
	});
	const kept = await createApiToken(c, { name: 'Bed 3 monitor' });
	const revoked = await createApiToken(c, { name: 'Old laptop' });
	await revokeApiToken(c, revoked.apiToken.id);
	const shift = await addOnCall(inv, t.siteA, {
		name: 'Dr Night',
		email: 'night@site.example',
		startsAt: '2026-11-20T08:00',
		endsAt: '2026-11-20T20:00'
	});
	const gone = await addOnCall(inv, t.siteA, {
		name: 'Dr Day',
		email: 'day@site.example',
		startsAt: '2026-11-21T08:00',
		endsAt: '2026-11-21T20:00'
	});
	await removeOnCall(inv, gone.id);
	const link = await issueEproLink(c, p.id, { instrument: 'PHQ9', mode: 'link' });
	const door = { db: t.db, actor: { kind: 'anonymous' as const }, requestId: null, now };
	await submitEproLink(door, link.token, {
		items: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), 1]))
	});
	const query = await raiseQuery(monitor, {
		entityType: 'vital_reading',
		entityId: reading.id,
		field: 'systolic',
		text: 'Source says 112; please check.'
	});
	await freezeCasebook(inv, p.id, { reason: 'Ready for review' });
	await lockStudy(admin, t.studyId, { reason: 'Final analysis' });
	await requestUnlock(other, t.studyId, { reason: 'Query found after lock' });
	const one = async <T>(q: Promise<T | undefined>) => (await q)!;
	return {
		c,
		p,
		admin,
		inv,
		reading,
		query,
		kept: kept.apiToken,
		revoked: revoked.apiToken,
		shift,
		gone,
		link,
		sdv: await one(t.db.selectFrom('source_verification').selectAll().executeTakeFirst()),
		freeze: await one(t.db.selectFrom('casebook_freeze').selectAll().executeTakeFirst()),
		lock: await one(t.db.selectFrom('study_lock').selectAll().executeTakeFirst()),
		request: await one(t.db.selectFrom('study_unlock_request').selectAll().executeTakeFirst()),
		protocol: await one(t.db.selectFrom('protocol_version').selectAll().executeTakeFirst())
	};
}

describe('the tables verify did not hold before, against their trail', () => {
	it('match after they are made through the services', async () => {
		await made();
		const report = await verify();
		expect(report.data).toEqual([]);
		expect(report.ok).toBe(true);
	});

	it('match after an unlock is approved, a casebook unfrozen and a new protocol version activated', async () => {
		const x = await made();
		await approveUnlock(x.admin, t.studyId, { note: 'Second administrator agrees' });
		await unfreezeCasebook(x.inv, x.p.id, { reason: 'Correction needed' });
		const next = structuredClone(DEMO_PROTOCOL_JSON) as { version: string };
		next.version = `${next.version}-b`;
		const loaded = await loadProtocol(t.system, next);
		await activateProtocolVersion(x.admin, loaded.protocolVersionId, { reason: 'Amendment 2' });
		const report = await verify();
		expect(report.data).toEqual([]);
		const versions = await t.db
			.selectFrom('protocol_version')
			.select(['id', 'is_active'])
			.execute();
		expect(versions.filter((v) => v.is_active === 1).map((v) => v.id)).toEqual([
			loaded.protocolVersionId
		]);
		// The old version switched back on in SQL is reported, with the new one's flag unchanged.
		await t.exec(`UPDATE protocol_version SET is_active = 1 WHERE id = ${x.protocol.id}`);
		expect(await found()).toEqual([`protocol_version ${x.protocol.id} is_active`]);
	});

	it('API tokens: a revoked token brought back, a token hash swapped (never shown)', async () => {
		const x = await made();
		const hash = '0'.repeat(64);
		await t.exec(
			`UPDATE api_token SET revoked_at = NULL WHERE id = ${x.revoked.id};
			 UPDATE api_token SET token_hash = '${hash}' WHERE id = ${x.kept.id}`
		);
		expect(await found()).toEqual(
			[`api_token ${x.revoked.id} revoked_at`, `api_token ${x.kept.id} token_hash`].sort()
		);
		const report = JSON.stringify(await verify());
		expect(report).not.toContain(hash);
		const stored = await t.db
			.selectFrom('api_token')
			.select('token_hash')
			.where('id', '=', x.revoked.id)
			.executeTakeFirstOrThrow();
		expect(report).not.toContain(stored.token_hash);
	});

	it("API tokens: the tokens a disabling revoked, brought back in SQL once it's re-enabled", async () => {
		const x = await made();
		await disableUser(x.admin, x.c.actor.id, { reason: 'Left the site' });
		expect(await found()).toEqual([]);
		await t.exec(`UPDATE api_token SET revoked_at = NULL, revoked_cause = NULL`);
		expect(await found()).toEqual(
			[`api_token ${x.kept.id} revoked_at`, `api_token ${x.revoked.id} revoked_at`].sort()
		);
	});

	it('a password hash replaced in SQL (to sign in as someone) is reported, the hash never shown', async () => {
		const x = await made();
		const forged = '$argon2id$v=19$m=19456,t=2,p=1$forged$forged';
		await t.exec(`UPDATE "user" SET password_hash = '${forged}' WHERE id = ${x.c.actor.id}`);
		const report = await verify();
		expect(report.data.map((d) => `${d.table} ${d.id} ${d.field}`)).toEqual([
			`user ${x.c.actor.id} password_hash`
		]);
		expect(JSON.stringify(report)).not.toContain('forged');
	});

	it("a protocol's definition rewritten in SQL is reported", async () => {
		const x = await made();
		const text = x.protocol.definition.replace(/"version":"[^"]*"/, '"version":"edited"');
		expect(text).not.toBe(x.protocol.definition);
		await t.exec(
			`UPDATE protocol_version SET definition = '${text.replace(/'/g, "''")}' WHERE id = ${x.protocol.id}`
		);
		expect(await found()).toEqual([`protocol_version ${x.protocol.id} definition`]);
	});

	it('source data verification: a verified value changed, and a verification deleted', async () => {
		const x = await made();
		await t.exec(`UPDATE source_verification SET value = '99' WHERE id = ${x.sdv.id}`);
		expect(await found()).toEqual([`source_verification ${x.sdv.id} value`]);
		await t.exec(`DELETE FROM source_verification WHERE id = ${x.sdv.id}`);
		expect(await found()).toEqual([`source_verification ${x.sdv.id} (row)`]);
	});

	it('a casebook quietly unfrozen, a study lock lifted and an unlock approved, all in SQL', async () => {
		const x = await made();
		await t.exec(
			`UPDATE casebook_freeze SET unfrozen_at = '2026-11-20T19:00:00.000Z' WHERE id = ${x.freeze.id};
			 UPDATE study_lock SET unlocked_at = '2026-11-20T19:00:00.000Z' WHERE id = ${x.lock.id};
			 UPDATE study_unlock_request SET decision = 'approved' WHERE id = ${x.request.id}`
		);
		expect(await found()).toEqual(
			[
				`casebook_freeze ${x.freeze.id} unfrozen_at`,
				`study_lock ${x.lock.id} unlocked_at`,
				`study_unlock_request ${x.request.id} decision`
			].sort()
		);
	});

	it('who verified, froze, locked or asked to unlock, changed in SQL, is reported', async () => {
		const x = await made();
		const someoneElse = x.c.actor.id; // the coordinator did none of these
		await t.exec(
			`UPDATE source_verification SET verified_by = ${someoneElse} WHERE id = ${x.sdv.id};
			 UPDATE casebook_freeze SET frozen_by = ${someoneElse} WHERE id = ${x.freeze.id};
			 UPDATE study_lock SET locked_by = ${someoneElse} WHERE id = ${x.lock.id};
			 UPDATE study_unlock_request SET requested_by = ${someoneElse} WHERE id = ${x.request.id}`
		);
		expect(await found()).toEqual(
			[
				`casebook_freeze ${x.freeze.id} frozen_by`,
				`source_verification ${x.sdv.id} verified_by`,
				`study_lock ${x.lock.id} locked_by`,
				`study_unlock_request ${x.request.id} requested_by`
			].sort()
		);
	});

	it("the study's active protocol version switched off in SQL (other thresholds apply) is reported", async () => {
		const x = await made();
		expect(x.protocol.is_active).toBe(1);
		await t.exec(`UPDATE protocol_version SET is_active = 0 WHERE id = ${x.protocol.id}`);
		expect(await found()).toEqual([`protocol_version ${x.protocol.id} is_active`]);
	});

	it('an e-mail alert marked sent in SQL (so it is never sent) is reported', async () => {
		await made();
		await t.exec(
			`INSERT INTO alert_sent (kind, entity_type, entity_id, site_id, recipients, sent_at)
			 VALUES ('flag.urgent', 'flag', 1, ${t.siteA}, 'nobody@site.example', '2026-11-20T18:00:00.000Z')`
		);
		const row = await t.db.selectFrom('alert_sent').select('id').executeTakeFirstOrThrow();
		expect(await found()).toEqual([`alert_sent ${row.id} (row)`]);
	});

	it('the on-call roster: a removed shift put back, a standing shift removed', async () => {
		const x = await made();
		await t.exec(
			`UPDATE on_call SET removed_at = NULL WHERE id = ${x.gone.id};
			 UPDATE on_call SET removed_at = '2026-11-20T18:30:00.000Z' WHERE id = ${x.shift.id}`
		);
		expect(await found()).toEqual(
			[`on_call ${x.gone.id} removed_at`, `on_call ${x.shift.id} removed_at`].sort()
		);
	});

	it('an ePRO link made usable again after its use', async () => {
		const x = await made();
		await t.exec(
			`UPDATE epro_link SET used_at = NULL, scale_administration_id = NULL WHERE id = ${x.link.id}`
		);
		expect(await found()).toEqual(
			[`epro_link ${x.link.id} scale_administration_id`, `epro_link ${x.link.id} used_at`].sort()
		);
	});

	it("an administrator's second factor deleted, a key swapped, a recovery code added: all in SQL", async () => {
		await made();
		const admin = await actorFor(t, 'admin', [], now);
		const other = await actorFor(t, 'admin', [], now);
		for (const u of [admin, other]) {
			await startSecondFactorEnrolment(u);
			const secret = (await secondFactorStatus(u)).pending!.secret;
			await confirmSecondFactorEnrolment(u, { code: totpCodeAt(secret, NOW.getTime()) });
		}
		expect(await found()).toEqual([]);
		const key = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
		await t.exec(
			`DELETE FROM user_totp WHERE user_id = ${admin.actor.id};
			 UPDATE user_totp SET secret = '${key}' WHERE user_id = ${other.actor.id};
			 INSERT INTO recovery_code (user_id, code_hash, created_at)
			 VALUES (${other.actor.id}, '${'a'.repeat(64)}', '2026-11-20T18:00:00.000Z')`
		);
		expect(await found()).toEqual(
			[
				`user_totp ${admin.actor.id} (row)`,
				`user_totp ${other.actor.id} secret`,
				`recovery_code ${other.actor.id} used_at`
			].sort()
		);
		expect(JSON.stringify(await verify())).not.toContain(key);
	});

	it("a query's answer rewritten in SQL, and a step slipped in", async () => {
		const { query } = await made();
		const raised = await t.db
			.selectFrom('data_query_step')
			.select('id')
			.where('query_id', '=', query.id)
			.executeTakeFirstOrThrow();
		await t.exec(
			`UPDATE data_query_step SET text = 'Nothing to check.' WHERE id = ${raised.id};
			 INSERT INTO data_query_step (query_id, step, at, actor_name, actor_role, text)
			 VALUES (${query.id}, 'close', '2026-11-20T18:30:00.000Z', 'x', 'monitor', 'Closed')`
		);
		const added = await t.db
			.selectFrom('data_query_step')
			.select('id')
			.where('step', '=', 'close')
			.executeTakeFirstOrThrow();
		expect(await found()).toEqual(
			[`data_query_step ${raised.id} text`, `data_query_step ${added.id} (row)`].sort()
		);
	});

	it('a site given to a user in SQL (an escalation of access) is reported with the user', async () => {
		const x = await made();
		await t.exec(`INSERT INTO user_site (user_id, site_id) VALUES (${x.c.actor.id}, ${t.siteB})`);
		expect(await found()).toEqual([`user_site ${x.c.actor.id} site_id`]);
	});
});

describe('every table is compared with the trail, or listed with why not', () => {
	it('names every table the migrated database has, and every table db/schema.ts declares', async () => {
		const tables = (await t.db.introspection.getTables())
			.map((table) => table.name)
			.filter((name) => !name.startsWith('kysely_'));
		const schema = readFileSync('src/lib/server/db/schema.ts', 'utf8');
		const declared = [
			...schema.slice(schema.indexOf('export interface DB {')).matchAll(/^\t(\w+): \w+Table;$/gm)
		].map((m) => m[1]!);
		expect(declared.length).toBeGreaterThan(30);
		const listed = Object.keys(TABLE_COVERAGE).sort();
		expect(listed).toEqual([...new Set([...tables, ...declared])].sort());
	});

	it('says how each compared table is compared, and each check compares what it says', () => {
		const by = (how: string) =>
			Object.entries(TABLE_COVERAGE)
				.filter(([, c]) => 'compared' in c && c.compared === how)
				.map(([name]) => name)
				.sort();
		expect(by('columns')).toEqual([...CLINICAL_TABLE_NAMES].sort());
		expect(by('rows')).toEqual(
			[...EVENT_TABLE_NAMES, 'user_site', 'user_totp', 'recovery_code'].sort()
		);
		expect(by('rows')).toContain('data_query_step');
		expect(by('allocation')).toEqual([...ALLOCATION_TABLES].sort());
		for (const c of Object.values(TABLE_COVERAGE)) {
			if ('notCompared' in c) expect(c.notCompared.length).toBeGreaterThan(20);
		}
	});
});
