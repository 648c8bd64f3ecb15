// The auditor bundle carries the latest witnessed head (the last line of the site's witness log
// when it was made); `verify BUNDLE` checks that the bundled trail holds it and that it is signed
// by the bundle's key, and with `--witness FILE` (a copy of the site's witness log) holds the
// whole bundle against every head the witness saw: a trail rewritten and re-signed by an insider
// holding the key, or a bundle made from an older copy of the database, fails. SQLite and PostgreSQL.
import { writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainHash, type ChainedFields } from '../../src/lib/server/audit/chain';
import { checkpointPayload, signCheckpoint } from '../../src/lib/server/audit/checkpoints';

import { signBytes, type SigningKey } from '../../src/lib/server/audit/signing-key';
import { readWitness, type WitnessEntry } from '../../src/lib/server/audit/witness';
import { verifyBundleCommand } from '../../src/lib/server/cli/audit-commands';
import { verifyBundle } from '../../src/lib/server/export/bundle-verify';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';

import {
	editLines,
	entry,
	readEntries,
	resign,
	saveStream,
	writeEntries
} from '../helpers/bundle-files';
import { actorFor, type TestDb } from '../helpers/db';
import { auditedWrite, signedTrailEach } from '../helpers/trail';

let t: TestDb;
let key: SigningKey;
let dir: string;
let witness: string;

signedTrailEach('bundle-witness', (s) => {
	({ t, key, dir } = s);
	witness = join(dir, 'site-witness.log');
});

const write = () => auditedWrite(t);
const checkpoint = () => signCheckpoint(t.db, key, new Date(), { witnessFile: witness });

async function bundle(name = 'bundle.tar.gz', witnessFile: string | null = witness) {
	const admin = await actorFor(t, 'admin', []);
	const file = join(dir, name);
	const b = await createAuditorBundle(admin, {}, { key, witnessFile });
	await saveStream(b.stream, file);
	return file;
}

/** Two checkpoints witnessed, with writes between and after them. */
async function history() {
	await write();
	await checkpoint();
	await write();
	await write();
	await checkpoint();
	await write();
}

