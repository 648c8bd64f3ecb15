// The latest witnessed head in an auditor bundle. The manifest carries the last line the site's
// witness log held when the bundle was made (seq, head hash, time, signature, key fingerprint);
// `verify BUNDLE` checks that the bundle's trail holds that hash at that row and that the line is
// signed by the bundle's key, and, given a copy of the site's witness log (`--witness FILE`, from
// the witness file, the syslog server or the HTTPS endpoint), that every head the witness saw up
// to the bundle's head is in the bundled trail and none after it predates the bundle (a bundle
// made from an older copy of the database).
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { KeyObject } from 'node:crypto';
import { checkpointPayload } from '../audit/checkpoints';
import { verifyBytes } from '../audit/signing-key';
import type { WitnessEntry } from '../audit/witness';
import type { Manifest } from './bundle-manifest';
import { readTar } from './tar';

const ignore = { data() {}, end() {} };

/** The hashes the bundled trail gives these rows (a second streaming pass over the archive). */
export async function trailHashesAt(
	path: string,
	trailFile: string,
	seqs: Set<number>
): Promise<Map<number, string>> {
	const found = new Map<number, string>();
	const decoder = new StringDecoder('utf8');
	let partial = '';
	const take = (text: string) => {
		const parts = (partial + text).split('\n');
		partial = parts.pop()!;
		for (const line of parts) {
			if (!line) continue;
			try {
				const v = JSON.parse(line) as { seq?: unknown; hash?: unknown };
				if (typeof v.seq === 'number' && seqs.has(v.seq) && typeof v.hash === 'string') {
					found.set(v.seq, v.hash);
				}
			} catch {
				// The first pass reports an unreadable line.
			}
		}
	};
	const gunzip = createGunzip();
	const file = createReadStream(path);
	file.on('error', (e) => gunzip.destroy(e));
	file.pipe(gunzip);
	await readTar(gunzip, ({ name }) =>
		name === trailFile
			? { data: (c: Buffer) => take(decoder.write(c)), end: () => take(decoder.end() + '\n') }
			: ignore
	);
	return found;
}

/** Problems with the manifest's witnessed head and, when given, the site's witness log. */
export async function checkWitnessedHead(
	path: string,
	m: Manifest,
	key: { publicKey: KeyObject; fingerprint: string } | null,
	siteWitness: WitnessEntry[] | null
): Promise<string[]> {
	const problems: string[] = [];
	const w = m.auditTrail.witnessedHead ?? null;
	const head = m.auditTrail.head;
	if (!w) {
		if (siteWitness?.length) {
			problems.push('the manifest carries no witnessed head, but a witness log was given');
		}
		return problems;
	}
	const name = `the witnessed head (row ${w.seq}, ${w.at})`;
	if (key && w.fingerprint !== key.fingerprint) {
		problems.push(`${name}: signed by another key (${w.fingerprint}), not the bundle's`);
	} else if (
		key &&
		!verifyBytes(key.publicKey, checkpointPayload(w), Buffer.from(w.signature, 'base64'))
	) {
		problems.push(`${name}: its signature does not match`);
	}
	if (w.seq > head.seq) {
		problems.push(
			`${name}: after the bundle's head (row ${head.seq}); the bundle was made from an older copy of the database`
		);
	}
	const later = (siteWitness ?? []).filter((e) => e.seq <= head.seq);
	const seqs = new Set([w.seq, ...later.map((e) => e.seq)]);
	const hashes = await trailHashesAt(path, m.auditTrail.file, seqs);
	if (w.seq <= head.seq && hashes.get(w.seq) !== w.hash) {
		problems.push(`${name}: the bundled trail does not hold its hash at row ${w.seq}`);
	}
	if (siteWitness) {
		const same = (e: WitnessEntry) =>
			e.seq === w.seq && e.hash === w.hash && e.at === w.at && e.signature === w.signature;
		if (!siteWitness.some(same)) {
			problems.push(`${name}: not in the site's witness log`);
		}
		for (const e of later) {
			if (hashes.get(e.seq) !== e.hash) {
				problems.push(
					`the site's witness saw row ${e.seq} with hash ${e.hash} on ${e.at}; the bundled trail holds another (the trail was rewritten)`
				);
			}
		}
		const missed = siteWitness.filter((e) => e.seq > head.seq && e.at < m.createdAt);
		if (missed[0]) {
			problems.push(
				`the site's witness saw row ${missed[0].seq} on ${missed[0].at}, before this bundle was made at row ${head.seq}: it was made from an older copy of the database`
			);
		}
	}
	return problems;
}
