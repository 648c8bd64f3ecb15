// Heavy reads run on read workers beside the writer: an export that streams holds neither the
// request thread nor the writer, and every export (each file of a bundle alike) is one snapshot.
// On PostgreSQL (VIGIL_TEST_DB=postgres) the same, with the reads on their own read-only pool.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { dryRunProtocol } from '../../src/lib/server/services/protocol/protocol-versions';
import { workerReads } from '../../src/lib/server/reads/pool';
import { postgresReads } from '../../src/lib/server/reads/postgres';
import { onPostgres } from '../helpers/database';
import type { ReadExecutor } from '../../src/lib/server/reads/executor';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { exploreAuditTrail, verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import {
	exportDefineXml,
	exportDomainCsv,
	exportOdm
} from '../../src/lib/server/services/audit/exports';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { onFlagChange } from '../../src/lib/server/services/safety/flag-events';
import { auditFixture, type AuditFixture } from '../helpers/audit-fixture';
import { readEntries, saveStream } from '../helpers/bundle-files';
import { cohortParticipant } from '../helpers/cohort';
import { actorFor, enrolledParticipant } from '../helpers/db';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { participantTimeline } from '../../src/lib/server/services/dashboards/participant-timeline';
import { siteOverview } from '../../src/lib/server/services/dashboards/site-overview';
import { boardView } from '../../src/lib/server/services/safety/flag-board';
import { listFlagsPage } from '../../src/lib/server/services/safety/flags';
import { reviewQueue, reviewQueueView } from '../../src/lib/server/services/safety/review-queue';
import {
	cohortPage,
	safetySignalsPage
} from '../../src/lib/server/services/dashboards/dashboard-views';
import { viewsMade } from '../../src/lib/server/services/dashboards/view-cache';
import { noCriteria } from '../helpers/fixtures';

const noFilter = { site: null, participant: null, level: null, unacknowledged: false };

let dir: string;
let f: AuditFixture;
let reads: ReadExecutor;
let auditor: ServiceContext;
/** Participants enough that the exports span many chunks (of this size, smaller than a server's). */
const EXTRA_PARTICIPANTS = 40;
const CHUNK_BYTES = 64 * 1024;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-reads-'));
	f = await auditFixture(onPostgres ? undefined : join(dir, 'vigil.db'));
	for (let i = 0; i < EXTRA_PARTICIPANTS; i++) await enrolledParticipant(f, 'B1', '2026-10-01');
	reads =
		f.opened.kind === 'postgres'
			? postgresReads(f.opened, 2, CHUNK_BYTES)
			: workerReads(join(dir, 'vigil.db'), { workers: 2, chunkBytes: CHUNK_BYTES });
	auditor = { ...(await actorFor(f, 'admin', [], f.system.now)), reads };
}, 60_000);

