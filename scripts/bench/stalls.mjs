// `node scripts/bench/stalls.mjs FILE [--top N] [--each N] [--from S] [--to S]`: what held the
// request thread's event loop. FILE is a profile from `npm run bench -- --cpu-profile FILE`; the loop probe writes beside
// it FILE.stalls.json, each time a 5 ms timer fired 20 ms late or more (./loop-probe.mjs). Prints
// the stalls' count and lengths, the functions that ran longest inside them all (inclusive: a
// function and what it called), and the longest N stalls one by one. The profile samples by wall
// time, so on a loaded machine a stall also holds the time the thread waited for a core.
// Each sample is also put down to one cause (CAUSES: the first of the list found on its stack), and
// a table says, per cause, its time inside stalls, in how many stalls it was the largest, and its
// time over the whole window (what the thread spent on it, stalled or not). --from and --to keep
// the stalls and samples between those seconds of the profile (the mixed load's timed part is its
// first `--seconds`; the downloads run on after it).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame */
/** @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode */
/** A V8 CPU profile (node:inspector's Profiler.stop), times in µs: @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile */
/** @typedef {{ from: number, to: number }} Stall */
/** @typedef {{ kind: string, ms: number, from: number }} GcPause */
/** What ./loop-probe.mjs writes to FILE.stalls.json: @typedef {{ stalls: Stall[], gc: { kinds: Record<string, { count: number, ms: number }>, longest: GcPause[] }, memoryGrowthMb?: Record<string, number> }} Recorded */
/** @typedef {{ at: number, node: number, us: number }} Sample */

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		top: { type: 'string', default: '40' },
		each: { type: 'string', default: '5' },
		from: { type: 'string', default: '0' },
		to: { type: 'string', default: 'Infinity' }
	}
});
const file = positionals[0];
if (!file) {
	console.error('usage: node scripts/bench/stalls.mjs FILE [--top N] [--each N]');
	process.exit(2);
}
/** @type {Profile} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
/** @type {Recorded} */
const recorded = JSON.parse(readFileSync(`${file}.stalls.json`, 'utf8'));
const { gc, memoryGrowthMb } = recorded;
const windowFrom = profile.startTime + Number(values.from) * 1e6;
const windowTo = profile.startTime + Number(values.to) * 1e6;
const stalls = recorded.stalls.filter((s) => s.from >= windowFrom && s.from < windowTo);

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const place = (/** @type {string} */ url) =>
	url
		.replace(/^file:\/\/.*\/node_modules\//, '')
		.replace(/^file:\/\/.*\/server\//, 'server/')
		.replace(/-[\w-]{8}\.js$/, '.js');
const label = (/** @type {ProfileNode} */ n) =>
	`${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

// Each sample's time on the profile's clock (microseconds) and how long it stands for.
/** @type {Sample[]} */
const samples = [];
let t = profile.startTime;
for (const [i, id] of profile.samples.entries()) {
	t += profile.timeDeltas[i] ?? 0;
	samples.push({ at: t, node: id, us: profile.timeDeltas[i + 1] ?? 0 });
}

/** The node of this id (every id a sample or a parent names is in the profile). */
const node = (/** @type {number} */ id) => /** @type {ProfileNode} */ (nodes.get(id));
/** The samples within [from, to). */
function* samplesIn(/** @type {number} */ from, /** @type {number} */ to) {
	for (let i = lowerBound(from); i < samples.length; i++) {
		const s = /** @type {Sample} */ (samples[i]);
		if (s.at >= to) return;
		yield s;
	}
}

/**
 * Inclusive time of every function over the samples within [from, to).
 * @param {number} from
 * @param {number} to
 */
function tally(from, to, into = new Map()) {
	for (const s of samplesIn(from, to)) {
		const seen = new Set();
		for (
			let id = /** @type {number | undefined} */ (s.node);
			id !== undefined;
			id = parentOf.get(id)
		) {
			const l = label(node(id));
			if (seen.has(l)) continue;
			seen.add(l);
			into.set(l, (into.get(l) ?? 0) + s.us);
		}
	}
	return into;
}

function lowerBound(/** @type {number} */ at) {
	let lo = 0;
	let hi = samples.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (/** @type {Sample} */ (samples[mid]).at < at) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * What a sample was spent on: the first cause whose test matches a frame of its stack (leaf to
 * root); the order settles a stack with several (a commit inside a save is the commit).
 */
/** @type {Array<[string, (f: CallFrame) => boolean]>} */
const CAUSES = [
	['garbage collection', (f) => f.functionName === '(garbage collector)'],
	['idle (off the CPU)', (f) => f.functionName === '(idle)'],
	['commit (its fsync too at FULL)', (f) => f.functionName === 'commitTransaction'],
	['ETag hash', (f) => f.functionName === 'hash' && /exports/.test(f.url)],
	[
		'page data serialisation',
		(f) =>
			/shared/.test(f.url) && ['uneval', 'stringify', 'walk', 'add_node'].includes(f.functionName)
	],
	[
		'socket writes',
		(f) => ['writev', 'writeUtf8String', 'writeBuffer', '_writeGeneric'].includes(f.functionName)
	],
	[
		'worker messages',
		(f) =>
			f.functionName === 'postMessage' ||
			(/worker|messageport|message_port/.test(f.url) && f.functionName !== '')
	],
	[
		'SQLite on the request thread',
		(f) =>
			f.functionName === 'executeQuery' ||
			(f.url === '' && ['run', 'all', 'get', 'iterate'].includes(f.functionName))
	],
	['(program)', (f) => f.functionName === '(program)']
];
/** The rest by where the sample's own frame is: a component, SvelteKit and Node, or the app. */
function placeOf(/** @type {CallFrame} */ f) {
	if (/\.svelte\.js|\/(server|internal\d*)\.js/.test(f.url)) return 'server-side rendering';
	if (/^node:|undici|readablestream|handler|\/(index|utils|exports|shared)\.js/.test(f.url)) {
		return 'HTTP, SvelteKit and Node';
	}
	if (/\/chunks\//.test(f.url)) return 'app JavaScript (services, loads)';
	return 'other';
}
const causeOf = new Map();
/** @returns {string} */
function cause(/** @type {number} */ id) {
	let c = causeOf.get(id);
	if (c !== undefined) return c;
	const frames = [];
	/** @type {number | undefined} */
	let j = id;
	for (; j !== undefined; j = parentOf.get(j)) frames.push(node(j).callFrame);
	c = placeOf(node(id).callFrame);
	found: for (const [name, test] of CAUSES) {
		for (const f of frames) {
			if (test(f)) {
				c = name;
				break found;
			}
		}
	}
	causeOf.set(id, c);
	return c;
}

const ms = (/** @type {number} */ us) => (us / 1000).toFixed(0).padStart(6);
/** @type {(map: Map<string, number>, n: number, skip?: Set<string>) => void} */
const print = (map, n, skip = new Set(['(root) :0'])) => {
	for (const [l, us] of [...map]
		.sort((a, b) => b[1] - a[1])
		.filter(([l]) => !skip.has(l))
		.slice(0, n)) {
		console.log(`${ms(us)} ms  ${l}`);
	}
};

const length = (/** @type {Stall} */ s) => s.to - s.from;
const sorted = [...stalls].sort((a, b) => length(b) - length(a));
const total = stalls.reduce((sum, s) => sum + length(s), 0);
const over = (/** @type {number} */ limit) =>
	stalls.filter((s) => length(s) >= limit * 1000).length;
console.log(
	`${stalls.length} stalls of 20 ms or more, ${ms(total).trim()} ms in all over ` +
		`${((profile.endTime - profile.startTime) / 1e6).toFixed(0)} s; ≥ 50 ms: ${over(50)}, ` +
		`≥ 100 ms: ${over(100)}, ≥ 200 ms: ${over(200)}; longest: ` +
		sorted
			.slice(0, 10)
			.map((s) => ms(length(s)).trim())
			.join(', ')
);
console.log(
	`Garbage collection on the request thread: ${Object.entries(gc.kinds)
		.map(([kind, k]) => `${kind} ${k.count} × (${k.ms} ms)`)
		.join(', ')}; longest pauses ${gc.longest
		.slice(0, 8)
		.map((g) => `${g.ms} ms ${g.kind}`)
		.join(', ')}`
);
if (memoryGrowthMb) {
	console.log(
		`Peak growth while profiled (MB): process RSS ${memoryGrowthMb.rss}; the request thread's ` +
			`heap ${memoryGrowthMb.heapTotal} (used ${memoryGrowthMb.heapUsed}), external ` +
			`${memoryGrowthMb.external} (array buffers ${memoryGrowthMb.arrayBuffers})`
	);
}
const inStall = (/** @type {GcPause} */ g) => stalls.some((s) => g.from >= s.from && g.from < s.to);
const held = gc.longest.filter(inStall);
if (held.length > 0) {
	console.log(`  of those, inside stalls: ${held.map((g) => `${g.ms} ms ${g.kind}`).join(', ')}`);
}
/** @type {Map<string, { inStalls: number, largestIn: number, window: number }>} */
const causes = new Map();
const row = (/** @type {string} */ c) => {
	let r = causes.get(c);
	if (!r) causes.set(c, (r = { inStalls: 0, largestIn: 0, window: 0 }));
	return r;
};
for (const s of samples) {
	if (s.at >= windowFrom && s.at < windowTo) row(cause(s.node)).window += s.us;
}
for (const st of stalls) {
	/** @type {Map<string, number>} */
	const mine = new Map();
	for (const s of samplesIn(st.from, st.to)) {
		const c = cause(s.node);
		mine.set(c, (mine.get(c) ?? 0) + s.us);
		row(c).inStalls += s.us;
	}
	const top = [...mine].sort((a, b) => b[1] - a[1])[0];
	if (top) row(top[0]).largestIn++;
}
console.log(`\nBy cause: ms inside stalls, stalls where it was the largest, ms over the window`);
for (const [c, r] of [...causes].sort((a, b) => b[1].inStalls - a[1].inStalls)) {
	console.log(`${ms(r.inStalls)} ms  ${String(r.largestIn).padStart(4)}  ${ms(r.window)} ms  ${c}`);
}
const all = new Map();
for (const s of stalls) tally(s.from, s.to, all);
console.log(`\nInside all stalls, inclusive (top ${values.top}):`);
print(all, Number(values.top));
for (const s of sorted.slice(0, Number(values.each))) {
	console.log(
		`\nStall of ${ms(length(s)).trim()} ms at ${((s.from - profile.startTime) / 1e6).toFixed(1)} s:`
	);
	print(tally(s.from, s.to), 25);
}
