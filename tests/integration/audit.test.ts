import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { createSite, updateSite } from '../../src/lib/server/services/people/sites';
import { ConflictError, ValidationError } from '../../src/lib/server/runtime/errors';
import { freshDb, type TestDb, freshDbEach } from '../helpers/db';
import { dropTriggerSql } from '../helpers/database';

let t: TestDb;
freshDbEach((db) => (t = db));
beforeEach(async () => {
	await updateSite(t.system, t.siteA, {
		name: 'Site A (main)',
		timezone: 'Europe/Oslo',
		reason: 'full name'
	});
	await updateSite(t.system, t.siteB, {
		name: 'Site B (east)',
		timezone: 'America/New_York',
		reason: 'full name'
	});
});

/** What an attacker with the database file could do: drop the triggers first. */
async function tamper(sqlStatement: string) {
	await t.exec(
		dropTriggerSql(t.opened, 'audit_event_no_update', 'audit_event') +
			dropTriggerSql(t.opened, 'audit_event_no_delete', 'audit_event')
	);
	await t.exec(sqlStatement);
}

describe('the audit trail', () => {
	it('refuses UPDATE and DELETE', async () => {
		await expect(t.exec("UPDATE audit_event SET reason = 'x' WHERE seq = 1")).rejects.toThrow(
			/append-only/
		);
		await expect(t.exec('DELETE FROM audit_event WHERE seq = 1')).rejects.toThrow(/append-only/);
		await expect(t.exec('DELETE FROM audit_head')).rejects.toThrow(/cannot be deleted/);
	});

	it('records who, what, old and new values and the reason', async () => {
		const row = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'site.update')
			.orderBy('seq')
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			actor_label: 'test',
			actor_role: 'system',
			site_id: t.siteA,
			entity_type: 'site',
			entity_id: String(t.siteA),
			reason: 'full name'
		});
		expect(JSON.parse(row.old_values!)).toEqual({ name: 'Site A' });
		expect(JSON.parse(row.new_values!)).toEqual({ name: 'Site A (main)' });
		expect(row.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	});

	it('verifies when untouched', async () => {
		const rows = await t.db.selectFrom('audit_event').select('seq').execute();
		expect(rows.length).toBeGreaterThanOrEqual(4);
		const report = await verifyAuditChain(t.system);
		expect(report).toMatchObject({ ok: true, rows: rows.length, problem: null });
		expect(report.head?.seq).toBe(rows.length);
	});

	it('names the row that was edited', async () => {
		await tamper("UPDATE audit_event SET reason = 'no reason' WHERE seq = 3");
		const report = await verifyAuditChain(t.system);
		expect(report.ok).toBe(false);
		expect(report.problem).toMatchObject({ seq: 3, kind: 'hash' });
	});

	it('detects a deleted row in the middle and at the end', async () => {
		await tamper('DELETE FROM audit_event WHERE seq = 2');
		expect((await verifyAuditChain(t.system)).problem).toMatchObject({ seq: 3, kind: 'sequence' });
		const t2 = await freshDb();
		// Cutting off the last row leaves a chain that links, but ends short of the recorded head.
		await t2.exec(
			dropTriggerSql(t2.opened, 'audit_event_no_delete', 'audit_event') +
				'DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)'
		);
		expect((await verifyAuditChain(t2.system)).problem?.kind).toBe('head');
		await t2.db.destroy();
	});

	it('detects an inserted row', async () => {
		const last = (await t.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
		await tamper(
			`INSERT INTO audit_event (seq, at, actor_label, actor_role, action, entity_type, prev_hash, hash)
			 SELECT ${last + 1}, at, 'intruder', 'admin', 'site.update', 'site', hash, '${'ab'.repeat(32)}' FROM audit_event WHERE seq = ${last}`
		);
		expect((await verifyAuditChain(t.system)).problem).toMatchObject({
			seq: last + 1,
			kind: 'hash'
		});
	});

	it('walked in short runs (as on read workers at scale), finds what one walk finds', async () => {
		const inRuns = async () => {
			const one = await verifyAuditChain(t.system, { key: null });
			for (const chainPartRows of [1, 2, 3]) {
				const runs = await verifyAuditChain(t.system, { key: null, chainPartRows });
				expect(runs, `runs of ${chainPartRows}`).toEqual(one);
			}
			return one.problem;
		};
		expect(await inRuns()).toBeNull();
		await tamper("UPDATE audit_event SET reason = 'no reason' WHERE seq = 3");
		expect(await inRuns()).toMatchObject({ seq: 3, kind: 'hash' });
		await tamper('DELETE FROM audit_event WHERE seq = 2');
		expect(await inRuns()).toMatchObject({ seq: 3, kind: 'sequence' });
		await tamper('DELETE FROM audit_event WHERE seq = 1');
		expect(await inRuns()).toMatchObject({ seq: 3, kind: 'sequence' });
		// The same rows renumbered into place: the first row no longer links to the genesis.
		await tamper('UPDATE audit_event SET seq = seq + 1000');
		await t.exec('UPDATE audit_event SET seq = seq - 1002');
		expect(await inRuns()).toMatchObject({ seq: 1, kind: 'link' });
	});

	it('walked in runs, finds the tail cut off and rows appended', async () => {
		const last = (await t.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq;
		const problems = async () => {
			const reports = await Promise.all(
				[undefined, 1, 2].map((chainPartRows) =>
					verifyAuditChain(t.system, { key: null, chainPartRows })
				)
			);
			for (const r of reports) expect(r).toEqual(reports[0]);
			return reports[0]!.problem;
		};
		await tamper(
			`INSERT INTO audit_event (seq, at, actor_label, actor_role, action, entity_type, prev_hash, hash)
			 SELECT ${last + 1}, at, 'intruder', 'admin', 'site.update', 'site', hash, '${'ab'.repeat(32)}' FROM audit_event WHERE seq = ${last}`
		);
		expect(await problems()).toMatchObject({ seq: last + 1, kind: 'hash' });
		await tamper(`DELETE FROM audit_event WHERE seq >= ${last}`);
		expect(await problems()).toMatchObject({ seq: last, kind: 'head' });
	});

	it('requires a reason for any change after first save', async () => {
		const e = await updateSite(t.system, t.siteA, { name: 'Other', timezone: 'Europe/Oslo' }).catch(
			(x: unknown) => x
		);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).fieldErrors.reason).toBeDefined();
	});

	it('writes the change and its audit event together, or neither', async () => {
		const before = await t.db.selectFrom('audit_event').select('seq').execute();
		await expect(
			createSite(t.system, { code: 'A1', name: 'Dup', timezone: 'UTC' })
		).rejects.toBeInstanceOf(ConflictError);
		expect(await t.db.selectFrom('audit_event').select('seq').execute()).toHaveLength(
			before.length
		);
		// An unchanged save writes nothing at all.
		await updateSite(t.system, t.siteA, {
			name: 'Site A (main)',
			timezone: 'Europe/Oslo',
			reason: 'none'
		});
		expect(await t.db.selectFrom('audit_event').select('seq').execute()).toHaveLength(
			before.length
		);
	});
});
