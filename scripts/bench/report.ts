// The bench result as a Markdown table, each figure beside its target.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const mark = (ok: boolean) => (ok ? 'met' : '**not met**');

type Row = [measure: string, result: string, target: string, met: boolean];

/** What a download under the mixed load did: its size and time, or that it did not finish. */
const downloaded = (d: Json) =>
	d.failed
		? `did not finish: ${d.failed} after ${d.seconds.toFixed(1)} s`
		: `${(d.bytes / 1048576).toFixed(1)} MB in ${d.seconds.toFixed(1)} s`;

/**
 * An export's growth under the mixed load is counted from the server's memory when it started,
 * after the writers' and viewers' warm-up (runs before the warm-up counted from the server idle).
 */
const atStart = (m: Json) =>
	m.memory ? ` over the server's ${m.memory.warmMb} MB at its start` : ' over the server idle';

/**
 * The ODM export's and the bundle's own memory together, measured inside the server (the bench's
 * loop probe): their export workers' heaps and the chunks they moved to the request thread that it
 * had not yet freed (its external memory), each at its peak growth from the exports' start and at
 * the peak of their sum. The rest of the whole server's growth is the viewers' and writers'.
 */
const exportsOwn = (e: Json) =>
	`${e.both} MB at its peak, ODM and bundle together (export workers' heaps +${e.workers} MB, ` +
	`their chunks on the request thread +${e.requestExternal} MB, each at its own peak)`;

/** Reported beside the targets, with none of its own. */
const NO_TARGET = 'none (reported)';

/** A dash when the run did not measure it (PostgreSQL measures the writes and the server only). */
const when = (present: unknown, row: () => Row, name: string, target: string): Row =>
	present ? row() : [name, '—', target, true];

