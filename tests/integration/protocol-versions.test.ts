import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/lib/server/cli/commands';
import { PROTOCOL_COMMANDS } from '../../src/lib/server/cli/protocol-command';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import {
	activateProtocolVersion,
	dryRunProtocol,
	listProtocolVersions,
	validateProtocolText
} from '../../src/lib/server/services/protocol/protocol-versions';
import { activeProtocol, loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import {
	actorFor,
	enrolledParticipant,
	type TestDb,
	runningSession,
	freshDbEach
} from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);
const at = (iso: string) => (clock = Date.parse(iso));

freshDbEach((db) => (t = db));
beforeEach(() => {
	at('2026-11-20T09:31:00Z');
});

/** The demo protocol as version 1.1, with systolic action at ≥ 150 instead of ≥ 160. */
function stricter(): Record<string, unknown> {
	const p = structuredClone(DEMO_PROTOCOL_JSON) as {
		version: string;
		safetyRules: { vitals: { systolic: { high: { action: unknown } } } };
	};
	p.version = '1.1';
	p.safetyRules.vitals.systolic.high.action = { op: '>=', value: 150 };
	return p as unknown as Record<string, unknown>;
}

/** T0 09:00Z (10:00 in Oslo); baseline 122, then 152 at 30 min and 158 at 60 min. */
async function sessionWith152And158() {
	const { coordinator: c, session: s } = await runningSession(t, { now });
	const vitals = { diastolic: 80, heartRate: 72, temperature: 36.8 };
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', systolic: 122, ...vitals });
	await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:30', systolic: 152, ...vitals });
	at('2026-11-20T10:01:00Z');
	await recordVitals(c, s.id, { timepoint: 60, takenAt: '11:00', systolic: 158, ...vitals });
	return { c, s };
}

const flagRows = () =>
	t.db.selectFrom('flag').select(['id', 'rule_id', 'source_id', 'protocol_version_id']).execute();

describe('checking a protocol', () => {
	it('refuses a malformed protocol with messages naming the fields', async () => {
		const bad = stricter();
		delete bad.title;
		(
			bad.safetyRules as { vitals: { systolic: { high: { action: unknown } } } }
		).vitals.systolic.high.action = {
			op: '>=',
			value: 'high'
		};
		const checked = validateProtocolText(JSON.stringify(bad, null, '\t'));
		expect(checked.ok).toBe(false);
		const paths = checked.ok ? [] : checked.errors.map((e) => e.path);
		expect(paths).toContain('title');
		expect(paths).toContain('safetyRules.vitals.systolic.high.action.value');

		const e = await loadProtocol(t.system, bad).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toContain(
			'safetyRules.vitals.systolic.high.action.value'
		);
		expect(await listProtocolVersions(t.system, t.studyId)).toHaveLength(1);
	});

	it('names the line and column of a JSON syntax error', () => {
		const checked = validateProtocolText('{\n\t"studyCode": "X",\n}');
		expect(checked).toEqual({
			ok: false,
			errors: [{ path: '', message: expect.stringMatching(/line 3, column 1/) as string }]
		});
	});
});

describe('loading and dry-running a new version', () => {
	it('a second version is stored inactive; the first stays in force', async () => {
		await loadProtocol(t.system, stricter());
		const versions = await listProtocolVersions(t.system, t.studyId);
		expect(versions.map((v) => [v.version, v.active])).toEqual([
			['1.0', true],
			['1.1', false]
		]);
		expect((await activeProtocol(t.db, t.studyId)).protocol.version).toBe('1.0');
	});

	it('a stricter systolic threshold shows more action flags for the candidate and writes none', async () => {
		await sessionWith152And158();
		const admin = await actorFor(t, 'admin', [], now);
		const before = await flagRows();
		const result = await dryRunProtocol(admin, t.studyId, stricter(), { days: 90 });
		const rule = (id: string) => result.rules.find((r) => r.ruleId === id)!;
		expect(rule('vitals.systolic.high.notify')).toMatchObject({ active: 2, candidate: 0 });
		expect(rule('vitals.systolic.high.action')).toEqual({
			ruleId: 'vitals.systolic.high.action',
			active: 0,
			candidate: 2,
			difference: 2
		});
		expect(result.totals.candidate.action).toBeGreaterThan(result.totals.active.action);
		expect(result.onlyCandidate.examples.map((x) => x.message).join(' ')).toContain('152');
		expect(result.data).toMatchObject({ sessions: 1, readings: 3 });
		expect(await flagRows()).toEqual(before);
		const audit = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'protocol.dry_run')
			.execute();
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0]!.new_values!)).toMatchObject({ candidateVersion: '1.1', days: 90 });
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await expect(dryRunProtocol(c, t.studyId, stricter())).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('judges a finished session at its end, so nothing after it counts as missed', async () => {
		const { c, s } = await sessionWith152And158();
		at('2026-11-20T10:31:00Z');
		await updateDosingSession(c, s.id, { endedAt: '2026-11-20T11:30' });
		at('2026-11-30T12:00:00Z');
		const admin = await actorFor(t, 'admin', [], now);
		const result = await dryRunProtocol(admin, t.studyId, stricter());
		expect(result.rules.find((r) => r.ruleId === 'vitals.missed-reading')).toMatchObject({
			active: 0,
			candidate: 0
		});
		expect(result.data.sessions).toBe(1);
	});
});

