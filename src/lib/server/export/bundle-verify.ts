// Checks an auditor bundle on its own, without the server or its database: every file against
// the manifest, the manifest's signature against the bundled key (and, when given, the key the
// auditor trusts), and the audit trail from its first row to the signed head. One streaming pass:
// no file is held whole, except the three small ones that describe the bundle.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parsePublicKey, publicKeyFingerprint, verifyBytes } from '../audit/signing-key';
import {
	FULL_TRAIL_FILE,
	SCOPED_CHAIN_FILE,
	TrailChecker,
	type TrailCheck
} from '../audit/trail-file';
import { manifestSchema, MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE } from './bundle-manifest';
import type { Manifest } from './bundle-manifest';
import { readTar, type TarEntrySink } from './tar';
import { checkWitnessedHead } from './bundle-witness';
import type { WitnessEntry } from '../audit/witness';

const KEPT = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE]);
const KEPT_MAX_BYTES = 1 << 20;

interface Seen {
	size: number;
	sha256: string;
	content?: Buffer;
}

interface Contents {
	seen: Map<string, Seen>;
	trails: Map<string, TrailChecker>;
	problems: string[];
}

/** A sink that hashes an entry, keeps it when small and wanted, and feeds trail lines. */
function entrySink(name: string, c: Contents): TarEntrySink {
	const hash: Hash = createHash('sha256');
	const kept: Buffer[] = [];
	let size = 0;
	const form = name === FULL_TRAIL_FILE ? 'full' : name === SCOPED_CHAIN_FILE ? 'scoped' : null;
	const checker = form ? new TrailChecker(form) : null;
	if (checker) c.trails.set(name, checker);
	const decoder = new StringDecoder('utf8');
	let partial = '';
	const feed = (text: string) => {
		const parts = (partial + text).split('\n');
		partial = parts.pop()!;
		for (const line of parts) checker!.line(line);
	};
	return {
		data(chunk) {
			hash.update(chunk);
			size += chunk.length;
			if (KEPT.has(name) && size <= KEPT_MAX_BYTES) kept.push(Buffer.from(chunk));
			if (checker) feed(decoder.write(chunk));
		},
		end() {
			if (checker) feed(decoder.end() + '\n');
			if (c.seen.has(name)) c.problems.push(`${name}: appears twice in the bundle`);
			const content = KEPT.has(name) && size <= KEPT_MAX_BYTES ? Buffer.concat(kept) : undefined;
			c.seen.set(name, { size, sha256: hash.digest('hex'), content });
		}
	};
}

async function readBundle(path: string): Promise<Contents> {
	const c: Contents = { seen: new Map(), trails: new Map(), problems: [] };
	const gunzip = createGunzip();
	const file = createReadStream(path);
	file.on('error', (e) => gunzip.destroy(e));
	file.pipe(gunzip);
	try {
		await readTar(gunzip, ({ name }) => entrySink(name, c));
	} catch (e) {
		c.problems.push(`the archive cannot be read: ${e instanceof Error ? e.message : String(e)}`);
	}
	return c;
}

function parseManifest(c: Contents): Manifest | null {
	const raw = c.seen.get(MANIFEST_FILE)?.content;
	if (!raw) {
		c.problems.push(`${MANIFEST_FILE}: missing from the bundle`);
		return null;
	}
	let json: unknown;
	try {
		json = JSON.parse(raw.toString('utf8'));
	} catch {
		c.problems.push(`${MANIFEST_FILE}: not valid JSON`);
		return null;
	}
	const result = manifestSchema.safeParse(json);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	c.problems.push(
		`${MANIFEST_FILE}: not a bundle manifest (${issue.path.join('.')}: ${issue.message})`
	);
	return null;
}

