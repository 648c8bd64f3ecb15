// The benchmarked server as a child process, and the HTTP helpers the load uses.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Server {
	base: string;
	child: ChildProcess;
	/** Resident memory of the server process, in bytes. */
	rss: () => number;
	/** CPU time (seconds) and nice value of each thread of the server process, by thread id. */
	threads: () => Map<number, ThreadCpu>;
	/** The event-loop delay histogram since the last call (ms). */
	loopDelay: () => Promise<{
		p50: number;
		p99: number;
		max: number;
		count: number;
		/** The request thread's collections by kind (loop-probe.mjs). */
		gc?: Record<string, { count: number; ms: number; maxMs: number }>;
	}>;
	stop: () => Promise<void>;
	/** What the server printed (the tail, when it is long), and how it exited if it has. */
	output: () => string;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const a = srv.address();
			const port = typeof a === 'object' && a ? a.port : 0;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export interface ThreadCpu {
	cpuSeconds: number;
	nice: number;
}

/** Every thread of a process: its user + system CPU and its nice value (Linux /proc). */
export function threadsOf(pid: number): Map<number, ThreadCpu> {
	const out = new Map<number, ThreadCpu>();
	let tids: string[] = [];
	try {
		tids = readdirSync(`/proc/${pid}/task`);
	} catch {
		return out; // not Linux, or the server has gone
	}
	for (const tid of tids) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			// After the command name: state is field 3, utime 14, stime 15, nice 19.
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(Number(tid), {
				cpuSeconds: (Number(f[11]) + Number(f[12])) / 100,
				nice: Number(f[16])
			});
		} catch {
			// the thread ended
		}
	}
	return out;
}

/**
 * What each thread used between two `threadsOf` samples: the request thread (the process's own
 * id), the threads that used a second or more (the read workers, which run the queries and
 * exports), and the sum of the rest (V8's helpers, libuv's pool).
 */
export function threadUse(
	pid: number,
	before: Map<number, ThreadCpu>,
	after: Map<number, ThreadCpu>,
	seconds: number
) {
	const used = [...after].map(([tid, t]) => ({
		tid,
		nice: t.nice,
		cpuSeconds: Math.round((t.cpuSeconds - (before.get(tid)?.cpuSeconds ?? 0)) * 10) / 10
	}));
	const main = used.find((t) => t.tid === pid) ?? { tid: pid, nice: 0, cpuSeconds: 0 };
	const rest = used.filter((t) => t.tid !== pid).sort((a, b) => b.cpuSeconds - a.cpuSeconds);
	const workers = rest.filter((t) => t.cpuSeconds >= 1);
	const other = rest.filter((t) => t.cpuSeconds < 1).reduce((s, t) => s + t.cpuSeconds, 0);
	return {
		seconds: Math.round(seconds),
		main,
		workers,
		otherCpuSeconds: Math.round(other * 10) / 10
	};
}

/** The database the server runs on: the SQLite file, or a PostgreSQL URL. */
export type ServerDatabase = { file: string } | { url: string };

/**
 * The built app at `buildDir`, served as `npm start` serves it (scripts/serve.js, with the headers
 * every response carries), on `database`.
 */
export async function startServer(
	root: string,
	buildDir: string,
	database: ServerDatabase,
	dir: string,
	/** Write a CPU profile of the request thread between the loop probe's first two readings. */
	cpuProfile?: string
): Promise<Server> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const loopFile = join(dir, 'loop.json');
	let log = '';
	const child = spawn(
		process.execPath,
		[
			'--import',
			join(root, 'scripts/bench/loop-probe.mjs'),
			join(root, 'scripts/serve.js'),
			buildDir
		],
		{
			cwd: root,
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: base,
				...('url' in database
					? { VIGIL_DATABASE_URL: database.url }
					: { VIGIL_DB: database.file, VIGIL_DATABASE_URL: '' }),
				// The witness log of this throwaway database stays in its directory.
				VIGIL_WITNESS_FILE: join(dir, 'witness.log'),
				VIGIL_DEMO: '0',
				VIGIL_SIGNING_KEY: join(dir, 'signing.key'),
				// The writers post far more rechecks into one session than a site ever would.
				VIGIL_MAX_UNSCHEDULED_READINGS: '1000000',
				// The bench signs its administrator in with a password alone (no authenticator app).
				VIGIL_SECOND_FACTOR_ROLES: 'none',
				VIGIL_BENCH_LOOP_FILE: loopFile,
				...(cpuProfile ? { VIGIL_BENCH_CPU_PROFILE: cpuProfile } : {})
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
		try {
			if ((await fetch(`${base}/login`)).ok) break;
		} catch {
			// not yet listening
		}
		if (Date.now() > deadline) throw new Error(`the server did not start:\n${log}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	const rss = () => {
		try {
			const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
			return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
		} catch {
			return 0; // the server has gone
		}
	};
	return {
		base,
		child,
		rss,
		threads: () => threadsOf(child.pid!),
		output: () =>
			`${log.slice(-4000)}${child.exitCode !== null || child.signalCode ? `\n[server exited: code ${child.exitCode}, signal ${child.signalCode}]` : ''}`,
		async loopDelay() {
			child.kill('SIGUSR2');
			for (let i = 0; i < 50 && !existsSync(loopFile); i++) {
				await new Promise((r) => setTimeout(r, 20));
			}
			await new Promise((r) => setTimeout(r, 100));
			return JSON.parse(readFileSync(loopFile, 'utf8'));
		},
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
				child.once('exit', () => {
					clearTimeout(hard);
					resolve();
				});
				child.kill('SIGTERM');
			})
	};
}

export async function signIn(base: string, email: string, password: string): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in failed for ${email}: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

/** Connections the client found reset when it reused them (each request was then sent again). */
export const resets = { count: 0 };

/**
 * fetch, sent again when the connection it reused turns out closed. On a loaded machine the
 * client can pick a kept-alive socket in the same instant the server closes it for idleness; the
 * request never reached the server then. Every POST the bench repeats carries its reading's
 * idempotency key (clientKey), so a resend can never store a reading twice.
 */
export async function fetchAgainOnReset(url: string, init: RequestInit = {}): Promise<Response> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await fetch(url, init);
		} catch (e) {
			const code = (e as { cause?: { code?: string } }).cause?.code;
			const reset = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
			if (!reset || attempt >= 3) throw e;
			resets.count++;
		}
	}
}

/** A request's time in ms, its status; the body is read to the end. */
export async function timedFetch(
	url: string,
	init: RequestInit = {}
): Promise<{ ms: number; status: number; bytes: number }> {
	const t = performance.now();
	// Downloads of a whole trial take minutes on a loaded machine; a page never should.
	const res = await fetchAgainOnReset(url, { signal: AbortSignal.timeout(900_000), ...init });
	const body = await res.arrayBuffer();
	return { ms: performance.now() - t, status: res.status, bytes: body.byteLength };
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}