describe('scales and adverse events in a dry run', () => {
	it('are judged by the rules of each version', async () => {
		at('2026-11-20T12:00:00Z');
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const items = Object.fromEntries(
			[2, 1, 1, 1, 1, 1, 1, 1, 1, 2].map((x, i) => [String(i + 1), x])
		);
		await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-11-19T14:30',
			items
		});
		await recordAdverseEvent(c, p.id, {
			verbatimTerm: 'felt sick after the dose',
			codedTermCode: 'VIG-0003',
			onsetAt: '2026-11-20T09:30',
			awareAt: '2026-11-20T10:00',
			severity: '2',
			criteria: noCriteria,
			relatedness: 'possible',
			expectedness: 'expected',
			actionTaken: 'dose-not-changed',
			outcome: 'recovering'
		});
		const candidate = stricter() as { safetyRules: { adverseEvents: object } };
		candidate.safetyRules.adverseEvents = {
			...(DEMO_PROTOCOL_JSON as typeof candidate).safetyRules.adverseEvents,
			severity: { enabled: true, grade: { op: '>=', value: 2 }, level: 'action' }
		};
		const admin = await actorFor(t, 'admin', [], now);
		const result = await dryRunProtocol(admin, t.studyId, candidate);
		const rule = (id: string) => result.rules.find((r) => r.ruleId === id);
		expect(rule('scale.MADRS.item10.notify')).toMatchObject({ active: 1, candidate: 1 });
		expect(rule('ae.severity')).toMatchObject({ active: 0, candidate: 1, difference: 1 });
		expect(result.data).toMatchObject({ administrations: 1, adverseEvents: 1 });
	});
});

describe('activating a version', () => {
	it('needs a reason, is audited old → new and takes effect at once; old flags keep their version', async () => {
		const { c, s } = await sessionWith152And158();
		const admin = await actorFor(t, 'admin', [], now);
		const v10 = (await activeProtocol(t.db, t.studyId)).protocolVersionId;
		const { protocolVersionId: v11 } = await loadProtocol(admin, stricter());
		const earlier = await flagRows();
		expect(earlier.length).toBeGreaterThan(0);

		await expect(activateProtocolVersion(admin, v11, { reason: ' ' })).rejects.toBeInstanceOf(
			ValidationError
		);
		await expect(activateProtocolVersion(c, v11, { reason: 'amendment 2' })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(
			activateProtocolVersion(admin, v11, { reason: 'amendment 2', studyId: t.studyId + 1 })
		).rejects.toBeInstanceOf(NotFoundError);
		await activateProtocolVersion(admin, v11, { reason: 'amendment 2', studyId: t.studyId });
		await expect(activateProtocolVersion(admin, v11, { reason: 'again' })).rejects.toBeInstanceOf(
			ConflictError
		);

		const [audit] = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'protocol.activate')
			.where('entity_id', '=', String(v11))
			.execute();
		expect(JSON.parse(audit!.old_values!)).toEqual({ version: '1.0', protocolVersionId: v10 });
		expect(JSON.parse(audit!.new_values!)).toMatchObject({
			version: '1.1',
			protocolVersionId: v11
		});
		expect(audit!.reason).toBe('amendment 2');
		expect((await activeProtocol(t.db, t.studyId)).protocolVersionId).toBe(v11);

		at('2026-11-20T10:31:00Z');
		const r = await recordVitals(c, s.id, {
			timepoint: 90,
			takenAt: '11:30',
			systolic: 154,
			diastolic: 80,
			heartRate: 72
		});
		const after = await flagRows();
		const mine = after.filter((f) => f.source_id === r.id);
		expect(mine.map((f) => [f.rule_id, f.protocol_version_id])).toContainEqual([
			'vitals.systolic.high.action',
			v11
		]);
		for (const old of earlier) {
			expect(after.find((f) => f.id === old.id)?.protocol_version_id).toBe(v10);
		}
	});
});

describe('protocol commands', () => {
	async function vigil(...args: string[]) {
		const out: string[] = [];
		const err: string[] = [];
		const command = PROTOCOL_COMMANDS.find((c) => args.join(' ').startsWith(c.name))!;
		const parsed = parseCommandArgs(command, args.slice(command.name.split(' ').length));
		const io = {
			out: (l: string) => out.push(l),
			err: (l: string) => err.push(l),
			readStdin: () => Promise.resolve(''),
			open: () => Promise.resolve(t.opened)
		};
		const code = await command.run(io, parsed.values, parsed.positionals);
		return { code, out: out.join('\n'), err: err.join('\n') };
	}

	it('load prints each error with its path; dry-run compares; activate switches', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'vigil-protocol-'));
		try {
			const bad = join(dir, 'bad.json');
			const good = join(dir, 'good.json');
			const broken = stricter();
			delete broken.title;
			writeFileSync(bad, JSON.stringify(broken));
			writeFileSync(good, JSON.stringify(stricter()));
			const refused = await vigil('protocol', 'load', bad);
			expect(refused.code).toBe(1);
			expect(refused.err).toContain('title: Required.');

			expect((await vigil('protocol', 'load', good)).out).toContain('version 1.1 (not active)');
			await sessionWith152And158();
			const dry = await vigil('protocol', 'dry-run', good, '--days', '30');
			expect(dry.code).toBe(0);
			expect(dry.out).toMatch(/vitals\.systolic\.high\.action\s+0\s+2\s+\+2/);
			const args = ['--study', 'MDMA-TRD-01', '--version', '1.1', '--reason', 'amendment 2'];
			expect((await vigil('protocol', 'activate', ...args)).code).toBe(0);
			expect((await activeProtocol(t.db, t.studyId)).protocol.version).toBe('1.1');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
