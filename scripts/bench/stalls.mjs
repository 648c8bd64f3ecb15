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
const profile = JSON.parse(readFileSync(file, 'utf8'));
const recorded = JSON.parse(readFileSync(`${file}.stalls.json`, 'utf8'));
const { gc, memoryGrowthMb } = recorded;
const windowFrom = profile.startTime + Number(values.from) * 1e6;
const windowTo = profile.startTime + Number(values.to) * 1e6;
const stalls = recorded.stalls.filter((s) => s.from >= windowFrom && s.from < windowTo);

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const place = (url) =>
	url
		.replace(/^file:\/\/.*\/node_modules\//, '')
		.replace(/^file:\/\/.*\/server\//, 'server/')
		.replace(/-[\w-]{8}\.js$/, '.js');
const label = (n) =>
	`${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

// Each sample's time on the profile's clock (microseconds) and how long it stands for.
const samples = [];
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
	t += profile.timeDeltas[i] ?? 0;
	samples.push({ at: t, node: profile.samples[i], us: profile.timeDeltas[i + 1] ?? 0 });
}

/** Inclusive time of every function over the samples within [from, to). */
function tally(from, to, into = new Map()) {
	let i = lowerBound(from);
	for (; i < samples.length && samples[i].at < to; i++) {
		const s = samples[i];
		const seen = new Set();
		for (let id = s.node; id !== undefined; id = parentOf.get(id)) {
			const l = label(nodes.get(id));
			if (seen.has(l)) continue;
			seen.add(l);
			into.set(l, (into.get(l) ?? 0) + s.us);
		}
	}
	return into;
}

function lowerBound(at) {
	let lo = 0;
	let hi = samples.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (samples[mid].at < at) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * What a sample was spent on: the first cause whose test matches a frame of its stack (leaf to
 * root); the order settles a stack with several (a commit inside a save is the commit).
 */
const CAUSES = [
	['garbage collection', (f) => f.functionName === '(garbage collector)'],
	['idle (off the CPU)', (f) => f.functionName === '(idle)'],
	['commit (fsync)', (f) => f.functionName === 'commitTransaction'],
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
function placeOf(f) {
	if (/\.svelte\.js|\/(server|internal\d*)\.js/.test(f.url)) return 'server-side rendering';
	if (/^node:|undici|readablestream|handler|\/(index|utils|exports|shared)\.js/.test(f.url)) {
		return 'HTTP, SvelteKit and Node';
	}
	if (/\/chunks\//.test(f.url)) return 'app JavaScript (services, loads)';
	return 'other';
}
const causeOf = new Map();
function cause(id) {
	let c = causeOf.get(id);
	if (c !== undefined) return c;
	const frames = [];
	for (let j = id; j !== undefined; j = parentOf.get(j)) frames.push(nodes.get(j).callFrame);
	c = placeOf(frames[0]);
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

const ms = (us) => (us / 1000).toFixed(0).padStart(6);
const print = (map, n, skip = new Set(['(root) :0'])) => {
	for (const [l, us] of [...map]
		.sort((a, b) => b[1] - a[1])
		.filter(([l]) => !skip.has(l))
		.slice(0, n)) {
		console.log(`${ms(us)} ms  ${l}`);
	}
};

const length = (s) => s.to - s.from;
const sorted = [...stalls].sort((a, b) => length(b) - length(a));
const total = stalls.reduce((sum, s) => sum + length(s), 0);
const over = (limit) => stalls.filter((s) => length(s) >= limit * 1000).length;
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
const inStall = (g) => stalls.some((s) => g.from >= s.from && g.from < s.to);
const held = gc.longest.filter(inStall);
if (held.length > 0) {
	console.log(`  of those, inside stalls: ${held.map((g) => `${g.ms} ms ${g.kind}`).join(', ')}`);
}
const causes = new Map();
const row = (c) => {
	let r = causes.get(c);
	if (!r) causes.set(c, (r = { inStalls: 0, largestIn: 0, window: 0 }));
	return r;
};
for (const s of samples) {
	if (s.at >= windowFrom && s.at < windowTo) row(cause(s.node)).window += s.us;
}
for (const st of stalls) {
	const mine = new Map();
	for (let i = lowerBound(st.from); i < samples.length && samples[i].at < st.to; i++) {
		const c = cause(samples[i].node);
		mine.set(c, (mine.get(c) ?? 0) + samples[i].us);
		row(c).inStalls += samples[i].us;
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
