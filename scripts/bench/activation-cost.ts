// `npx tsx scripts/bench/activation-cost.ts --file COPY/vigil.db [--runs 2] [--cpu-profile F]`:
// what activating a protocol version costs the writer when its SDV settings differ from the
// active one's (the study's SDV summary is rebuilt in the activation's transaction; every save
// waits for it). Each run loads the active definition under a new version number with a sample
// percentage that alternates between 10 and 20 (every record type requirable, so every record of
// the study is read) and activates it; the CPU (this process and its threads) and wall time of
// the activation alone are printed. It writes: run it on a copy of a built trial.
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
const { db } = openDatabase(values.file);
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
	const c = process.cpuUsage();
	const t = performance.now();
	await activateProtocolVersion(admin, protocolVersionId, { reason: 'bench: SDV settings' });
	const wall = performance.now() - t;
	const cpu = process.cpuUsage(c);
	if (profiler) {
		const { profile } = await profiler.post('Profiler.stop');
		writeFileSync(values['cpu-profile']!, JSON.stringify(profile));
		profiler.disconnect();
	}
	console.log(
		`activation ${i + 1}: wall ${(wall / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms,` +
			` SDV rows after ${(await counts()).n}`
	);
}
await db.destroy();
