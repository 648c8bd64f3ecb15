// Measures against the running server: the mixed load (4 writers, 10 viewers, an ODM export and
// an auditor bundle at once, and a probe timing save → board event), each page and API list at
// c = 10, and the JavaScript each entry page loads first.
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { fetchAgainOnReset, percentile, resets, threadUse, timedFetch, type Server } from './http';
import { recheck } from './baselines';

export interface Cookies {
	admin: string;
	investigator: string;
	coordinator: string;
	auditor: string;
}

export interface Pages {
	participantId: number;
	sessionId: number;
}

const jsonHeaders = (cookie: string, base: string) => ({
	cookie,
	origin: base,
	'content-type': 'application/json'
});

/** The investigator's board channel: the time of every 'flags' event. */
async function boardEvents(server: Server, cookie: string, signal: AbortSignal) {
	const times: number[] = [];
	const res = await fetch(`${server.base}/review/events`, { headers: { cookie }, signal });
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	void (async () => {
		let text = '';
		try {
			for (let n = await reader.read(); !n.done; n = await reader.read()) {
				text += decoder.decode(n.value, { stream: true });
				let i;
				while ((i = text.indexOf('event: flags')) >= 0) {
					times.push(performance.now());
					text = text.slice(i + 12);
				}
			}
		} catch {
			// aborted at the end
		}
	})();
	return times;
}

/**
 * How long the writers and viewers run before the mixed load is measured and the exports start:
 * the server's heaps grow to their working size under them first, so an export's memory growth
 * is its own (and the viewers' further growth while it runs), not the warm-up's.
 */
export const WARMUP_SECONDS = 10;

