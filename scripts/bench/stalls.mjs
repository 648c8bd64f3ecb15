// `node scripts/bench/stalls.mjs FILE [--top N] [--each N]`: what held the request thread's event
// loop. FILE is a profile from `npm run bench -- --cpu-profile FILE`; the loop probe writes beside
// it FILE.stalls.json, each time a 5 ms timer fired 20 ms late or more (./loop-probe.mjs). Prints
// the stalls' count and lengths, the functions that ran longest inside them all (inclusive: a
// function and what it called), and the longest N stalls one by one. The profile samples by wall
// time, so on a loaded machine a stall also holds the time the thread waited for a core.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { top: { type: 'string', default: '40' }, each: { type: 'string', default: '5' } }
});
const file = positionals[0];
if (!file) {
	console.error('usage: node scripts/bench/stalls.mjs FILE [--top N] [--each N]');
	process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const { stalls, gc, memoryGrowthMb } = JSON.parse(readFileSync(`${file}.stalls.json`, 'utf8'));

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
