// The set-up the audit-trail suites share (tamper, data-vs-trail, bundle, witness): a fresh
// database for each test, torn down after it; `audit verify` as an unkeyed run sees it; and, for
// the signed suites, a throwaway head-signing key and a private folder for the witness log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { ephemeralSigningKey, type SigningKey } from '../../src/lib/server/audit/signing-key';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { updateSite } from '../../src/lib/server/services/people/sites';
import { freshDb, type TestDb } from './db';

export { freshDbEach } from './db';

/** `audit verify` with neither key nor witness: the chain and the data-vs-trail checks. */
export const verifyUnsigned = (t: TestDb, ctx: ServiceContext = t.system) =>
	verifyAuditChain(ctx, { key: null, witnessFile: null });

/** What verify finds in the data, one `table id field` line a finding, sorted. */
export const findingsOf = async (t: TestDb) =>
	(await verifyUnsigned(t)).data.map((d) => `${d.table} ${d.id} ${d.field ?? '(row)'}`).sort();

export interface SignedTrail {
	t: TestDb;
	key: SigningKey;
	/** A private folder for this test's witness log, bundles and database file. */
	dir: string;
}

/**
 * For each test: a throwaway key signing the audit heads, a private folder (`vigil-NAME-…`) and a
 * fresh database (a file in that folder when `dbFile` names one); after it, the signer is unset
 * and the database destroyed. A suite's own afterEach runs before this one's.
 */
export function signedTrailEach(
	name: string,
	use: (s: SignedTrail) => void,
	opts: { dbFile?: string } = {}
): void {
	let s: SignedTrail;
	beforeEach(async () => {
		const key = ephemeralSigningKey();
		useHeadSigner(key);
		const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
		const t = await freshDb(opts.dbFile ? join(dir, opts.dbFile) : undefined);
		s = { t, key, dir };
		use(s);
	});
	afterEach(async () => {
		useHeadSigner(null);
		await s.t.db.destroy();
	});
}

let renames = 0;
/** One audited write: site A renamed by the system. */
export const auditedWrite = (t: TestDb) =>
	updateSite(t.system, t.siteA, {
		name: `Site A ${++renames}`,
		timezone: 'Europe/Oslo',
		country: 'NOR',
		reason: 'Renamed by the sponsor'
	});