/** Every listed file present with its size and hash; nothing unlisted. */
function checkFiles(c: Contents, m: Manifest): void {
	for (const f of m.files) {
		const got = c.seen.get(f.name);
		if (!got) {
			c.problems.push(`${f.name}: listed in the manifest but missing from the bundle`);
		} else if (got.sha256 !== f.sha256 || got.size !== f.size) {
			c.problems.push(
				`${f.name}: expected sha256 ${f.sha256} (${f.size} bytes), actual ${got.sha256} (${got.size} bytes)`
			);
		}
	}
	const listed = new Set(m.files.map((f) => f.name));
	for (const name of c.seen.keys()) {
		if (!listed.has(name) && !KEPT.has(name)) {
			c.problems.push(`${name}: in the bundle but not in the manifest`);
		}
	}
}

/** The bundled key is the manifest's, signs the manifest, and is the pinned key if one is given. */
function checkSignature(c: Contents, m: Manifest | null, pinned?: PinnedKey): string | null {
	const pem = c.seen.get(PUBLIC_KEY_FILE)?.content;
	let fingerprint: string;
	let key;
	try {
		key = parsePublicKey(pem?.toString('utf8') ?? '');
		fingerprint = publicKeyFingerprint(key);
	} catch {
		c.problems.push(`${PUBLIC_KEY_FILE}: missing, or not an Ed25519 public key`);
		return null;
	}
	if (pinned && pinned.fingerprint !== fingerprint) {
		c.problems.push(
			`${PUBLIC_KEY_FILE}: the bundled key (${fingerprint}) is not the expected key from ${pinned.source} (${pinned.fingerprint})`
		);
	}
	if (m && m.publicKeyFingerprint !== fingerprint) {
		c.problems.push(
			`${PUBLIC_KEY_FILE}: its fingerprint ${fingerprint} is not the manifest's ${m.publicKeyFingerprint}`
		);
	}
	const manifest = c.seen.get(MANIFEST_FILE)?.content;
	const signature = c.seen.get(SIGNATURE_FILE)?.content;
	if (!signature) c.problems.push(`${SIGNATURE_FILE}: missing from the bundle`);
	else if (!manifest || !verifyBytes(key, manifest, signature)) {
		c.problems.push(
			`${SIGNATURE_FILE}: signature does not match ${MANIFEST_FILE} and ${PUBLIC_KEY_FILE}`
		);
	}
	return fingerprint;
}

function checkTrail(c: Contents, m: Manifest): TrailCheck | null {
	const checker = c.trails.get(m.auditTrail.file);
	if (!checker) {
		c.problems.push(`${m.auditTrail.file}: the audit trail is missing from the bundle`);
		return null;
	}
	const result = checker.finish(m.auditTrail.head);
	if (result.problem) c.problems.push(`${m.auditTrail.file}: ${result.problem}`);
	return result;
}

export interface PinnedKey {
	fingerprint: string;
	/** Where it came from, for the message (the file name). */
	source: string;
}

export interface BundleReport {
	ok: boolean;
	problems: string[];
	fingerprint: string | null;
	manifest: Manifest | null;
	trail: TrailCheck | null;
}

export async function verifyBundle(
	path: string,
	opts: { pinned?: PinnedKey; witness?: WitnessEntry[] } = {}
): Promise<BundleReport> {
	const c = await readBundle(path);
	const manifest = parseManifest(c);
	if (manifest) checkFiles(c, manifest);
	const fingerprint = checkSignature(c, manifest, opts.pinned);
	const trail = manifest ? checkTrail(c, manifest) : null;
	if (manifest && trail && !trail.problem) {
		c.problems.push(
			...(await checkWitnessedHead(path, manifest, bundledKey(c), opts.witness ?? null))
		);
	}
	return { ok: c.problems.length === 0, problems: c.problems, fingerprint, manifest, trail };
}

function bundledKey(c: Contents) {
	try {
		const publicKey = parsePublicKey(c.seen.get(PUBLIC_KEY_FILE)?.content?.toString('utf8') ?? '');
		return { publicKey, fingerprint: publicKeyFingerprint(publicKey) };
	} catch {
		return null;
	}
}
