import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from '../../src/lib/server/audit/chain';
import { signCheckpoint, startCheckpointTimer } from '../../src/lib/server/audit/checkpoints';
import {
	ephemeralSigningKey,
	loadOrCreateSigningKey,
	type SigningKey
} from '../../src/lib/server/audit/signing-key';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import {
	auditCheckpointCommand,
	auditVerifyCommand,
	verifyBundleCommand
} from '../../src/lib/server/cli/audit-commands';
import type { AuditEvent } from '../../src/lib/server/db/schema';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { updateSite } from '../../src/lib/server/services/people/sites';
import { verifyBundle } from '../../src/lib/server/export/bundle-verify';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { ForbiddenError } from '../../src/lib/server/runtime/errors';
import { auditFixture, type AuditFixture } from '../helpers/audit-fixture';
import {
	editLines,
	entry,
	readEntries,
	resign,
	saveStream,
	writeEntries,
	type Entries
} from '../helpers/bundle-files';
import { actorFor, freshDb, type TestDb } from '../helpers/db';
import { dropTriggerSql } from '../helpers/database';

let f: AuditFixture;
let dir: string;
let key: SigningKey;
let original: string;
let entries: Entries;
const PAGE = 3;

/** Rows returned by every SELECT, by table: to show the writer reads pages, never a whole table. */
const reads: Array<{ table: string; rows: number }> = [];
const tables = new WeakMap<object, string>();
const spy: KyselyPlugin = {
	transformQuery({ node, queryId }) {
		const from = (node as RootOperationNode & { from?: { froms: unknown[] } }).from?.froms[0] as
			| {
					kind: string;
					node?: { table?: { identifier: { name: string } } };
					table?: { identifier: { name: string } };
			  }
			| undefined;
		const table = (from?.kind === 'AliasNode' ? from.node?.table : from?.table)?.identifier.name;
		if (node.kind === 'SelectQueryNode' && table) tables.set(queryId, table);
		return node;
	},
	async transformResult({ result, queryId }) {
		const table = tables.get(queryId);
		if (table) reads.push({ table, rows: result.rows.length });
		return result;
	}
};

async function bundleOf(ctx: ServiceContext, name: string, input: unknown = {}): Promise<string> {
	const file = join(dir, name);
	const b = await createAuditorBundle(ctx, input, { key, pageSize: PAGE });
	await saveStream(b.stream, file);
	return file;
}

let n = 0;
/** Writes edited entries to a new bundle file and verifies it. */
async function verifyEdited(edit: (e: Entries) => void, pinned?: SigningKey) {
	const copy = entries.map((e) => ({ name: e.name, content: Buffer.from(e.content) }));
	edit(copy);
	const file = join(dir, `edited-${++n}.tar.gz`);
	writeEntries(file, copy);
	return verifyBundle(file, {
		pinned: pinned && { fingerprint: pinned.fingerprint, source: 'trusted.pem' }
	});
}

