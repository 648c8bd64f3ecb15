// The chain head is stored and signed once per write transaction, as its last step: a transaction
// that appends several rows (a reading and the flags it raised) leaves the same signed head that
// signing at every append would, one signature instead of one per row; a transaction that fails
// leaves the head and the trail as they were.
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appendAudit, chainHeadNow } from '../../src/lib/server/audit/log';
import { headSignatureProblem } from '../../src/lib/server/audit/head-signature';
import { signedAuditHead } from '../../src/lib/server/repositories/audit';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import type { Db } from '../../src/lib/server/db';
import { signedTrailEach, type SignedTrail } from '../helpers/trail';

let s: SignedTrail;
signedTrailEach('head-once', (x) => (s = x));

/** A handle counting the statements that write audit_head. */
function headWrites(db: Db): { db: Db; count: () => number } {
	let n = 0;
	type Table = { table?: { identifier: { name: string } } };
	const plugin: KyselyPlugin = {
		transformQuery({ node }) {
			const n2 = node as { kind: string; table?: Table; into?: Table };
			const table = (n2.table ?? n2.into)?.table?.identifier.name;
			if (
				(node.kind === 'UpdateQueryNode' || node.kind === 'InsertQueryNode') &&
				table === 'audit_head'
			) {
				n++;
			}
			return node;
		},
		async transformResult({ result }) {
			return result;
		}
	};
	return { db: db.withPlugin(plugin), count: () => n };
}

const entry = (i: number) => ({
	action: 'site.update' as const,
	entityType: 'site' as const,
	entityId: s.t.siteA,
	siteId: s.t.siteA,
	oldValues: { name: `before ${i}` },
	newValues: { name: `after ${i}` },
	reason: 'test'
});

describe('the chain head, once per write transaction', () => {
	it('three appends: one head write, naming the last row, signed by the key', async () => {
		const before = (await signedAuditHead(s.t.db))!;
		const watched = headWrites(s.t.db);
		const seqs = await writeTransaction(watched.db, async (trx) => {
			const out = [];
			for (let i = 0; i < 3; i++) {
				out.push(await appendAudit(trx, s.t.system, entry(i)));
				// Inside the transaction the head is what the appends have left.
				expect((await chainHeadNow(trx))?.seq).toBe(out[i]);
			}
			return out;
		});
		expect(seqs).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
		expect(watched.count()).toBe(1);
		const head = (await signedAuditHead(s.t.db))!;
		const last = await s.t.db
			.selectFrom('audit_event')
			.select(['seq', 'hash'])
			.orderBy('seq', 'desc')
			.limit(1)
			.executeTakeFirstOrThrow();
		expect({ seq: head.seq, hash: head.hash }).toEqual(last);
		expect(headSignatureProblem(head, s.key)).toBeNull();
	});

	it('a transaction that fails after appending leaves head and trail as they were', async () => {
		const before = (await signedAuditHead(s.t.db))!;
		const rows = async () =>
			(await s.t.db.selectFrom('audit_event').select('seq').execute()).length;
		const count = await rows();
		await expect(
			writeTransaction(s.t.db, async (trx) => {
				await appendAudit(trx, s.t.system, entry(1));
				await appendAudit(trx, s.t.system, entry(2));
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		expect(await signedAuditHead(s.t.db)).toEqual(before);
		expect(await rows()).toBe(count);
		// The next write chains on from the old head.
		await writeTransaction(s.t.db, (trx) => appendAudit(trx, s.t.system, entry(3)));
		const head = (await signedAuditHead(s.t.db))!;
		expect(head.seq).toBe(before.seq + 1);
		expect(headSignatureProblem(head, s.key)).toBeNull();
	});

	it('a transaction opened without writeTransaction stores the head at every append', async () => {
		const watched = headWrites(s.t.db);
		await watched.db.transaction().execute(async (trx) => {
			await appendAudit(trx, s.t.system, entry(1));
			await appendAudit(trx, s.t.system, entry(2));
		});
		expect(watched.count()).toBe(2);
		expect(headSignatureProblem((await signedAuditHead(s.t.db))!, s.key)).toBeNull();
	});
});