afterAll(async () => {
	await reads.close();
	await f.db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

/** A thread's nice value (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
function niceOf(tid: number): number {
	const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** The nice value of every thread of this process. */
function threadNices(): number[] {
	return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) => {
		try {
			return [niceOf(Number(tid))];
		} catch {
			return []; // the thread ended
		}
	});
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

/** A new dosing session at B1 and a reading in it that raises an action-level flag. */
async function breachAtB1(systolic: number) {
	const c = f.coordinatorB;
	const p = await enrolledParticipant(f, 'B1', '2026-10-01');
	const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-21T10:00',
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	const boardEvent = new Promise<number>((resolve) => {
		const stop = onFlagChange((siteId) => {
			stop();
			resolve(siteId);
		});
	});
	const reading = await recordVitals(c, s.id, {
		timepoint: 60,
		takenAt: '11:00',
		systolic,
		diastolic: 90
	});
	return { subjectCode: p.subjectCode, reading, boardSite: await boardEvent };
}

describe('read workers', () => {
	it('while an ODM export streams, a vitals save and its board event complete, and the file is the snapshot it began with', async () => {
		const file = await exportOdm(auditor, {});
		const reader = file.stream.getReader();
		const first = await reader.read();
		expect(first.done).toBe(false);

		// The export holds an open read transaction in a worker and is not finished.
		const breach = await breachAtB1(181);
		expect(breach.boardSite).toBe(f.siteB);

		const rest: Uint8Array[] = [first.value!];
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			rest.push(next.value);
		}
		expect(rest.length).toBeGreaterThan(1);
		const xml = Buffer.concat(rest).toString('utf8');
		expect(xml).toContain('</ODM>');
		expect(xml).toContain(f.pA.subjectCode);
		// The participant enrolled mid-export is wholly out.
		expect(xml).not.toContain(breach.subjectCode);

		// A new export sees it.
		const after = await text((await exportOdm(auditor, {})).stream);
		expect(after).toContain(breach.subjectCode);
	});

	it('an SDTM export matches the same export read in-process', async () => {
		const inWorker = await text((await exportDomainCsv(auditor, 'VS', {})).stream);
		const inProcess = await text(
			(await exportDomainCsv({ ...auditor, reads: undefined }, 'VS', {})).stream
		);
		expect(inWorker).toBe(inProcess);
		expect(inWorker.split('\r\n').length).toBeGreaterThan(5);
	});

	// The worker's message path (SQLite). On PostgreSQL the job is a generator on the request
	// thread pulled by the stream itself (nothing runs ahead of a read by construction: the unit
	// test of pullStream shows it), and what is ready at once is the rest of a fetched page.
	it.skipIf(onPostgres)(
		'a slow reader holds the job back: no more than the chunk it asked for and one ahead wait for it',
		async () => {
			const reader = (await exportOdm(auditor, {})).stream.getReader();
			const immediately = () => new Promise<'none'>((r) => setImmediate(() => r('none')));
			// The job has started (its worker is up) once the first chunk is in.
			expect((await reader.read()).done).toBe(false);
			let pending = reader.read();
			let chunks = 1;
			let mostWaiting = 0;
			let done = false;
			for (let round = 0; round < 30 && !done; round++) {
				// The reader goes away for a while (the worker could make many chunks meanwhile), then
				// takes whatever is there without waiting.
				await new Promise((r) => setTimeout(r, 200));
				let waiting = 0;
				for (;;) {
					const now = await Promise.race([pending, immediately()]);
					if (now === 'none') break;
					if (now.done) {
						done = true;
						break;
					}
					waiting += 1;
					chunks += 1;
					pending = reader.read();
				}
				mostWaiting = Math.max(mostWaiting, waiting);
			}
			if (!done) await reader.cancel();
			expect(chunks).toBeGreaterThan(4);
			// The chunk its read asked for and the one asked ahead; a fast worker may also have
			// answered the next request within the same turn. Never the rest of the file.
			expect(mostWaiting).toBeLessThanOrEqual(3);
		},
		60_000
	);

	it('a reader that goes away mid-export ends the job, and the workers go on serving', async () => {
		for (let i = 0; i < 4; i++) {
			const reader = (await exportOdm(auditor, {})).stream.getReader();
			expect((await reader.read()).done).toBe(false);
			await reader.cancel();
		}
		const inWorker = await text((await exportDomainCsv(auditor, 'VS', {})).stream);
		const inProcess = await text(
			(await exportDomainCsv({ ...auditor, reads: undefined }, 'VS', {})).stream
		);
		expect(inWorker).toBe(inProcess);
	});

	it('every file of an auditor bundle is the one snapshot, even when a save lands mid-bundle', async () => {
		const key = ephemeralSigningKey();
		const bundle = await createAuditorBundle(auditor, {}, { key, pageSize: 5 });
		const reader = bundle.stream.getReader();
		const chunks: Uint8Array[] = [];
		const first = await reader.read();
		chunks.push(first.value!);
		const breach = await breachAtB1(182);
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			chunks.push(next.value);
		}
		const file = join(dir, 'bundle.tar.gz');
		await saveStream(new Response(Buffer.concat(chunks)).body!, file);
		const entries = await readEntries(file);
		const names = entries.map((e) => e.name);
		expect(names).toEqual(expect.arrayContaining(['dm.csv', 'vs.csv', 'flags.csv', 'odm.xml']));
		for (const e of entries) {
			expect(e.content.toString('utf8'), e.name).not.toContain(breach.subjectCode);
		}
	});

	it('define.xml sends what no row decides first, then the rest, the same document as in-process', async () => {
		const reader = (await exportDefineXml(auditor, {})).stream.getReader();
		const decoder = new TextDecoder();
		const first = decoder.decode((await reader.read()).value);
		// The opening and the groups that need no row, flushed before the measuring starts.
		expect(first).toMatch(/^<\?xml /);
		expect(first).toContain('<ItemGroupDef OID="IG.QS"');
		expect(first).not.toContain('IG.SUPP');
		expect(first).not.toContain('<ItemDef ');
		let xml = first;
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			xml += decoder.decode(next.value);
		}
		const inProcess = await text(
			(await exportDefineXml({ ...auditor, reads: undefined }, {})).stream
		);
		// The file names its making's time; the rest is the same.
		const stamp = (x: string) => x.replace(/FileOID="[^"]*"|CreationDateTime="[^"]*"/g, '');
		expect(stamp(xml)).toBe(stamp(inProcess));
		expect(xml).toContain('</ODM>');
	});

	it('the auditor bundle arrives file by file: what came first is whole files of the archive', async () => {
		const key = ephemeralSigningKey();
		const reader = (
			await createAuditorBundle(auditor, {}, { key, pageSize: 5 })
		).stream.getReader();
		const first = (await reader.read()).value!;
		// A prefix of the archive that gunzips on its own, starting with the first file's header.
		const tar = gunzipSync(first);
		expect(tar.length % 512).toBe(0);
		expect(tar.subarray(0, 6).toString()).toBe('tv.csv');
		let chunks = 1;
		while (!(await reader.read()).done) chunks += 1;
		expect(chunks).toBeGreaterThan(5);
	});

	it('audit verification recomputes the chain in a worker and finds it whole', async () => {
		const report = await verifyAuditChain(auditor, { key: null });
		expect(report.ok).toBe(true);
		const inProcess = await verifyAuditChain({ ...auditor, reads: undefined }, { key: null });
		expect(report.rows).toBe(inProcess.rows);
		expect(report.head).toEqual(inProcess.head);
	});

	it('audit verification holds the records against their trail in a read job too, and finds a direct edit', async () => {
		const jobs: string[] = [];
		const watched: ReadExecutor = {
			...reads,
			value: (job, args) => (jobs.push(job), reads.value(job, args))
		};
		const { reading } = await breachAtB1(183);
		const edit = (systolic: number) =>
			f.db.updateTable('vital_reading').set({ systolic }).where('id', '=', reading.id).execute();
		await edit(97);
		try {
			const report = await verifyAuditChain({ ...auditor, reads: watched }, { key: null });
			// Both whole-table reads ran as read jobs, none on the request thread's handle.
			expect([...new Set(jobs)].sort()).toEqual(['auditChainPart', 'dataVsTrail']);
			expect(report.ok).toBe(false);
			expect(report.problem?.kind).toBe('data');
			expect(report.data).toEqual([
				expect.objectContaining({
					table: 'vital_reading',
					id: String(reading.id),
					field: 'systolic',
					trail: 183,
					data: 97
				})
			]);
		} finally {
			await edit(183);
		}
		expect((await verifyAuditChain(auditor, { key: null })).ok).toBe(true);
	});

	it('a protocol dry run reads and evaluates in a worker, with the same result as in-process', async () => {
		const candidate = structuredClone(DEMO_PROTOCOL_JSON) as typeof DEMO_PROTOCOL_JSON & {
			version: string;
		};
		candidate.version = '9.9';
		const admin = { ...auditor, now: () => new Date('2026-11-22T12:00:00Z') };
		const inWorker = await dryRunProtocol(admin, f.studyId, candidate, { days: 30 });
		const inProcess = await dryRunProtocol({ ...admin, reads: undefined }, f.studyId, candidate, {
			days: 30
		});
		expect(inWorker).toEqual(inProcess);
		expect(inWorker.data.readings).toBeGreaterThan(0);
	});

	it('each page view reads in one read job: board, review queue, site overview, timeline, cohort and safety signals as in-process, their checks before the job', async () => {
		const now = () => new Date('2026-11-22T12:00:00Z');
		const investigator = { ...(await actorFor(f, 'investigator', ['A1'], now)), reads };
		const inProcess = { ...investigator, reads: undefined };
		let jobs: string[] = [];
		const counted: ReadExecutor = {
			...reads,
			value: (job, args) => {
				jobs.push(job);
				return reads.value(job, args);
			}
		};
		const views: Array<[string, (c: ServiceContext) => Promise<unknown>]> = [
			['boardView', (c) => boardView(c, { ...noFilter, closedShown: 20 })],
			['reviewQueueView', (c) => reviewQueueView(c, { order: 'oldest' })],
			['reviewQueue', (c) => reviewQueue(c, { pageSize: 2 })],
			['siteOverview', (c) => siteOverview(c, 'A1')],
			['participantTimeline', (c) => participantTimeline(c, f.pA.id)],
			['cohortPage', (c) => cohortPage(c, { lines: true })],
			['cohortPage', (c) => cohortPage(c, { siteCode: 'a1' })],
			['safetySignalsPage', (c) => safetySignalsPage(c, {})],
			['safetySignalsPage', (c) => safetySignalsPage(c, { siteCode: 'A1' })],
			['flagsPage', (c) => listFlagsPage(c, { open: true, limit: 10 })],
			['flagsPage', (c) => listFlagsPage(c, { open: false, siteId: f.siteA, limit: 1 })]
		];
		for (const [job, view] of views) {
			jobs = [];
			const inWorker = await view({ ...investigator, reads: counted });
			expect(jobs).toEqual([job]);
			expect(inWorker).toEqual(await view(inProcess));
		}
		// The board and the timeline show what the fixture left: a flag, the participant's sessions.
		const board = (await boardView(investigator, { ...noFilter, closedShown: 20 })).board;
		expect(board.flags.length + board.counts.cards).toBeGreaterThan(0);
		const timeline = await participantTimeline(investigator, f.pA.id);
		expect(timeline.sessions.length).toBeGreaterThan(0);
		// The audit trail explorer's page: one job, as in-process, with its participant filter.
		for (const query of [{ limit: 25 }, { participant: f.pA.subjectCode, limit: 5 }]) {
			jobs = [];
			const page = await exploreAuditTrail({ ...auditor, reads: counted }, query);
			expect(jobs).toEqual(['auditTrailPage']);
			expect(page).toEqual(await exploreAuditTrail({ ...auditor, reads: undefined }, query));
			expect(page.events.length).toBe(query.limit);
			expect(page.sites.map((s) => s.code)).toEqual(['A1', 'B1']);
		}
		// The cohort and safety signals count the fixture's study at the reader's site.
		const cohort = await cohortPage(investigator, {});
		expect(cohort.view?.context.options.sites.map((s) => s.code)).toEqual(['A1']);
		expect(cohort.relapse).not.toBeNull();
		expect((await safetySignalsPage(investigator, {}))?.dosed.participants).toBeGreaterThan(0);

		// Access is checked before any job starts: another site's records start none.
		const other = { ...(await actorFor(f, 'investigator', ['B1'], now)), reads: counted };
		jobs = [];
		await expect(siteOverview(other, 'A1')).rejects.toBeInstanceOf(NotFoundError);
		await expect(participantTimeline(other, f.pA.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(reviewQueue(other, { siteId: f.siteA })).rejects.toBeInstanceOf(NotFoundError);
		await expect(listFlagsPage(other, { siteId: f.siteA, limit: 10 })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(listFlagsPage(other, { cursor: 'spoilt', limit: 10 })).rejects.toBeInstanceOf(
			ValidationError
		);
		await expect(cohortPage(other, { siteCode: 'A1' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(safetySignalsPage(other, { siteCode: 'Z9' })).rejects.toBeInstanceOf(
			NotFoundError
		);
		const coordinator = { ...(await actorFor(f, 'coordinator', ['A1'], now)), reads: counted };
		await expect(exploreAuditTrail(coordinator, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			exploreAuditTrail({ ...auditor, reads: counted }, { from: 'spoilt' })
		).rejects.toBeInstanceOf(ValidationError);
		await expect(cohortPage(coordinator, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(safetySignalsPage(coordinator, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			boardView(other, { ...noFilter, after: 'spoilt', closedShown: 20 })
		).rejects.toBeInstanceOf(ValidationError);
		expect(jobs).toEqual([]);
	});

	it('a cohort view read in a worker is made once while the data stay, and a save through the writer shows in the next view', async () => {
		const now = () => new Date('2026-12-01T12:00:00Z');
		const investigator = { ...(await actorFor(f, 'investigator', ['A1'], now)), reads };
		const made = viewsMade(investigator);
		const before = await cohortPage(investigator, { doseGroup: '120 mg' });
		expect(await cohortPage(investigator, { doseGroup: '120 mg' })).toBe(before);
		expect(viewsMade(investigator)).toBe(made + 1);
		await cohortParticipant(f, 'A1', { BL: 30, FU1M: 15 }, { now });
		const after = await cohortPage(investigator, { doseGroup: '120 mg' });
		expect(viewsMade(investigator)).toBe(made + 2);
		expect(after.view!.participants).toBe(before.view!.participants + 1);
	});

	// SQLite only: the worker opens the SQLite file itself (on PostgreSQL the pool is a client's).
	it.skipIf(onPostgres)(
		'an export worker that outgrows its heap limit fails that export with an error, and the workers go on serving',
		async () => {
			// Far too small a heap for any export: the worker is stopped by Node, not the process.
			const small = workerReads(join(dir, 'vigil.db'), {
				workers: 1,
				exportLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 }
			});
			try {
				const ctx = { ...auditor, reads: small };
				await expect(text((await exportDomainCsv(ctx, 'VS', {})).stream)).rejects.toThrow();
				// Queries run on the other workers, which have no such limit.
				const sites = await small.db.selectFrom('site').select('code').execute();
				expect(sites.length).toBeGreaterThan(0);
			} finally {
				await small.close();
			}
			// Under the limits every server uses (EXPORT_WORKER_LIMITS) the same export completes.
			const inWorker = await text((await exportDomainCsv(auditor, 'VS', {})).stream);
			expect(inWorker.split('\r\n').length).toBeGreaterThan(5);
		}
	);

	// Values the suite's own pool (WORKER_NICE: +5, +15, up to 19) does not take, so this pool's
	// threads are told apart (a runner already at nice 13 or more could not show it).
	it.skipIf(onPostgres || process.platform !== 'linux' || getPriority(0) > 12)(
		'read workers run below the request thread: queries a little, exports well below, the request thread untouched',
		async () => {
			const ownNice = () => niceOf(process.pid);
			const before = ownNice();
			const file = join(dir, 'vigil.db');
			const ranked = workerReads(file, {
				workers: 1,
				exportWorkers: 1,
				nice: { reads: 2, exports: 7 }
			});
			try {
				// The first read starts every worker; each sets its own thread's value as it starts.
				await ranked.db.selectFrom('site').select('id').execute();
				const want = [before + 2, before + 7];
				const count = (n: number) => threadNices().filter((v) => v === n).length;
				for (let i = 0; i < 100 && !want.every((n) => count(n) === 1); i++) {
					await new Promise((r) => setTimeout(r, 50));
				}
				expect(want.map(count)).toEqual([1, 1]);
				// The request thread kept its value.
				expect(ownNice()).toBe(before);
			} finally {
				await ranked.close();
			}
		}
	);

	// The read workers' answers (SQLite). On PostgreSQL page reads run on the request thread over
	// the asynchronous driver, with no worker pool and no answers to hand back.
	it.skipIf(onPostgres)(
		'page reads answered together are handed back one per turn of the event loop, so a save waits behind one render at most',
		async () => {
			await boardView(auditor, { ...noFilter, closedShown: 5 }); // the workers started
			let turn = 0;
			let counting = true;
			const count = () => {
				turn++;
				if (counting) setImmediate(count);
			};
			setImmediate(count);
			const views = Array.from({ length: 6 }, () =>
				boardView(auditor, { ...noFilter, closedShown: 5 }).then(() => turn)
			);
			// The request thread busy while the workers answer: every answer is waiting when it frees.
			const until = Date.now() + 1_500;
			while (Date.now() < until);
			const turns = await Promise.all(views);
			counting = false;
			expect(new Set(turns).size).toBe(turns.length);
		}
	);

	// SQLite: a read worker keeps the board's reads that need no clock while nothing has been
	// committed (reads/kept.ts); each view works out the flags' ages at its own instant. One worker
	// read one after another reuses one connection, so a reader's second view is from kept rows:
	// what follows proves they are never stale nor another reader's.
	it.skipIf(onPostgres)(
		'a board view read from kept rows shows the ages at its own instant, and a save that raises a flag is on the next view',
		async () => {
			const one = workerReads(join(dir, 'vigil.db'), { workers: 1 });
			try {
				let clock = Date.parse('2026-11-22T12:00:00Z');
				const now = () => new Date(clock);
				const inv = { ...(await actorFor(f, 'investigator', ['A1'], now)), reads: one };
				// Made first: making a user is a commit, after which nothing kept would be given.
				const b1 = { ...(await actorFor(f, 'investigator', ['B1'], now)), reads: one };
				const query = { ...noFilter, closedShown: 20 };
				const first = await boardView(inv, query);
				const ages = (v: typeof first) => [...v.board.flags, ...v.closed].map((x) => x.ageMinutes);
				expect(first.closed.length).toBeGreaterThan(0);
				// Ten minutes on, nothing saved: the same flags, each ten minutes older.
				clock += 10 * 60_000;
				const later = await boardView(inv, query);
				expect(ages(later)).toEqual(ages(first).map((a) => a + 10));
				expect(later).toEqual(await boardView({ ...inv, reads: undefined }, query));
				// Another site's reader, on the same connection, sees none of A1's flags.
				const theirs = await boardView(b1, query);
				expect([...theirs.board.flags, ...theirs.closed].map((x) => x.siteCode)).not.toContain(
					'A1'
				);
				expect(theirs).toEqual(await boardView({ ...b1, reads: undefined }, query));
				// An AE of special interest at A1 raises a flag: the next view has it.
				await recordAdverseEvent(f.coordinatorA, f.pA.id, {
					verbatimTerm: 'hypertension',
					codedTermCode: 'VIG-0111',
					onsetAt: '2026-11-21T09:30',
					awareAt: '2026-11-21T10:00',
					severity: '2',
					criteria: noCriteria,
					relatedness: 'possible',
					expectedness: 'expected',
					actionTaken: 'dose-not-changed',
					outcome: 'recovering'
				});
				const after = await boardView(inv, query);
				expect(after.board.counts.flags).toBe(later.board.counts.flags + 1);
				expect(after).toEqual(await boardView({ ...inv, reads: undefined }, query));
			} finally {
				await one.close();
			}
		}
	);

	it('the read handle refuses writes', async () => {
		await expect(
			reads.db.updateTable('site').set({ name: 'changed' }).where('id', '=', f.siteA).execute()
		).rejects.toThrow(/readonly|read-only/i);
	});
});