export async function mixedLoad(
	server: Server,
	cookies: Cookies,
	pages: Pages,
	sessions: { writers: number[][]; probe: number },
	seconds: number,
	opts: { downloadSeconds?: number; warmupSeconds?: number } = {}
) {
	const { base } = server;
	// The writers and viewers start first; what they do before `measured` is not counted.
	let measured = false;
	const warmupSeconds = opts.warmupSeconds ?? WARMUP_SECONDS;
	const stop = Date.now() + (warmupSeconds + seconds) * 1000;
	const saves: number[] = [];
	const saveErrors: number[] = [];
	const writer = async (ids: number[]) => {
		for (let i = 0; Date.now() < stop; i++) {
			const id = ids[i % ids.length]!;
			const r = await timedFetch(`${base}/api/v1/dosing-sessions/${id}/vitals`, {
				method: 'POST',
				headers: jsonHeaders(cookies.coordinator, base),
				body: JSON.stringify({
					...recheck(120, new Date(Date.now() - 1000)),
					clientKey: randomUUID()
				})
			});
			if (measured) (r.status === 201 ? saves : saveErrors).push(r.ms);
		}
	};
	const viewTimes: Record<string, number[]> = {};
	const views: Array<[string, string, string]> = [
		['board', '/review', cookies.investigator],
		['cohort', '/cohort', cookies.admin],
		['safety signals', '/safety-signals', cookies.admin],
		['site overview', '/sites/01/overview', cookies.investigator],
		['timeline', `/participants/${pages.participantId}/timeline`, cookies.investigator]
	];
	const viewer = async (offset: number) => {
		for (let i = offset; Date.now() < stop; i++) {
			const [name, path, cookie] = views[i % views.length]!;
			const r = await timedFetch(`${base}${path}`, { headers: { cookie } });
			if (measured) (viewTimes[name] ??= []).push(r.ms);
		}
	};
	/**
	 * The export's growth: the server's peak resident memory while it ran, less what it held when
	 * the export started (with the writers and viewers running since the warm-up). The whole
	 * server's growth under the mixed load is measured apart (`memory`).
	 */
	const download = async (path: string, cookie: string) => {
		const before = server.rss();
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 100);
		const t = performance.now();
		try {
			const r = await timedFetch(`${base}${path}`, {
				headers: { cookie },
				signal: AbortSignal.timeout((opts.downloadSeconds ?? 900) * 1000)
			});
			return {
				seconds: r.ms / 1000,
				bytes: r.bytes,
				status: r.status,
				rssGrowthMb: (peak - before) / 1048576
			};
		} catch (e) {
			// A download that does not finish (on a loaded machine, past the timeout) is reported as
			// such with the memory it used; the rest of the run goes on.
			return {
				seconds: (performance.now() - t) / 1000,
				bytes: 0,
				status: 0,
				failed: e instanceof Error ? e.name : String(e),
				rssGrowthMb: (peak - before) / 1048576
			};
		} finally {
			clearInterval(sampler);
		}
	};
	// The whole server's memory: before the mixed load starts, and its peak until the downloads end.
	const idleRss = server.rss();
	let peakRss = idleRss;
	const wholeSampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), 100);
	const background = [
		...sessions.writers.map((ids) => writer(ids)),
		...Array.from({ length: 10 }, (_, i) => viewer(i))
	];
	await new Promise((res) => setTimeout(res, warmupSeconds * 1000));
	const warmRss = server.rss();
	measured = true;
	const abort = new AbortController();
	const events = await boardEvents(server, cookies.investigator, abort.signal);
	const probeLatencies: number[] = [];
	const probe = async () => {
		while (Date.now() < stop - 2000) {
			const seen = events.length;
			const t = performance.now();
			const r = await fetchAgainOnReset(`${base}/api/v1/dosing-sessions/${sessions.probe}/vitals`, {
				method: 'POST',
				headers: jsonHeaders(cookies.coordinator, base),
				body: JSON.stringify({
					...recheck(186, new Date(Date.now() - 1000)),
					confirmed: true,
					clientKey: randomUUID()
				})
			});
			await r.arrayBuffer();
			const deadline = performance.now() + 10_000;
			while (events.length === seen && performance.now() < deadline) {
				await new Promise((res) => setTimeout(res, 5));
			}
			probeLatencies.push((events[seen] ?? performance.now()) - t);
			await new Promise((res) => setTimeout(res, 500));
		}
	};
	await server.loopDelay(); // start a new histogram
	const resetsBefore = resets.count;
	const threadsBefore = server.threads();
	const startedAt = performance.now();
	let timedThreads: ReturnType<typeof threadUse> | null = null;
	const timed = Promise.all([...background, probe()]).then(() => {
		timedThreads = threadUse(
			server.child.pid!,
			threadsBefore,
			server.threads(),
			(performance.now() - startedAt) / 1000
		);
		// The downloads may run on for minutes (they run below the request thread): say at once
		// what the timed part measured.
		console.log(
			`  saves p50 ${percentile(saves, 50)} / p99 ${percentile(saves, 99)} ms (n ${saves.length}); ` +
				`save → board event p50 ${percentile(probeLatencies, 50)} / p95 ${percentile(probeLatencies, 95)} ms ` +
				`(n ${probeLatencies.length}); request thread ${timedThreads.main.cpuSeconds} s of CPU ` +
				`in ${timedThreads.seconds} s; the downloads go on…`
		);
	});
	const [odm, bundle] = await Promise.all([
		download('/api/v1/exports/odm', cookies.admin),
		download('/exports/bundle', cookies.admin),
		timed
	]);
	const threads = threadUse(
		server.child.pid!,
		threadsBefore,
		server.threads(),
		(performance.now() - startedAt) / 1000
	);
	const loop = await server.loopDelay();
	clearInterval(wholeSampler);
	abort.abort();
	const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
	return {
		seconds,
		warmupSeconds,
		/**
		 * The whole server's resident memory (every thread: the request thread's heap, the read and
		 * export workers' heaps, SQLite's caches, native memory): before the mixed load, when its
		 * measured part and the exports started (after the warm-up), and its peak to the end.
		 */
		memory: {
			idleMb: mb(idleRss),
			warmMb: mb(warmRss),
			peakMb: mb(peakRss),
			growthMb: mb(peakRss - idleRss)
		},
		save: {
			n: saves.length,
			errors: saveErrors.length,
			/** Requests sent again after a kept-alive connection was found reset (any kind). */
			resent: resets.count - resetsBefore,
			p50: percentile(saves, 50),
			p99: percentile(saves, 99)
		},
		boardEvent: {
			n: probeLatencies.length,
			p50: percentile(probeLatencies, 50),
			p95: percentile(probeLatencies, 95)
		},
		loopDelay: loop,
		/** Each thread's CPU over the whole mixed load (downloads to their end), and over its timed part. */
		threads,
		threadsTimed: timedThreads,
		views: Object.fromEntries(
			Object.entries(viewTimes).map(([k, v]) => [
				k,
				{ n: v.length, p50: percentile(v, 50), p99: percentile(v, 99) }
			])
		),
		odm,
		bundle
	};
}

