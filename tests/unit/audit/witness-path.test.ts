// The default witness log is one per database: a demo and a production file on one machine (or
// the bench's copy) never read each other's heads, while a copy restored over the same file or the
// same PostgreSQL database is held against the same log.
import { afterEach, describe, expect, it } from 'vitest';
import { witnessPath } from '../../../src/lib/server/audit/witness';

const saved = { ...process.env };
afterEach(() => {
	for (const k of ['VIGIL_DB', 'VIGIL_DATABASE_URL', 'VIGIL_WITNESS_FILE', 'VIGIL_KEY_DIR']) {
		if (saved[k] === undefined) delete process.env[k];
		else process.env[k] = saved[k];
	}
});

function pathFor(env: Record<string, string | undefined>): string | null {
	for (const [k, v] of Object.entries(env)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
	return witnessPath();
}

describe('the default witness log', () => {
	const base = {
		VIGIL_KEY_DIR: '/keys',
		VIGIL_WITNESS_FILE: undefined,
		VIGIL_DATABASE_URL: undefined
	};

	it('differs between two database files and is the same for the same file however it is named', () => {
		const a = pathFor({ ...base, VIGIL_DB: '/srv/vigil/vigil.db' });
		const b = pathFor({ ...base, VIGIL_DB: '/srv/demo/vigil.db' });
		const again = pathFor({ ...base, VIGIL_DB: '/srv/vigil/../vigil/vigil.db' });
		expect(a).toMatch(/^\/keys\/vigil-witness-[0-9a-f]{12}\.log$/);
		expect(b).not.toBe(a);
		expect(again).toBe(a);
	});

	it('on PostgreSQL follows the database, not its password', () => {
		const one = pathFor({ ...base, VIGIL_DATABASE_URL: 'postgres://vigil:s3cret@db:5432/trial' });
		const newPassword = pathFor({
			...base,
			VIGIL_DATABASE_URL: 'postgres://vigil:other@db:5432/trial'
		});
		const other = pathFor({ ...base, VIGIL_DATABASE_URL: 'postgres://vigil:s3cret@db:5432/demo' });
		expect(newPassword).toBe(one);
		expect(other).not.toBe(one);
		expect(one).not.toContain('s3cret');
	});

	it('VIGIL_WITNESS_FILE names the log outright, and "none" keeps none', () => {
		expect(pathFor({ ...base, VIGIL_WITNESS_FILE: '/var/log/witness.log' })).toBe(
			'/var/log/witness.log'
		);
		expect(pathFor({ ...base, VIGIL_WITNESS_FILE: 'none' })).toBeNull();
	});
});
