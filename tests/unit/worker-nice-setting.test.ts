// VIGIL_WORKER_NICE: how far below the request thread the read workers run (Linux), read in
// runtime/config.ts and handed to the read worker pool.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/lib/server/runtime/config';
import { WORKER_NICE } from '../../src/lib/server/reads/messages';

afterEach(() => vi.unstubAllEnvs());

describe('the VIGIL_WORKER_NICE setting', () => {
	it('defaults to queries a little and exports well below the request thread', () => {
		vi.stubEnv('VIGIL_WORKER_NICE', '');
		expect(readConfig().workerNice).toEqual(WORKER_NICE);
		expect(WORKER_NICE.reads).toBeGreaterThan(0);
		expect(WORKER_NICE.exports).toBeGreaterThan(WORKER_NICE.reads);
	});

	it('reads two values, queries then exports; 0,0 keeps the server priority', () => {
		vi.stubEnv('VIGIL_WORKER_NICE', ' 3 , 19 ');
		expect(readConfig().workerNice).toEqual({ reads: 3, exports: 19 });
		vi.stubEnv('VIGIL_WORKER_NICE', '0,0');
		expect(readConfig().workerNice).toEqual({ reads: 0, exports: 0 });
	});

	it.each(['5', '5,15,1', '-1,5', '5,20', '2.5,10', 'low,high'])(
		'refuses "%s" at start, naming the setting',
		(raw) => {
			vi.stubEnv('VIGIL_WORKER_NICE', raw);
			expect(() => readConfig()).toThrow(/VIGIL_WORKER_NICE/);
		}
	);
});
