// `npx tsx scripts/bench/activation-cost.ts --file COPY/vigil.db [--runs 2] [--cpu-profile F]`:
// what activating a protocol version costs the writer when its SDV settings differ from the
// active one's (the study's SDV summary is rebuilt in the activation's transaction; every save
// waits for it). Each run loads the active definition under a new version number with a sample
// percentage that alternates between 10 and 20 (every record type requirable, so every record of
// the study is read) and activates it; the CPU (this process and its threads) and wall time of
// the activation alone are printed, with how long it held the writer: each write transaction it
// ran (the activation's own, then the SDV rebuild's windows after commit), timed from inside the
// transaction (after BEGIN IMMEDIATE) to the end of its work, in wall and CPU time: the sum and the
// longest, which is how long a save arriving at the worst moment waits for the writer. It writes:
// run it on a copy of a built trial.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { systemContext } from '../../src/lib/server/runtime/context';
import { runPendingBackfills } from '../../src/lib/server/services/dashboards/summaries';
import { activateProtocolVersion } from '../../src/lib/server/services/protocol/protocol-versions';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';

const { values } = parseArgs({
	options: {
		file: { type: 'string' },
		runs: { type: 'string', default: '2' },
		'cpu-profile': { type: 'string' }
	}
});
if (!values.file) {
	console.error('--file is required (a copy: this writes)');
	process.exit(2);
}
useHeadSigner(loadOrCreateSigningKey(join(dirname(values.file), 'signing.key')));
const opened = openDatabase(values.file);

/** Each write transaction's hold while `holds` is set: wall and CPU ms from BEGIN to its end. */
let holds: Array<{ wall: number; cpu: number }> | null = null;
const timed =
	<T>(work: (trx: T) => Promise<unknown>) =>
	async (trx: T) => {
		const t = performance.now();
		const c = process.cpuUsage();
		try {
			return await work(trx);
		} finally {
			const u = process.cpuUsage(c);
			holds?.push({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 });
		}
	};
// The handle the services get: the same database, its transactions timed.
const db = new Proxy(opened.db, {
	get(target, key) {
		if (key === 'transaction') {
			return () => {
				const builder = target.transaction();
				return new Proxy(builder, {
					get(b, k) {
						if (k === 'execute') {
							return (work: Parameters<typeof builder.execute>[0]) => b.execute(timed(work));
						}
						const v = Reflect.get(b, k, b) as unknown;
						return typeof v === 'function' ? v.bind(b) : v;
					}
				});
			};
		}
		const v = Reflect.get(target, key, target) as unknown;
		return typeof v === 'function' ? v.bind(target) : v;
	}
});
await migrateToLatest(db);
await runPendingBackfills(db);
const admin = systemContext(db, 'bench');
const active = await db
	.selectFrom('protocol_version')
	.select(['definition', 'version'])
	.where('is_active', '=', 1)
	.orderBy('id')
	.executeTakeFirstOrThrow();
const counts = async () =>
	db
		.selectFrom('sdv_record_status')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
for (let i = 0; i < Number(values.runs); i++) {
	const definition = JSON.parse(active.definition) as Record<string, unknown>;
	definition.version = `sdv-${Date.now()}-${i}`;
	definition.monitoring = {
		sdv: {
			mode: 'risk-based',
			required: ['dosing_session', 'adverse_event:serious', 'scale_administration:MADRS'],
			samplePercent: i % 2 === 0 ? 10 : 20
		}
	};
	const { protocolVersionId } = await loadProtocol(admin, definition);
	const profiler = values['cpu-profile'] && i === 0 ? new Session() : null;
	if (profiler) {
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.start');
	}
	holds = [];
	const c = process.cpuUsage();
	const t = performance.now();
	await activateProtocolVersion(admin, protocolVersionId, { reason: 'bench: SDV settings' });
	const wall = performance.now() - t;
	const cpu = process.cpuUsage(c);
	const held = holds;
	holds = null;
	if (profiler) {
		const { profile } = await profiler.post('Profiler.stop');
		writeFileSync(values['cpu-profile']!, JSON.stringify(profile));
		profiler.disconnect();
	}
	console.log(
		`activation ${i + 1}: wall ${(wall / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms,` +
			` SDV rows after ${(await counts()).n}`
	);
	const sum = (list: typeof held, k: 'wall' | 'cpu') => list.reduce((a, h) => a + h[k], 0);
	const max = (list: typeof held, k: 'wall' | 'cpu') => Math.max(0, ...list.map((h) => h[k]));
	const [own, ...after] = held;
	console.log(
		`  writer held: ${held.length} transactions, wall ${sum(held, 'wall').toFixed(0)} ms, CPU ${sum(held, 'cpu').toFixed(0)} ms;` +
			` the activation's own: wall ${own!.wall.toFixed(1)} ms, CPU ${own!.cpu.toFixed(1)} ms;` +
			` after commit: ${after.length}, CPU ${sum(after, 'cpu').toFixed(0)} ms, longest ${max(after, 'cpu').toFixed(1)} ms CPU` +
			` (${max(after, 'wall').toFixed(1)} ms wall)`
	);
}
await opened.db.destroy();
