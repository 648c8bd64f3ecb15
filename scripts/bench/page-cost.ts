// `npx tsx scripts/bench/page-cost.ts [--tier site] [--file F --password P] [--build DIR]
// [--runs N] [--paths /review,/review/queue]`: what one render of a page costs the built server's
// request thread. Starts the built app (a private copy of build/, or --build DIR, so two builds
// can be compared back to back) on a copy of a trial file (built at the tier when --file is not
// given; the users' password is printed so the file can be reused), signs the investigator in,
// then requests each page N times one after another and prints its HTML bytes, its page data bytes
// (`__data.json`, what a live update fetches again) and the request thread's CPU per render (/proc,
// so the page's loader, its rendering and SvelteKit's work around it). Not a load test, unless
// `--concurrency 10`: the N runs then come from 10 clients at once (the bench's c = 10 pass for just
// these pages), and the wall time's p50 and p99 are printed beside the CPU per render.
import {
	copyFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../build-if-needed.js';
import { buildTrial, TIERS, type Tier } from './build-trial';
import { percentile, signIn, startServer } from './http';
import { openDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { newSessions, recheck } from './baselines';

/**
 * Open flags at site 01 as the bench's mixed load leaves them (its probe posts a 186 mmHg reading
 * every half second): 60 breaching readings in 4 new sessions, a third of them 172/95 (an action
 * and a notify flag on one card), the rest 186 (urgent).
 */
async function openFlags(path: string) {
	const { db } = openDatabase(path);
	const system = systemContext(db, 'bench');
	const sessions = await newSessions(system, 4);
	for (let i = 0; i < 60; i++) {
		const at = new Date(Date.now() - (60 - i) * 60_000);
		const reading = i % 3 === 0 ? { ...recheck(172, at), diastolic: 95 } : recheck(186, at);
		await recordVitals(system, sessions[i % 4]!, { ...reading, confirmed: true });
	}
	await db.destroy();
}

const { values } = parseArgs({
	options: {
		tier: { type: 'string', default: 'site' },
		file: { type: 'string' },
		password: { type: 'string' },
		build: { type: 'string' },
		runs: { type: 'string', default: '60' },
		paths: { type: 'string', default: '/review,/review/queue' },
		role: { type: 'string', default: 'investigator' },
		/** Clients at once: the runs are shared among them (1: one request after another). */
		concurrency: { type: 'string', default: '1' },
		/** Write a CPU profile of the request thread over the first page's timed runs here. */
		'cpu-profile': { type: 'string' },
		/** Write each page's HTML into this folder, to read what it is made of. */
		save: { type: 'string' }
	}
});
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vigil-page-cost-'));
const file = join(dir, 'vigil.db');
let password = values.password ?? '';
if (values.file) {
	if (!password) throw new Error('--file needs the --password its users were built with');
	for (const suffix of ['', '-wal']) {
		if (existsSync(values.file + suffix)) copyFileSync(values.file + suffix, file + suffix);
	}
} else {
	const tier = TIERS[values.tier as Tier['name']];
	if (!tier) throw new Error(`--tier must be one of: ${Object.keys(TIERS).join(', ')}`);
	password ||= `cost-${Math.random().toString(36).slice(2)}-Pass!`;
	const kept = join(mkdtempSync(join(tmpdir(), `vigil-page-cost-${tier.name}-`)), 'vigil.db');
	await buildTrial(kept, tier, password, () => {});
	await openFlags(kept);
	console.log(`built ${kept} (password ${password}); reuse it with --file and --password`);
	copyFileSync(kept, file);
	if (existsSync(kept + '-wal')) copyFileSync(kept + '-wal', file + '-wal');
}
let buildDir = values.build ? resolve(values.build) : '';
if (!buildDir) {
	buildIfNeeded(root);
	mkdirSync(join(root, '.bench-builds'), { recursive: true });
	buildDir = join(root, '.bench-builds', basename(dir));
	cpSync(join(root, 'build'), buildDir, { recursive: true });
}
const profile = values['cpu-profile'] ? resolve(values['cpu-profile']) : undefined;
// The copy of the trial (gigabytes at the trial tier) goes whether or not the server starts.
const server = await startServer(root, buildDir, { file }, dir, profile).catch((e: unknown) => {
	if (!values.build) rmSync(buildDir, { recursive: true, force: true });
	rmSync(dir, { recursive: true, force: true });
	throw e;
});
try {
	const cookie = await signIn(server.base, `${values.role}@demo.vigil.test`, password);
	const runs = Number(values.runs);
	const get = async (url: string, saveAs?: string) => {
		const res = await fetch(url, { headers: { cookie } });
		const body = await res.text();
		if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
		if (saveAs && values.save) writeFileSync(join(values.save, saveAs), body);
		return Buffer.byteLength(body);
	};
	const mainCpu = () => server.threads().get(server.child.pid!)?.cpuSeconds ?? 0;
	/** Every other thread of the server: the read workers (and libuv's and V8's helpers). */
	const otherCpu = () =>
		[...server.threads()]
			.filter(([tid]) => tid !== server.child.pid)
			.reduce((sum, [, t]) => sum + t.cpuSeconds, 0);
	for (const path of values.paths!.split(',')) {
		const name = path.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'root';
		const html = await get(`${server.base}${path}`, `${name}.html`);
		const data = await get(`${server.base}${path.replace(/\/?$/, '/')}__data.json`, `${name}.json`);
		for (let i = 0; i < 5; i++) await get(`${server.base}${path}`); // warm up
		if (profile) await server.loopDelay(); // starts the profile (the first path's runs only)
		const cpu0 = mainCpu();
		const other0 = otherCpu();
		const t0 = performance.now();
		const times: number[] = [];
		const clients = Math.max(1, Number(values.concurrency));
		await Promise.all(
			Array.from({ length: clients }, async (_, c) => {
				for (let i = c; i < runs; i += clients) {
					const t = performance.now();
					await get(`${server.base}${path}`);
					times.push(performance.now() - t);
				}
			})
		);
		const wall = (performance.now() - t0) / runs;
		const cpu = ((mainCpu() - cpu0) * 1000) / runs;
		const other = ((otherCpu() - other0) * 1000) / runs;
		if (profile) await server.loopDelay(); // writes it
		console.log(
			`${path}: HTML ${(html / 1024).toFixed(1)} KB, data ${(data / 1024).toFixed(1)} KB; ` +
				`request thread ${cpu.toFixed(1)} ms CPU a render, other threads ${other.toFixed(1)} ms ` +
				`(wall ${wall.toFixed(1)} ms, ${runs} runs)` +
				(clients > 1
					? `; at c = ${clients}: p50 ${percentile(times, 50).toFixed(1)} ms, ` +
						`p99 ${percentile(times, 99).toFixed(1)} ms`
					: '')
		);
	}
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