/** Each page and API list with 10 clients at once, `rounds` requests each. */
export async function atConcurrency10(server: Server, cookies: Cookies, pages: Pages, rounds = 8) {
	const targets: Array<[string, string, string]> = [
		['/review (board)', '/review', cookies.investigator],
		['/review/queue', '/review/queue', cookies.investigator],
		['/cohort', '/cohort', cookies.admin],
		['/safety-signals', '/safety-signals', cookies.admin],
		['/sites/01/overview', '/sites/01/overview', cookies.investigator],
		[
			'/participants/:id/timeline',
			`/participants/${pages.participantId}/timeline`,
			cookies.investigator
		],
		['/audit', '/audit', cookies.admin],
		['GET /api/v1/flags', '/api/v1/flags', cookies.investigator],
		['GET /api/v1/flags?open=false', '/api/v1/flags?open=false', cookies.investigator],
		['GET /api/v1/participants', '/api/v1/participants', cookies.investigator],
		['GET /api/v1/audit', '/api/v1/audit', cookies.admin]
	];
	const out: Record<string, { p50: number; p99: number; bytes: number; status: number }> = {};
	for (const [name, path, cookie] of targets) {
		const times: number[] = [];
		let bytes = 0;
		let status = 0;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				for (let i = 0; i < rounds; i++) {
					const r = await timedFetch(`${server.base}${path}`, { headers: { cookie } });
					times.push(r.ms);
					bytes = r.bytes;
					status = r.status;
				}
			})
		);
		out[name] = { p50: percentile(times, 50), p99: percentile(times, 99), bytes, status };
	}
	return out;
}

/**
 * gzip bytes of the JavaScript a page loads before it can run: SvelteKit's entry modules (the
 * page's inline script imports them), the layout and page nodes it names (`node_ids`), and every
 * module those import statically. Modules loaded later with import() (Chart.js) are not counted.
 */
export async function firstLoadJs(server: Server, cookies: Cookies, pages: Pages) {
	const targets: Array<[string, string, string | null]> = [
		['sign-in', '/login', null],
		['board', '/review', cookies.investigator],
		['session entry', `/sessions/${pages.sessionId}`, cookies.coordinator],
		['session chart', `/sessions/${pages.sessionId}/chart`, cookies.investigator],
		['cohort (chart)', '/cohort', cookies.admin]
	];
	const sources = new Map<string, string>();
	const source = async (url: string) => {
		if (!sources.has(url)) sources.set(url, await (await fetch(url)).text());
		return sources.get(url)!;
	};
	const out: Record<string, { kb: number; files: number }> = {};
	for (const [name, path, cookie] of targets) {
		const page = `${server.base}${path}`;
		const html = await (await fetch(page, { headers: cookie ? { cookie } : {} })).text();
		const entries = [...html.matchAll(/import\("([^"]+\.js)"\)/g)].map(
			(m) => new URL(m[1]!, page).href
		);
		const queue = [...entries];
		const app = entries.find((u) => /\/entry\/app\./.test(u));
		const nodeIds =
			/node_ids:\s*\[([\d,\s]+)\]/
				.exec(html)?.[1]
				?.split(',')
				.map((n) => n.trim()) ?? [];
		if (app) {
			const code = await source(app);
			for (const id of nodeIds) {
				const file = new RegExp(`\\.\\./nodes/${id}\\.[\\w-]+\\.js`).exec(code)?.[0];
				if (file) queue.push(new URL(file, app).href);
			}
		}
		const seen = new Set<string>();
		while (queue.length > 0) {
			const url = queue.pop()!;
			if (seen.has(url)) continue;
			seen.add(url);
			const code = await source(url);
			for (const m of code.matchAll(/(?:from|import)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) {
				queue.push(new URL(m[1]!, url).href);
			}
		}
		let bytes = 0;
		for (const url of seen) bytes += gzipSync(Buffer.from(await source(url))).length;
		out[name] = { kb: Math.round((bytes / 1024) * 10) / 10, files: seen.size };
	}
	return out;
}