/** One run's rows: SQLite's (everything), or PostgreSQL's (the write rate and the server phase). */
function rowsOf(r: Json): Row[] {
	const m = r.mixed;
	const p = r.inProcess ?? {};
	const rows: Row[] = [
		[
			'save → board event p95 (mixed load)',
			`${m.boardEvent.p95} ms (p50 ${m.boardEvent.p50}, n ${m.boardEvent.n})`,
			'≤ 250 ms',
			m.boardEvent.p95 <= 250
		],
		[
			'save p99 (mixed load)',
			`${m.save.p99} ms (p50 ${m.save.p50}, n ${m.save.n}, errors ${m.save.errors}${m.save.resent ? `, resent ${m.save.resent}` : ''})`,
			'≤ 100 ms',
			m.save.p99 <= 100
		],
		[
			'event-loop delay p99 (mixed load)',
			`${m.loopDelay.p99} ms (max ${m.loopDelay.max})`,
			'≤ 50 ms',
			m.loopDelay.p99 <= 50
		],
		when(
			p.write,
			(): Row => [
				'reading via service ÷ raw insert',
				`${p.write.ratio} (${p.write.measured} vs ${p.write.baseline} /s${
					p.write.cpu
						? `; CPU ${p.write.cpu.ratio}: ${p.write.cpu.measured} vs ${p.write.cpu.baseline} µs`
						: ''
				})`,
				'≥ 0.5',
				p.write.ratio >= 0.5
			],
			'reading via service ÷ raw insert',
			'≥ 0.5'
		),
		when(
			p.batch,
			(): Row => [
				'batch 500 ÷ batch 10, per reading',
				`${p.batch.ratio} (${p.batch.measured} vs ${p.batch.baseline} ms)`,
				'≤ 1.5',
				p.batch.ratio <= 1.5
			],
			'batch 500 ÷ batch 10, per reading',
			'≤ 1.5'
		),
		when(
			p.vs,
			(): Row => [
				'VS CSV ÷ raw scan',
				`${p.vs.ratio} (${p.vs.measured} vs ${p.vs.baseline} rows/s` +
					(p.vs.cpu
						? `; CPU ${p.vs.cpu.ratio}: ${p.vs.cpu.measured} vs ${p.vs.cpu.baseline} ms; median of ${p.vs.runs})`
						: ')'),
				'≥ 0.5',
				p.vs.ratio >= 0.5
			],
			'VS CSV ÷ raw scan',
			'≥ 0.5'
		),
		when(
			p.odm,
			(): Row => [
				'ODM ÷ raw scan',
				`${p.odm.ratio} (${p.odm.measured} vs ${p.odm.baseline} rows/s)`,
				'≥ 0.25',
				p.odm.ratio >= 0.25
			],
			'ODM ÷ raw scan',
			'≥ 0.25'
		),
		p.verify?.skipped
			? ['audit verify ÷ plain recomputation', `not measured (${p.verify.skipped})`, '≥ 0.8', false]
			: when(
					p.verify,
					(): Row => [
						'audit verify ÷ plain recomputation',
						`${p.verify.ratio} (${p.verify.measured} vs ${p.verify.baseline} rows/s, ok ${p.verify.ok}` +
							(p.verify.cpu
								? `; CPU ${p.verify.cpu.ratio}: ${p.verify.cpu.measured} vs ${p.verify.cpu.baseline} s)`
								: ')'),
						'≥ 0.8',
						p.verify.ratio >= 0.8
					],
					'audit verify ÷ plain recomputation',
					'≥ 0.8'
				),
		when(
			p.odm?.rssGrowthMb !== undefined ? p.odm : undefined,
			(): Row => [
				'memory growth, ODM export (alone)',
				`${p.odm.rssGrowthMb} MB (first ${p.odm.seconds} s, ${Math.round(p.odm.bytes / 1048576)} MB)`,
				'≤ 64 MB',
				p.odm.rssGrowthMb <= 64
			],
			'memory growth, ODM export (alone)',
			'≤ 64 MB'
		),
		[
			'memory growth, ODM export (mixed load; whole server)',
			`${m.odm.rssGrowthMb.toFixed(1)} MB${atStart(m)} (${downloaded(m.odm)})`,
			'≤ 64 MB',
			!m.odm.failed && m.odm.rssGrowthMb <= 64
		],
		[
			'memory growth, auditor bundle (mixed load; whole server)',
			`${m.bundle.rssGrowthMb.toFixed(1)} MB${atStart(m)} (${downloaded(m.bundle)})`,
			'≤ 64 MB',
			!m.bundle.failed && m.bundle.rssGrowthMb <= 64
		],
		when(
			m.loopDelay?.exportMemoryMb,
			(): Row => [
				"memory growth, the exports' own (mixed load)",
				exportsOwn(m.loopDelay.exportMemoryMb),
				'≤ 64 MB',
				m.loopDelay.exportMemoryMb.both <= 64
			],
			"memory growth, the exports' own (mixed load)",
			'≤ 64 MB'
		),
		when(
			m.memory,
			(): Row => [
				'memory growth, whole server (mixed load)',
				`${m.memory.growthMb} MB (${m.memory.idleMb} MB before it, ${m.memory.warmMb} MB after ` +
					`the ${m.warmupSeconds} s warm-up, peak ${m.memory.peakMb} MB)`,
				NO_TARGET,
				true
			],
			'memory growth, whole server (mixed load)',
			NO_TARGET
		)
	];
	for (const [name, v] of Object.entries((r.pagesC10 ?? {}) as Json)) {
		rows.push([
			`${name} p99 at c = 10`,
			`${v.p99} ms (p50 ${v.p50}, ${Math.round(v.bytes / 1024)} KB, ${v.status})`,
			'≤ 200 ms',
			v.p99 <= 200
		]);
	}
	for (const [name, v] of Object.entries((r.js ?? {}) as Json)) {
		const limit = /chart/.test(name) ? 130 : 60;
		rows.push([
			`first-load JS, ${name}`,
			`${v.kb} KB gzip (${v.files} files)`,
			`≤ ${limit} KB`,
			v.kb <= limit
		]);
	}
	return rows;
}

