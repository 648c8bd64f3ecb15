// `npx tsx scripts/bench/verify-profile.ts FILE [workers|inline]`: audit verify on a built trial
// beside the bench's plain recomputation of the chain, each timed (wall and this process's CPU,
// worker threads included) with the peak RSS. `inline` runs verify's read jobs in this thread, to
// profile them (`node --import tsx --cpu-prof scripts/bench/verify-profile.ts FILE inline`).
// The file is opened read-only; build one with `scripts/bench/dashboard-cost.ts --file`.
import SQLite from 'better-sqlite3';
import { chainHash, GENESIS_HASH, type ChainRow } from '../../src/lib/server/audit/chain';
import { openReadOnlyDatabase, type Db } from '../../src/lib/server/db';
import { workerReads } from '../../src/lib/server/reads/pool';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';

const [file, mode = 'workers'] = process.argv.slice(2);
if (!file) throw new Error('usage: verify-profile.ts FILE [workers|inline]');
const { db } = openReadOnlyDatabase(file);
const sqlite = new SQLite(file, { readonly: true });
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

async function timed<T>(name: string, work: () => Promise<T> | T) {
	peak = process.memoryUsage().rss;
	const cpu = process.cpuUsage();
	const t = performance.now();
	const result = await work();
	const used = process.cpuUsage(cpu);
	const wall = (performance.now() - t) / 1000;
	const cpuSeconds = (used.user + used.system) / 1e6;
	console.log(
		`${name.padEnd(8)} wall ${wall.toFixed(2)} s, cpu ${cpuSeconds.toFixed(2)} s, peak rss ${(peak / 1048576).toFixed(0)} MB`
	);
	return { result, wall, cpu: cpuSeconds };
}

const raw = await timed('raw', () => {
	let prev = GENESIS_HASH;
	let n = 0;
	for (const row of sqlite.prepare('select * from audit_event order by seq').iterate()) {
		const r = row as ChainRow;
		if (chainHash({ ...r, prev_hash: prev }) !== r.hash) throw new Error(`row ${r.seq}`);
		prev = r.hash;
		n++;
	}
	return n;
});
const reads = mode === 'inline' ? undefined : workerReads(file, { workers: 2 });
const ctx = { ...systemContext(db as Db, 'bench'), reads };
// The workers start (and load the code) outside the measure, as a running server's have.
if (reads) await Promise.all([1, 2].map(() => reads.db.selectFrom('site').selectAll().execute()));
const verify = await timed('verify', () => verifyAuditChain(ctx, { key: null }));
const { rows, ok, problem, data } = verify.result;
console.log(`rows ${raw.result} / ${rows}, ok ${ok}, ${problem?.message ?? ''} ${data.length}`);
console.log(
	`ratio wall ${(raw.wall / verify.wall).toFixed(3)}, cpu ${(raw.cpu / verify.cpu).toFixed(3)}`
);
clearInterval(sampler);
await reads?.close();
await db.destroy();
