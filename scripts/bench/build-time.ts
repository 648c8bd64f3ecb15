// `npx tsx scripts/bench/build-time.ts [--tier site] [--file F]`: builds a synthetic trial at the
// tier (the bench's builder) into a new file and prints how long each phase took, in wall time and
// in CPU time of this process and its threads (and of its main thread alone: the build's
// critical path when a worker runs beside it), with the machine's load average.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTrial, TIERS, type Tier } from './build-trial';

const { values } = parseArgs({
	options: { tier: { type: 'string', default: 'site' }, file: { type: 'string' } }
});
const tier = TIERS[values.tier as Tier['name']];
if (!tier) throw new Error(`--tier must be one of: ${Object.keys(TIERS).join(', ')}`);
const file = values.file ?? join(mkdtempSync(join(tmpdir(), 'vigil-build-')), 'vigil.db');
if (existsSync(file)) throw new Error(`${file} exists: give a new file`);
/** CPU seconds of this process's main thread alone (Linux /proc; 0 elsewhere). */
const mainThreadCpu = () => {
	try {
		const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
};
const load = () =>
	loadavg()
		.map((l) => l.toFixed(2))
		.join(' / ');
console.log(`building tier ${tier.name} into ${file}; load ${load()}`);
const t = performance.now();
const cpu = process.cpuUsage();
let phaseT = t;
let phaseCpu = process.cpuUsage();
let phaseMain = mainThreadCpu();
const main0 = phaseMain;
const report = await buildTrial(
	file,
	tier,
	`build-${Math.random().toString(36).slice(2)}-Pass!`,
	(line) => {
		const now = performance.now();
		const used = process.cpuUsage(phaseCpu);
		console.log(
			`${line}   [+${((now - phaseT) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ${(mainThreadCpu() - phaseMain).toFixed(1)} s of it the main thread's]`
		);
		phaseT = now;
		phaseCpu = process.cpuUsage();
		phaseMain = mainThreadCpu();
	}
);
const used = process.cpuUsage(cpu);
console.log(
	`built in ${((performance.now() - t) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU (main thread ${(mainThreadCpu() - main0).toFixed(1)} s); load ${load()}`
);
console.log(JSON.stringify(report));