/** The loop probe's collections by kind: how many, their pauses summed, the longest. */
function gcLine(gc: Json): string {
	const kinds = Object.entries(gc as Record<string, { count: number; ms: number; maxMs: number }>);
	if (kinds.length === 0) return 'none';
	return kinds
		.map(([kind, k]) => `${k.count} ${kind}, ${k.ms} ms (longest ${k.maxMs} ms)`)
		.join('; ');
}

/** Each thread's CPU seconds over the mixed load: the request thread, the busy others, the rest. */
function threadsLine(t: Json): string {
	const workers = (t.workers as Json[])
		.map((w) => `${w.cpuSeconds} s${w.nice ? ` (nice ${w.nice})` : ''}`)
		.join(', ');
	return `request thread ${t.main.cpuSeconds} s of ${t.seconds} s; each other thread over 1 s (the read workers, at their own nice values, and V8's helpers) ${workers}; the rest ${t.otherCpuSeconds} s`;
}

export function markdown(r: Json): string {
	const m = r.mixed;
	const rows = rowsOf(r);
	const pg = r.postgres ? rowsOf({ ...r.postgres, inProcess: { write: r.postgres.write } }) : null;
	const table = pg
		? [
				'| measure | SQLite | | PostgreSQL | | target |',
				'| --- | --- | --- | --- | --- | --- |',
				...rows.map(([a, b, c, ok], i) => {
					const [, pb, , pok] = pg[i] ?? ['', '—', '', true];
					const shown = (x: string, met: boolean) =>
						x === '—' ? 'not measured' : c === NO_TARGET ? '' : mark(met);
					return `| ${a} | ${b} | ${shown(b, ok)} | ${pb} | ${shown(pb, pok)} | ${c} |`;
				})
			]
		: [
				'| measure | result | target | |',
				'| --- | --- | --- | --- |',
				...rows.map(
					([a, b, c, ok]) =>
						`| ${a} | ${b} | ${c} | ${b === '—' ? 'not measured' : c === NO_TARGET ? '' : mark(ok)} |`
				)
			];
	const views = Object.entries(m.views as Json)
		.map(([k, v]) => `${k} p50 ${v.p50} / p99 ${v.p99} ms (n ${v.n})`)
		.join('; ');
	return [
		`### Tier \`${r.tier}\` — ${r.startedAt}`,
		'',
		`Machine: ${r.machine.cpus}, ${r.machine.memoryGb} GB, Node ${r.machine.node}; load average at the end ${r.machine.loadAverageAtEnd.join(' / ')}.`,
		(r.build.reusedFrom
			? `Not built in this run: a copy of the trial at ${r.build.reusedFrom}, copied in ${r.build.totalSeconds} s: `
			: `Built in ${r.build.totalSeconds} s (templates ${r.build.seconds.templates.toFixed(0)} s, copies ${r.build.seconds.copies.toFixed(0)} s, indexes ${(r.build.seconds.indexes ?? 0).toFixed(0)} s, summaries ${(r.build.seconds.summaries ?? 0).toFixed(0)} s): `) +
			Object.entries(r.build.rows as Json)
				.map(([k, v]) => `${v} ${k}`)
				.join(', ') +
			'.',
		'',
		...table,
		'',
		`Viewers during the mixed load${pg ? ' (SQLite)' : ''}: ${views}.`,
		...(m.threadsTimed
			? [
					'',
					`Server CPU while writers and viewers ran${pg ? ' (SQLite)' : ''}: ${threadsLine(m.threadsTimed)}.`
				]
			: []),
		...(m.threads
			? [
					'',
					`Server CPU during the mixed load${pg ? ' (SQLite)' : ''}, to the downloads' end: ${threadsLine(m.threads)}.`
				]
			: []),
		...(m.loopDelay?.gc
			? [
					'',
					`Request thread's garbage collections over the same time${pg ? ' (SQLite)' : ''} (pauses in wall time): ${gcLine(m.loopDelay.gc)}.`
				]
			: []),
		''
	].join('\n');
}
