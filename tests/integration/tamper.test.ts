// The tamper suite: what someone holding the database file (but not the signing key, kept apart)
// could do to the audit trail, and how `audit verify` sees each one.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainHash } from '../../src/lib/server/audit/chain';
import { signCheckpoint } from '../../src/lib/server/audit/checkpoints';

import {
	assertKeyFilePrivate,
	KeyFileError,
	signingKeyPath,
	type SigningKey
} from '../../src/lib/server/audit/signing-key';
import { readWitness } from '../../src/lib/server/audit/witness';
import type { AuditEvent } from '../../src/lib/server/db/schema';
import { openDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';

import type { TestDb } from '../helpers/db';
import { auditedWrite, signedTrailEach } from '../helpers/trail';

let t: TestDb;
let key: SigningKey;
let dir: string;
let witness: string;

signedTrailEach(
	'tamper',
	(s) => {
		({ t, key, dir } = s);
		witness = join(dir, 'witness', 'vigil-witness.log');
	},
	{ dbFile: 'vigil.db' }
);

const verify = (db = t.db) =>
	verifyAuditChain(systemContext(db, 'test'), { key, witnessFile: witness });

/** One audited write. */
const write = () => auditedWrite(t);

const checkpoint = () => signCheckpoint(t.db, key, new Date(), { witnessFile: witness });

function unlockTrail(): void {
	t.sqlite.exec('DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;');
}

/** Rows from `fromSeq` on, rewritten by `change` and re-chained, head updated: no key needed. */
async function rechainFrom(fromSeq: number, change: (row: AuditEvent) => AuditEvent | null) {
	const rows = await t.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
	unlockTrail();
	t.sqlite.exec(`DELETE FROM audit_event WHERE seq >= ${fromSeq}`);
	let prev = rows.find((r) => r.seq === fromSeq - 1)!.hash;
	let seq = fromSeq - 1;
	for (const row of rows.filter((r) => r.seq >= fromSeq)) {
		const changed = change(row);
		if (!changed) continue;
		seq += 1;
		const next = { ...changed, seq, prev_hash: prev };
		next.hash = chainHash(next);
		await t.db.insertInto('audit_event').values(next).execute();
		prev = next.hash;
	}
	await t.db.updateTable('audit_head').set({ seq, hash: prev }).execute();
	return { seq, hash: prev };
}

describe('the tamper suite', () => {
	it('verifies an untouched trail, with the head signed and the witness in agreement', async () => {
		await write();
		await checkpoint();
		await write();
		const report = await verify();
		expect(report.problem).toBeNull();
		expect(report.ok).toBe(true);
		expect(report.witness?.entries).toBe(1);
	});

	it('detects a row changed after the last checkpoint, hashes recomputed', async () => {
		await write();
		await checkpoint();
		await write();
		const head = (await t.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()).seq;
		await rechainFrom(head, (row) => ({ ...row, reason: 'never happened' }));
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.problem?.message).toMatch(/chain head .* does not match its signature/);
	});

	it('detects rows appended after the last checkpoint, hashes recomputed and head moved', async () => {
		await write();
		await checkpoint();
		const last = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		const forged = { ...last, seq: last.seq + 1, prev_hash: last.hash, reason: 'backdated entry' };
		forged.hash = chainHash(forged);
		await t.db.insertInto('audit_event').values(forged).execute();
		await t.db.updateTable('audit_head').set({ seq: forged.seq, hash: forged.hash }).execute();
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.problem?.message).toMatch(/chain head \(row \d+\) does not match its signature/);
	});

	it('detects the tail cut off and the head moved back', async () => {
		await write();
		await write();
		await write();
		const cut = await rechainFrom(
			(await t.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()).seq - 1,
			() => null
		);
		expect(cut.seq).toBeGreaterThan(0);
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.problem?.message).toMatch(/chain head .* does not match its signature/);
	});

	it('detects the head signature removed or copied from a checkpoint', async () => {
		await write();
		const c = (await checkpoint())!;
		await t.db.updateTable('audit_head').set({ signature: null }).execute();
		expect((await verify()).problem?.message).toMatch(/is not signed/);
		await t.db.updateTable('audit_head').set({ signature: c.signature }).execute();
		expect((await verify()).problem?.message).toMatch(/does not match its signature/);
	});

	it('detects trailing checkpoints deleted, through the witness', async () => {
		await write();
		await checkpoint();
		await write();
		await checkpoint();
		await write();
		await checkpoint();
		t.sqlite.exec(
			'DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;'
		);
		t.sqlite.exec('DELETE FROM audit_checkpoint WHERE id >= 2');
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.witness?.problems).toHaveLength(2);
		expect(report.problem?.message).toMatch(
			/in the witness but not in the database \(checkpoints were deleted\)/
		);
	});

	it('detects an older copy of the database put back (rollback), through the witness', async () => {
		await write();
		await checkpoint();
		const oldCopy = join(dir, 'old-copy.db');
		await t.sqlite.backup(oldCopy);
		await write();
		await write();
		await checkpoint();
		expect((await verify()).ok).toBe(true);
		const restored = openDatabase(oldCopy);
		try {
			const report = await verify(restored.db);
			expect(report.ok).toBe(false);
			expect(report.problem?.message).toMatch(/^rollback: the witness saw the trail at row \d+/);
			// On its own the old copy is a perfect trail: only the witness tells.
			const alone = await verifyAuditChain(systemContext(restored.db, 'test'), {
				key,
				witnessFile: null
			});
			expect(alone.ok).toBe(true);
		} finally {
			await restored.db.destroy();
		}
		expect(readWitness(witness)).toHaveLength(2);
	});
});

describe('the signing key', () => {
	it('lives outside the database folder by default', () => {
		const keyDir = process.env.VIGIL_KEY_DIR;
		expect(keyDir).toBeTruthy();
		expect(signingKeyPath().startsWith(keyDir!)).toBe(true);
		expect(dirname(signingKeyPath())).not.toBe(dirname(join(dir, 'vigil.db')));
	});

	it('is refused when others may read it', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'vigil-key-')), 'k.key');
		writeFileSync(file, 'not a key', { mode: 0o600 });
		expect(() => assertKeyFilePrivate(file)).not.toThrow();
		chmodSync(file, 0o640);
		expect(() => assertKeyFilePrivate(file)).toThrow(KeyFileError);
		chmodSync(file, 0o604);
		expect(() => assertKeyFilePrivate(file)).toThrow(/chmod 600/);
	});
});
