import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	auditRecordHistory,
	exploreAuditTrail,
	listAuditTrail
} from '../../src/lib/server/services/audit/audit';
import { auditTrailCsv } from '../../src/lib/server/services/audit/audit-export';
import { auditEventView, fieldChanges } from '../../src/lib/server/services/audit/audit-views';
import { parseCsv } from '../helpers/csv';
import { actorFor } from '../helpers/db';
import { auditFixture, type AuditFixture } from '../helpers/audit-fixture';

let f: AuditFixture;
beforeAll(async () => {
	f = await auditFixture();
});
afterAll(async () => {
	await f.db.destroy();
});

const all = (query: Record<string, unknown>, ctx = f.system) =>
	exploreAuditTrail(ctx, { limit: 500, ...query }).then((p) => p.events);
const actions = (events: { action: string }[]) => [...new Set(events.map((e) => e.action))].sort();

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

describe('filters', () => {
	it("by participant: their own events and their records' events, no one else's", async () => {
		const events = await all({ participant: f.pA.subjectCode });
		expect(actions(events)).toEqual(
			expect.arrayContaining([
				'participant.create',
				'visit.schedule',
				'dosing_session.create',
				'vitals.create',
				'vitals.update',
				'flag.raise',
				'flag.acknowledge',
				'flag.close',
				'adverse_event.create',
				'signature.sign'
			])
		);
		expect(events.every((e) => e.site_id === f.siteA)).toBe(true);
		const b = await all({ participant: f.pB.subjectCode });
		expect(b.length).toBeGreaterThan(0);
		expect(b.every((e) => e.site_id === f.siteB)).toBe(true);
		expect(await all({ participant: 'NO-SUCH' })).toEqual([]);
	});

	it('by record, user, action (exact or a family) and site', async () => {
		const record = await all({ entityType: 'vital_reading', entityId: String(f.correctedReading) });
		expect(record.map((e) => e.action)).toEqual(['vitals.update', 'vitals.create']);

		const byUser = await all({ user: f.investigatorA.actor.email.toUpperCase() });
		expect(actions(byUser)).toEqual([
			'flag.acknowledge',
			'flag.action',
			'flag.close',
			'signature.sign'
		]);

		expect((await all({ action: 'vitals.update' })).map((e) => e.entity_id)).toEqual([
			String(f.correctedReading)
		]);
		const flags = await all({ action: 'flag', siteId: f.siteA });
		expect(actions(flags)).toEqual([
			'flag.acknowledge',
			'flag.action',
			'flag.auto_close',
			'flag.close',
			'flag.raise'
		]);
		expect(flags.every((e) => e.site_id === f.siteA)).toBe(true);
	});

	it("a family's pages, a few events each, are its events newest first, each once", async () => {
		const whole = await all({});
		for (const family of ['flag', 'vitals']) {
			const expected = whole.filter((e) => e.action.startsWith(`${family}.`));
			expect(new Set(expected.map((e) => e.action)).size).toBeGreaterThan(1);
			for (const limit of [1, 2, 3]) {
				const paged: typeof whole = [];
				let before: number | undefined;
				for (;;) {
					const page = await exploreAuditTrail(f.system, { action: family, limit, before });
					paged.push(...page.events);
					if (page.nextBefore === null) break;
					before = page.nextBefore;
				}
				expect(paged).toEqual(expected);
			}
		}
		// Oldest first, as the CSV download reads it, and a family with no action matches nothing.
		const file = await auditTrailCsv(f.system, { action: 'flag' }, { pageSize: 2 });
		const rows = parseCsv(await text(file.stream)).slice(1);
		expect(rows.map((r) => Number(r[0]))).toEqual(
			whole
				.filter((e) => e.action.startsWith('flag.'))
				.map((e) => e.seq)
				.reverse()
		);
		expect(await all({ action: 'nothing_here' })).toEqual([]);
	});

	it('by date range, whole UTC days with both ends included', async () => {
		const day21 = await all({ from: '2026-11-21', to: '2026-11-21' });
		expect(day21.length).toBeGreaterThan(0);
		expect(day21.every((e) => e.at.startsWith('2026-11-21'))).toBe(true);
		const both = await all({ from: '2026-11-20', to: '2026-11-21' });
		expect(both.length).toBeGreaterThan(day21.length);
		expect(both.every((e) => e.at >= '2026-11-20' && e.at < '2026-11-22')).toBe(true);
	});

	it('refuses a malformed filter with the field named', async () => {
		await expect(all({ from: '2026-11-22', to: '2026-11-21' })).rejects.toMatchObject({
			fieldErrors: { to: expect.any(Array) }
		});
		await expect(all({ entityId: '3' })).rejects.toBeInstanceOf(ValidationError);
		await expect(all({ action: "x' or 1=1" })).rejects.toBeInstanceOf(ValidationError);
	});

	it('pages newest first with nextBefore, keeping the filters', async () => {
		const first = await exploreAuditTrail(f.system, { participant: f.pA.subjectCode, limit: 5 });
		expect(first.events).toHaveLength(5);
		const second = await exploreAuditTrail(f.system, {
			participant: f.pA.subjectCode,
			limit: 5,
			before: first.nextBefore
		});
		expect(second.events[0]!.seq).toBeLessThan(first.events[4]!.seq);
		const whole = await all({ participant: f.pA.subjectCode });
		expect([...first.events, ...second.events].map((e) => e.seq)).toEqual(
			whole.slice(0, 10).map((e) => e.seq)
		);
	});
});

