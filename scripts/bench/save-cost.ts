// `npx tsx scripts/bench/save-cost.ts --file F --password P [--build DIR] [--saves N]
// [--cpu-profile FILE]`: what one save through the JSON API (POST …/vitals, as the bench's writers
// post) costs the built server's request thread: its CPU per save from /proc (the hooks, the
// session lookup, the body, Zod, the service's transaction, the response), one save at a time on a
// copy of a built trial (page-cost.ts prints a reusable file and password). Not a load test.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../build-if-needed.js';
import { openDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { newSessions, recheck } from './baselines';
import { signIn, startServer } from './http';

const { values } = parseArgs({
	options: {
		file: { type: 'string' },
		password: { type: 'string' },
		build: { type: 'string' },
		saves: { type: 'string', default: '200' },
		/** Write a CPU profile of the request thread over the timed saves here. */
		'cpu-profile': { type: 'string' }
	}
});
if (!values.file || !values.password) throw new Error('--file and --password are required');
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vigil-save-cost-'));
const file = join(dir, 'vigil.db');
for (const suffix of ['', '-wal']) {
	if (existsSync(values.file + suffix)) copyFileSync(values.file + suffix, file + suffix);
}
const { db } = openDatabase(file);
const sessions = await newSessions(systemContext(db, 'bench'), 8);
await db.destroy();
let buildDir = values.build ? resolve(values.build) : '';
if (!buildDir) {
	buildIfNeeded(root);
	mkdirSync(join(root, '.bench-builds'), { recursive: true });
	buildDir = join(root, '.bench-builds', basename(dir));
	cpSync(join(root, 'build'), buildDir, { recursive: true });
}
const profile = values['cpu-profile'] ? resolve(values['cpu-profile']) : undefined;
const server = await startServer(root, buildDir, { file }, dir, profile);
try {
	const cookie = await signIn(server.base, 'coordinator@demo.vigil.test', values.password);
	const save = async (i: number) => {
		const res = await fetch(
			`${server.base}/api/v1/dosing-sessions/${sessions[i % sessions.length]}/vitals`,
			{
				method: 'POST',
				headers: { cookie, origin: server.base, 'content-type': 'application/json' },
				body: JSON.stringify({
					...recheck(120, new Date(Date.now() - 1000)),
					clientKey: randomUUID()
				})
			}
		);
		await res.arrayBuffer();
		if (res.status !== 201) throw new Error(`save: ${res.status}`);
	};
	for (let i = 0; i < 20; i++) await save(i); // warm up
	const mainCpu = () => server.threads().get(server.child.pid!)?.cpuSeconds ?? 0;
	const n = Number(values.saves);
	if (profile) await server.loopDelay(); // starts the profile
	const cpu0 = mainCpu();
	const t0 = performance.now();
	for (let i = 0; i < n; i++) await save(i);
	const wall = (performance.now() - t0) / n;
	const cpu = ((mainCpu() - cpu0) * 1000) / n;
	if (profile) await server.loopDelay(); // writes it
	console.log(
		`save: request thread ${cpu.toFixed(2)} ms CPU a save (wall ${wall.toFixed(1)} ms, ${n} saves)`
	);
	console.log(
		`load average ${loadavg()
			.map((l) => l.toFixed(2))
			.join(' / ')}`
	);
} finally {
	await server.stop();
	if (!values.build) rmSync(buildDir, { recursive: true, force: true });
	rmSync(dir, { recursive: true, force: true });
}