beforeAll(async () => {
	f = await auditFixture();
	dir = mkdtempSync(join(tmpdir(), 'vigil-bundle-test-'));
	key = ephemeralSigningKey();
	const admin = await actorFor(f, 'admin', []);
	original = await bundleOf({ ...admin, db: f.db.withPlugin(spy) }, 'admin.tar.gz');
	entries = await readEntries(original);
});
afterAll(async () => {
	await f.db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

describe('an untouched bundle', () => {
	it('verifies: every file, the signature, and the whole chain to the signed head', async () => {
		const report = await verifyBundle(original);
		expect(report.problems).toEqual([]);
		expect(report.ok).toBe(true);
		expect(report.fingerprint).toBe(key.fingerprint);
		const m = report.manifest!;
		const head = await f.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
		expect(m.auditTrail).toMatchObject({ form: 'full', file: 'audit-trail.jsonl' });
		expect(m.auditTrail.head).toEqual({ seq: head.seq, hash: head.hash });
		expect(m.auditTrail.exportEventSeq).toBe(head.seq);
		expect(report.trail).toMatchObject({ rows: head.seq, recomputed: head.seq });
		expect(m.files.map((x) => x.name).sort()).toEqual(
			[
				'README.txt',
				'audit-trail.csv',
				'audit-trail.jsonl',
				// SUPPDV qualifies the set-up's deviation; the other SUPP-- are empty, so not sent.
				...['tv', 'dm', 'sv', 'ds', 'ex', 'cm', 'ae', 'dv', 'vs', 'qs', 'suppdv'].flatMap((d) => [
					`${d}.csv`,
					`${d}.xpt`
				]),
				'define.xml',
				'flags.csv',
				'odm.xml',
				'signatures.csv'
			].sort()
		);
		expect(m.createdBy.role).toBe('admin');
	});

	it('records its making in the trail, and holds every flag step and signature', async () => {
		const made = await f.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'export.create')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(made.new_values!)).toMatchObject({ kind: 'auditor-bundle' });
		const flags = entry(entries, 'flags.csv').content.toString();
		for (const step of ['raise', 'acknowledge', 'action', 'close', 'auto_close']) {
			expect(flags).toContain(`,${step},`);
		}
		expect(flags).toContain('Rechecked: 138/84');
		const signatures = entry(entries, 'signatures.csv').content.toString().split('\r\n');
		expect(signatures[1]).toContain(`dosing_session,${f.sessionA},`);
		expect(signatures[1]).toContain(f.pA.subjectCode);
	});

	it('was written from pages: no query read a whole table', () => {
		const manifest = JSON.parse(entry(entries, 'manifest.json').content.toString()) as {
			auditTrail: { head: { seq: number } };
		};
		const total = manifest.auditTrail.head.seq;
		expect(total).toBeGreaterThan(40);
		expect(reads.filter((r) => r.table === 'audit_event').length).toBeGreaterThanOrEqual(
			total / PAGE
		);
		expect(Math.max(...reads.map((r) => r.rows))).toBeLessThanOrEqual(4 * PAGE);
	});

	it('is checked without opening a database', async () => {
		const out: string[] = [];
		const io = {
			out: (l: string) => out.push(l),
			err: (l: string) => out.push(l),
			readStdin: () => Promise.resolve(''),
			open: () => Promise.reject(new Error('verify must not open a database'))
		};
		const pem = join(dir, 'trusted.pem');
		writeFileSync(pem, key.publicKeyPem);
		expect(await verifyBundleCommand.run(io, { 'public-key': pem }, [original])).toBe(0);
		expect(out.join('\n')).toContain(key.fingerprint);
	});

	it('is for auditors and admins only', async () => {
		await expect(createAuditorBundle(f.coordinatorA, {}, { key })).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});
});