describe("a record's history", () => {
	it('shows every version of a corrected reading: who, when, why, old → new', async () => {
		const h = await auditRecordHistory(f.system, 'vital_reading', String(f.correctedReading));
		expect(h.versions.map((v) => v.action)).toEqual(['vitals.create', 'vitals.update']);
		const [created, corrected] = h.versions.map((v) => auditEventView(v, new Map()));
		expect(created!.reason).toBeNull();
		expect(created!.changes.find((c) => c.field === 'systolic')).toEqual({
			field: 'systolic',
			old: null,
			new: '128'
		});
		expect(corrected!.actor.label).toBe(f.coordinatorA.actor.email);
		expect(corrected!.reason).toBe('Transcription error: the monitor showed 130');
		expect(corrected!.changes).toContainEqual({ field: 'systolic', old: '128', new: '130' });
	});

	it("shows a session's signature beside its versions", async () => {
		const h = await auditRecordHistory(f.system, 'dosing_session', String(f.sessionA));
		expect(h.versions.map((v) => v.action)).toContain('dosing_session.update');
		expect(h.related.map((e) => e.action)).toContain('signature.sign');
	});

	it('is "not found" for a record no one may see, or that is not in the trail', async () => {
		const auditorB = await actorFor(f, 'auditor', ['B1']);
		const reading = String(f.correctedReading);
		await expect(auditRecordHistory(auditorB, 'vital_reading', reading)).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(auditRecordHistory(f.system, 'vital_reading', '9999')).rejects.toBeInstanceOf(
			NotFoundError
		);
	});

	it('pairs values field by field, also when a value is not an object', () => {
		expect(fieldChanges({ a: 1, b: 'x' }, { a: 2 })).toEqual([
			{ field: 'a', old: '1', new: '2' },
			{ field: 'b', old: 'x', new: null }
		]);
		expect(fieldChanges(null, [1, 2])).toEqual([{ field: '', old: null, new: '[1,2]' }]);
	});
});

describe('the CSV download', () => {
	it('holds the filtered rows oldest first, every column, read in pages, and is audited', async () => {
		const filters = { participant: f.pA.subjectCode };
		const expected = (await all(filters)).reverse();
		const file = await auditTrailCsv(f.system, filters, { pageSize: 3 });
		const rows = parseCsv(await text(file.stream));
		expect(rows[0]).toEqual([
			'seq',
			'at',
			'actor_id',
			'actor_label',
			'actor_role',
			'site_id',
			'site_code',
			'action',
			'entity_type',
			'entity_id',
			'old_values',
			'new_values',
			'reason',
			'request_id',
			'prev_hash',
			'hash'
		]);
		expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(expected.map((e) => e.seq));
		const corrected = rows.find((r) => r[7] === 'vitals.update')!;
		expect(corrected[6]).toBe('A1');
		expect(JSON.parse(corrected[10]!)).toMatchObject({ systolic: 128 });
		expect(corrected[12]).toBe('Transcription error: the monitor showed 130');
		expect(corrected[15]).toBe(expected.find((e) => e.action === 'vitals.update')!.hash);
		const [exported] = await all({ action: 'export.create' });
		expect(JSON.parse(exported!.new_values!)).toEqual({ kind: 'audit-csv', filters });
	});
});

describe('scoping', () => {
	it("an auditor reads only their sites' events, in lists, histories and downloads", async () => {
		const auditorA = await actorFor(f, 'auditor', ['A1']);
		const events = await all({}, auditorA);
		expect(events.length).toBeGreaterThan(0);
		expect(events.every((e) => e.site_id === f.siteA)).toBe(true);
		expect(await all({ participant: f.pB.subjectCode }, auditorA)).toEqual([]);
		expect(await all({ siteId: f.siteB }, auditorA)).toEqual([]);
		const csv = parseCsv(await text((await auditTrailCsv(auditorA, {})).stream));
		expect(csv.length).toBeGreaterThan(1);
		expect(csv.slice(1).every((r) => r[6] === 'A1')).toBe(true);
	});

	it('admins read every event, sign-ins and user changes too; others may not read the trail', async () => {
		const admin = await actorFor(f, 'admin', []);
		expect((await all({ action: 'user' }, admin)).length).toBeGreaterThan(0);
		const auditorNone = await actorFor(f, 'auditor', []);
		expect(await listAuditTrail(auditorNone)).toEqual([]);
		for (const ctx of [f.coordinatorA, f.investigatorA]) {
			await expect(all({}, ctx)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(auditTrailCsv(ctx, {})).rejects.toBeInstanceOf(ForbiddenError);
		}
	});
});