describe('the latest witnessed head in the auditor bundle', () => {
	it('is the last line of the witness log, held by the trail, and checks against the site’s log', async () => {
		await history();
		const file = await bundle();
		const site = readWitness(witness);
		expect(site).toHaveLength(2);
		const report = await verifyBundle(file);
		expect(report.problems).toEqual([]);
		expect(report.manifest!.auditTrail.witnessedHead).toEqual(site[1]);
		expect(report.manifest!.auditTrail.head.seq).toBeGreaterThan(site[1]!.seq);
		expect((await verifyBundle(file, { witness: site })).problems).toEqual([]);
		const readme = entry(await readEntries(file), 'README.txt').content.toString();
		expect(readme).toContain('verify BUNDLE.tar.gz --witness WITNESS.log');
	});

	it('is null when no witness is kept, and then `--witness` has nothing to hold', async () => {
		await history();
		const file = await bundle('none.tar.gz', null);
		const report = await verifyBundle(file);
		expect(report.ok).toBe(true);
		expect(report.manifest!.auditTrail.witnessedHead).toBeNull();
		const against = await verifyBundle(file, { witness: readWitness(witness) });
		expect(against.problems).toEqual([
			'the manifest carries no witnessed head, but a witness log was given'
		]);
	});

	it('a line the key did not sign, or a hash the trail does not hold, fails', async () => {
		await history();
		const [first] = readWitness(witness);
		const forged = { ...first!, hash: 'f'.repeat(64) };
		writeFileSync(witness, JSON.stringify(forged) + '\n');
		const report = await verifyBundle(await bundle('forged.tar.gz'));
		expect(report.ok).toBe(false);
		expect(report.problems).toEqual([
			`the witnessed head (row ${first!.seq}, ${first!.at}): its signature does not match`,
			`the witnessed head (row ${first!.seq}, ${first!.at}): the bundled trail does not hold its hash at row ${first!.seq}`
		]);
	});

	it('an insider with the key rewrites the bundled trail and re-signs it all: only the site’s witness tells', async () => {
		await history();
		const file = await bundle();
		const entries = await readEntries(file);
		// Rewrite row 2 and re-chain every row after it, as whoever holds the key could.
		let prev = '';
		let last: { seq: number; hash: string } = { seq: 0, hash: '' };
		editLines(entries, 'audit-trail.jsonl', (lines) =>
			lines.map((line) => {
				const row = JSON.parse(line) as ChainedFields & { hash: string };
				if (row.seq === 2) row.reason = 'never happened';
				if (row.seq >= 2) {
					row.prev_hash = prev;
					row.hash = chainHash(row);
				}
				prev = row.hash;
				last = { seq: row.seq, hash: row.hash };
				return JSON.stringify(row);
			})
		);
		const manifestEntry = entry(entries, 'manifest.json');
		const manifest = JSON.parse(manifestEntry.content.toString()) as {
			auditTrail: { head: typeof last; witnessedHead: WitnessEntry };
		};
		const lines = entry(entries, 'audit-trail.jsonl').content.toString().trim().split('\n');
		const w = manifest.auditTrail.witnessedHead;
		const rewritten = (JSON.parse(lines[w.seq - 1]!) as { hash: string }).hash;
		manifest.auditTrail.head = last;
		manifest.auditTrail.witnessedHead = {
			...w,
			hash: rewritten,
			signature: signBytes(key, checkpointPayload({ ...w, hash: rewritten })).toString('base64')
		};
		manifestEntry.content = Buffer.from(JSON.stringify(manifest, null, '\t') + '\n');
		resign(entries, key);
		const edited = join(dir, 'rewritten.tar.gz');
		writeEntries(edited, entries);

		expect((await verifyBundle(edited)).problems).toEqual([]);
		const against = await verifyBundle(edited, { witness: readWitness(witness) });
		expect(against.ok).toBe(false);
		const site = readWitness(witness);
		expect(against.problems).toEqual([
			`the witnessed head (row ${w.seq}, ${w.at}): not in the site's witness log`,
			`the site's witness saw row ${site[0]!.seq} with hash ${site[0]!.hash} on ${site[0]!.at}; the bundled trail holds another (the trail was rewritten)`,
			`the site's witness saw row ${site[1]!.seq} with hash ${site[1]!.hash} on ${site[1]!.at}; the bundled trail holds another (the trail was rewritten)`
		]);
	});

	it('a bundle made from an older copy of the database fails against the site’s witness', async () => {
		await history();
		const file = await bundle();
		const made = (await verifyBundle(file)).manifest!;
		// The site's witness had already seen later heads when this bundle was made.
		const site = readWitness(witness);
		const later = {
			...site[1]!,
			seq: made.auditTrail.head.seq + 5,
			at: new Date(Date.parse(made.createdAt) - 1000).toISOString()
		};
		const report = await verifyBundle(file, { witness: [...site, later] });
		expect(report.problems).toEqual([
			`the site's witness saw row ${later.seq} on ${later.at}, before this bundle was made at row ${made.auditTrail.head.seq}: it was made from an older copy of the database`
		]);
	});

	it('`verify BUNDLE --witness FILE` says what it held, without a database', async () => {
		await history();
		const file = await bundle();
		const out: string[] = [];
		const io = {
			out: (l: string) => out.push(l),
			err: (l: string) => out.push(l),
			readStdin: () => Promise.resolve(''),
			open: () => Promise.reject(new Error('verify must not open a database'))
		};
		expect(await verifyBundleCommand.run(io, { witness }, [file])).toBe(0);
		const w = readWitness(witness).at(-1)!;
		expect(out.join('\n')).toContain(`Latest witnessed head: row ${w.seq} ${w.hash}`);
		writeFileSync(witness, '');
		expect(await verifyBundleCommand.run(io, { witness }, [file])).toBe(1);
		expect(out.join('\n')).toContain("not in the site's witness log");
	});
});