describe('a tampered bundle fails, saying what failed', () => {
	it('one changed byte in any file', async () => {
		for (const { name } of entries) {
			const report = await verifyEdited((copy) => {
				const e = entry(copy, name);
				e.content[Math.floor(e.content.length / 2)]! ^= 1;
			});
			expect(report.ok, name).toBe(false);
			expect(report.problems.join('\n'), name).toContain(name);
		}
		const report = await verifyEdited((copy) => (entry(copy, 'dm.csv').content[0]! ^= 1));
		const listed = report.manifest!.files.find((x) => x.name === 'dm.csv')!;
		expect(report.problems).toContainEqual(
			expect.stringMatching(
				new RegExp(`^dm\\.csv: expected sha256 ${listed.sha256} .*, actual [0-9a-f]{64}`)
			)
		);
	});

	it('a removed audit row, even with the manifest brought along', async () => {
		const drop = (copy: Entries) =>
			editLines(copy, 'audit-trail.jsonl', (l) => l.filter((_, i) => i !== 8));
		const plain = await verifyEdited(drop);
		expect(plain.problems).toContainEqual(
			expect.stringMatching(/^audit-trail\.jsonl: expected sha256/)
		);
		const resigned = await verifyEdited((copy) => (drop(copy), resign(copy, key)));
		expect(resigned.problems).toEqual([
			'audit-trail.jsonl: row 10: expected sequence number 9 (a row is missing or was inserted)'
		]);
		const cut = await verifyEdited(
			(copy) => (editLines(copy, 'audit-trail.jsonl', (l) => l.slice(0, -1)), resign(copy, key))
		);
		expect(cut.problems[0]).toMatch(/the trail ends at row \d+ .* but the signed head is row \d+/);
	});

	it('two reordered audit rows', async () => {
		const report = await verifyEdited((copy) => {
			editLines(copy, 'audit-trail.jsonl', (l) => [
				...l.slice(0, 19),
				l[20]!,
				l[19]!,
				...l.slice(21)
			]);
			resign(copy, key);
		});
		expect(report.problems).toEqual([
			'audit-trail.jsonl: row 21: expected sequence number 20 (a row is missing or was inserted)'
		]);
	});

	it('an edited row whose line still parses', async () => {
		const report = await verifyEdited((copy) => {
			editLines(copy, 'audit-trail.jsonl', (l) =>
				l.map((line, i) =>
					i === 26 ? line.replace(/"reason":(null|"[^"]*")/, '"reason":"other"') : line
				)
			);
			resign(copy, key);
		});
		expect(report.problems).toEqual([
			'audit-trail.jsonl: row 27: its contents do not match its hash (the row was altered)'
		]);
	});

	it('a wrong key: pinned to another, or the manifest re-signed with another', async () => {
		const other = ephemeralSigningKey();
		const pinned = await verifyEdited(() => {}, other);
		expect(pinned.problems).toEqual([
			`public-key.pem: the bundled key (${key.fingerprint}) is not the expected key from trusted.pem (${other.fingerprint})`
		]);
		const resigned = await verifyEdited((copy) => resign(copy, other));
		expect(resigned.problems).toEqual([
			'manifest.sig: signature does not match manifest.json and public-key.pem'
		]);
		// A forger who swaps the bundled key too is self-consistent: only the pinned key catches it.
		const swapped = (copy: Entries) => resign(copy, other, { replacePem: true });
		expect((await verifyEdited(swapped)).ok).toBe(true);
		expect((await verifyEdited(swapped, key)).problems).toEqual([
			`public-key.pem: the bundled key (${other.fingerprint}) is not the expected key from trusted.pem (${key.fingerprint})`
		]);
	});

	it('an unlisted file, or a missing one', async () => {
		const extra = await verifyEdited((copy) =>
			copy.push({ name: 'extra.csv', content: Buffer.from('x') })
		);
		expect(extra.problems).toEqual(['extra.csv: in the bundle but not in the manifest']);
		const missing = await verifyEdited((copy) =>
			copy.splice(
				copy.findIndex((e) => e.name === 'qs.csv'),
				1
			)
		);
		expect(missing.problems).toEqual([
			'qs.csv: listed in the manifest but missing from the bundle'
		]);
	});
});

describe("an auditor's bundle", () => {
	let file: string;
	let own: Entries;
	beforeAll(async () => {
		file = await bundleOf(await actorFor(f, 'auditor', ['A1']), 'auditor.tar.gz');
		own = await readEntries(file);
	});

	it("verifies the whole chain while showing only the auditor's rows", async () => {
		const report = await verifyBundle(file);
		expect(report.problems).toEqual([]);
		expect(report.manifest!.auditTrail.form).toBe('scoped');
		expect(report.manifest!.scope.sites).toEqual(['A1']);
		const head = report.manifest!.auditTrail.head.seq;
		expect(report.trail!.rows).toBe(head);
		expect(report.trail!.recomputed).toBeGreaterThan(0);
		expect(report.trail!.recomputed).toBeLessThan(head);
		expect(own.map((e) => e.name)).toContain('audit-chain.jsonl');
		expect(own.map((e) => e.name)).not.toContain('audit-trail.jsonl');
		for (const e of own) expect(e.content.toString(), e.name).not.toContain(f.pB.subjectCode);
		const lines = entry(own, 'audit-chain.jsonl').content.toString().trim().split('\n');
		const hidden = lines
			.map((l) => JSON.parse(l) as { row?: { site_id: number } })
			.filter((l) => !l.row);
		expect(hidden.length).toBe(head - report.trail!.recomputed);
	});

	it('fails when a shown row is altered or a withheld row is swapped', async () => {
		const tamper = async (edit: (line: Record<string, unknown>) => void, shown: boolean) => {
			const copy = own.map((e) => ({ ...e, content: Buffer.from(e.content) }));
			let seq = 0;
			editLines(copy, 'audit-chain.jsonl', (lines) =>
				lines.map((l) => {
					const v = JSON.parse(l) as Record<string, unknown>;
					if (seq || Boolean(v.row) !== shown || (v.seq as number) < 10) return l;
					seq = v.seq as number;
					edit(v);
					return JSON.stringify(v);
				})
			);
			resign(copy, key);
			const edited = join(dir, `auditor-edited-${++n}.tar.gz`);
			writeEntries(edited, copy);
			return { seq, report: await verifyBundle(edited) };
		};
		const a = await tamper((v) => ((v.row as { reason: string }).reason = 'other'), true);
		expect(a.report.problems).toEqual([
			`audit-chain.jsonl: row ${a.seq}: its contents do not match its hash (the row was altered)`
		]);
		const b = await tamper((v) => (v.hash = '0'.repeat(64)), false);
		expect(b.report.problems).toEqual([
			`audit-chain.jsonl: row ${b.seq + 1}: its previous-hash does not match row ${b.seq}'s hash`
		]);
	});
});

describe('signed checkpoints', () => {
	let t: TestDb;
	beforeEach(async () => {
		// The server signs the head with its key at every write; here, the test's key.
		useHeadSigner(key);
		t = await freshDb();
	});
	afterEach(async () => {
		useHeadSigner(null);
		await t.db.destroy();
	});

	/** What someone holding the database file could do: a fresh, consistent chain. */
	async function rewriteTrail(change: (row: AuditEvent) => AuditEvent) {
		const rows = await t.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
		await t.exec(
			dropTriggerSql(t.opened, 'audit_event_no_update', 'audit_event') +
				dropTriggerSql(t.opened, 'audit_event_no_delete', 'audit_event')
		);
		await t.exec('DELETE FROM audit_event');
		let prev = GENESIS_HASH;
		for (const row of rows) {
			const next = { ...change(row), prev_hash: prev };
			next.hash = chainHash(next);
			await t.db.insertInto('audit_event').values(next).execute();
			prev = next.hash;
		}
		await t.db.updateTable('audit_head').set({ hash: prev }).execute();
	}

	it('detect a rewritten audit table that chains perfectly', async () => {
		const signed = (await signCheckpoint(t.db, key, new Date()))!;
		const before = await verifyAuditChain(t.system, { key });
		expect(before).toMatchObject({ ok: true, checkpoints: { checked: 1, mismatched: [] } });
		await rewriteTrail((row) => (row.seq === 2 ? { ...row, reason: 'never happened' } : row));
		const report = await verifyAuditChain(t.system, { key });
		expect(report.ok).toBe(false);
		expect(report.checkpoints.mismatched).toEqual([
			expect.objectContaining({ id: signed.id, seq: signed.seq, kind: 'hash' })
		]);
		// The head signed at the last write no longer matches the rewritten chain's end.
		expect(report.problem?.message).toMatch(/chain head \(row \d+\) does not match its signature/);
		expect(report.checkpoints.mismatched[0]?.message).toMatch(
			new RegExp(`^checkpoint ${signed.id} \\(row ${signed.seq}, .*the audit table was rewritten`)
		);
	});

	it('refuse checkpoints forged, signed by another key, or deleted', async () => {
		await signCheckpoint(t.db, key, new Date());
		await signCheckpoint(t.db, ephemeralSigningKey(), new Date());
		const forged = (await signCheckpoint(t.db, key, new Date()))!;
		await t.exec(
			dropTriggerSql(t.opened, 'audit_checkpoint_no_update', 'audit_checkpoint') +
				dropTriggerSql(t.opened, 'audit_checkpoint_no_delete', 'audit_checkpoint')
		);
		await t.exec(
			`UPDATE audit_checkpoint SET signed_at = '2020-01-01T00:00:00.000Z' WHERE id = ${forged.id}`
		);
		await signCheckpoint(t.db, key, new Date());
		await signCheckpoint(t.db, key, new Date());
		await t.exec('DELETE FROM audit_checkpoint WHERE id = 4');
		const report = await verifyAuditChain(t.system, { key });
		expect(report.checkpoints.mismatched.map((m) => [m.id, m.kind])).toEqual([
			[2, 'other-key'],
			[3, 'signature'],
			[4, 'missing-checkpoint']
		]);
	});

	it('are append-only, and signed by the timer only when the head moved', async () => {
		await t.exec('DELETE FROM audit_checkpoint'); // nothing to delete yet: no trigger fires
		await signCheckpoint(t.db, key, new Date());
		await expect(t.exec('DELETE FROM audit_checkpoint')).rejects.toThrow(/append-only/);
		expect(await signCheckpoint(t.db, key, new Date(), { onlyIfChanged: true })).toBeNull();
		await updateSite(t.system, t.siteA, { name: 'A', timezone: 'Europe/Oslo', reason: 'renamed' });
		// The timer's schedule is injected: no waiting on the wall clock.
		let tick: (() => Promise<void>) | undefined;
		let every = 0;
		const stop = startCheckpointTimer(t.db, {
			key,
			minutes: 60,
			schedule: (fn, ms) => {
				tick = fn;
				every = ms;
				return () => (tick = undefined);
			}
		});
		expect(every).toBe(60 * 60_000);
		await stop.first; // signed at start: the head moved since the last checkpoint
		const count = async () =>
			(
				await t.db
					.withTables<{ audit_checkpoint: { id: number } }>()
					.selectFrom('audit_checkpoint')
					.select('id')
					.execute()
			).length;
		expect(await count()).toBe(2);
		await tick!(); // an hour on, nothing written: nothing signed
		expect(await count()).toBe(2);
		await updateSite(t.system, t.siteA, { name: 'A2', timezone: 'Europe/Oslo', reason: 'again' });
		await tick!(); // the head moved: signed
		expect(await count()).toBe(3);
		stop();
		expect(tick).toBeUndefined();
	});

	it('are signed and checked from the command line with the key file, made 0600', async () => {
		const keyFile = join(dir, 'keys', 'vigil-signing.key');
		process.env.VIGIL_SIGNING_KEY = keyFile;
		try {
			// As the server would: the key file signs the head at the next write.
			useHeadSigner(loadOrCreateSigningKey(keyFile));
			await updateSite(t.system, t.siteA, {
				name: 'Site A (renamed)',
				timezone: 'Europe/Oslo',
				country: 'NOR',
				reason: 'Renamed by the sponsor'
			});
			const out: string[] = [];
			const io = {
				out: (l: string) => out.push(l),
				err: (l: string) => out.push(l),
				readStdin: () => Promise.resolve(''),
				open: () => Promise.resolve(t.opened)
			};
			expect(await auditCheckpointCommand.run(io, {}, [])).toBe(0);
			expect(statSync(keyFile).mode & 0o777).toBe(0o600);
			expect(await auditVerifyCommand.run(io, {}, [])).toBe(0);
			expect(out.join('\n')).toMatch(/Checkpoints: 1 checked \(signatures and heads\), all match/);
		} finally {
			delete process.env.VIGIL_SIGNING_KEY;
		}
	});
});
