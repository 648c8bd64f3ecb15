// What a bundle says about itself: manifest.json (every file's SHA-256 and size, the audit chain
// head, who made it, when, with which filters), manifest.sig (the Ed25519 signature of the exact
// bytes of manifest.json, 64 raw bytes) and public-key.pem. Shared by the writer and `verify`.
import { z } from 'zod';
import type { SigningKey } from '../audit/signing-key';
import { signBytes } from '../audit/signing-key';
import { sha256Of, type BundledFile, type ClosingFile } from './bundle';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const BUNDLE_FORMAT = 'vigil-auditor-bundle/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
	format: z.literal(BUNDLE_FORMAT),
	createdAt: z.string(),
	createdBy: z.object({ id: z.number().nullable(), label: z.string(), role: z.string() }),
	scope: z.object({ sites: z.union([z.literal('all'), z.array(z.string())]) }),
	filters: z.record(z.string(), z.unknown()),
	auditTrail: z.object({
		file: z.string(),
		form: z.enum(['full', 'scoped']),
		head: z.object({ seq: z.number().int().nonnegative(), hash: hex64 }),
		/** The trail row that records this bundle's creation. */
		exportEventSeq: z.number().int().positive(),
		/**
		 * The last line of the site's witness log when the bundle was made (null: no witness is
		 * kept, or it was empty; absent in bundles made before it was carried).
		 */
		witnessedHead: z
			.object({
				seq: z.number().int().positive(),
				hash: hex64,
				at: z.string(),
				signature: z.string(),
				fingerprint: z.string()
			})
			.nullable()
			.optional()
	}),
	publicKeyFingerprint: hex64,
	files: z.array(
		z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: hex64 })
	),
	omitted: z.array(z.object({ name: z.string(), reason: z.string() }))
});

export type Manifest = z.infer<typeof manifestSchema>;

const README = `Vigil auditor bundle

manifest.json   every other file's SHA-256 and size, the audit chain head, who made the
                bundle, when, and with which filters
manifest.sig    Ed25519 signature of manifest.json (64 bytes), made with the server's key
public-key.pem  that key's public half; compare its fingerprint (SHA-256 of the DER key, in
                manifest.json) with the one on the server's "Signing key" page
audit-trail.jsonl  the whole audit trail, one row per line, with prev_hash and hash
audit-chain.jsonl  (a bundle for some sites only) every row's seq, prev_hash and hash; the
                contents of your sites' rows, a digest of the others
audit-trail.csv the audit trail you may read, as a table
flags.csv       every safety flag with each step of its lifecycle
signatures.csv  every electronic signature, voided ones too
tv dm sv ds ex cm ae dv vs qs (.csv)  SDTM datasets as CSV
tv dm sv ds ex cm ae dv vs qs (.xpt)  the same as SAS XPORT v5 transport files
suppae suppdv suppcm … (.csv, .xpt)  only when some text was over 200 bytes: the rest of it
                (SDTMIG 3.4 §4.5.3.2; QNAM AETERM1 holds the second part of AETERM …)
define.xml      Define-XML 2.1: every dataset, variable, codelist and derivation above
odm.xml         CDISC ODM 1.3.2 audited history, visits as study events

Check it with Vigil, without the server's database:
  npm run vigil -- verify BUNDLE.tar.gz --public-key public-key-you-trust.pem
or by hand:
  sha256sum -c  (against the hashes in manifest.json)
  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig

The latest witnessed head (manifest.json, auditTrail.witnessedHead: seq, hash, at, signature,
fingerprint) is the last checkpoint the site's witness recorded outside the database before the
bundle was made. \`verify\` checks that the bundled trail holds that hash at that row and that the
signature (Ed25519 over the canonical JSON {"at":…,"hash":…,"seq":…}) is the bundle key's.
To hold the bundle against the site's witness, ask the site for a copy of its witness log (the
witness file, VIGIL_WITNESS_FILE, one JSON line per checkpoint; or the same lines as its syslog
server or HTTPS endpoint received them) and run:
  npm run vigil -- verify BUNDLE.tar.gz --witness WITNESS.log
It fails unless the witnessed head is a line of that log, every head the witness saw up to the
bundle's head has the same hash in the bundled trail (else the trail was rewritten), and no head
the witness saw before the bundle was made lies beyond it (else the bundle came from an older
copy of the database). By hand: find the line whose seq is witnessedHead.seq in the log; its
hash, at and signature must equal the manifest's.
`;

/** The closing files: README, the manifest, its signature and the public key. */
export function closingFiles(
	key: SigningKey,
	manifest: Omit<Manifest, 'files' | 'publicKeyFingerprint'>,
	files: BundledFile[]
): ClosingFile[] {
	const readme = Buffer.from(README);
	const readmeFile = { name: 'README.txt', size: readme.length, sha256: sha256Of(readme) };
	const full: Manifest = {
		...manifest,
		publicKeyFingerprint: key.fingerprint,
		files: [...files, readmeFile]
	};
	const json = Buffer.from(JSON.stringify(full, null, '\t') + '\n');
	return [
		{ name: 'README.txt', content: readme },
		{ name: MANIFEST_FILE, content: json },
		{ name: SIGNATURE_FILE, content: signBytes(key, json) },
		{ name: PUBLIC_KEY_FILE, content: Buffer.from(key.publicKeyPem) }
	];
}
