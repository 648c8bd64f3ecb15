import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/lib/server/export/pages';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { exportOdm } from '../../src/lib/server/services/audit/exports';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import { correctVitals, recordVitals } from '../../src/lib/server/services/capture/vitals';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { PLACEHOLDER, recordingDb } from '../helpers/database';
import { noCriteria } from '../helpers/fixtures';
import { signableSession } from '../helpers/audited-scenario';
import type { AuditAction } from '../../src/lib/server/audit/actions';

const LIMIT_LAST = new RegExp(` limit ${PLACEHOLDER}$`);

const SCHEMA = join(import.meta.dirname, '../fixtures/odm-1.3.2/cdisc-odm-1.3.2/ODM1-3-2.xsd');
const NOW = '2026-11-20T15:00:00.000Z';
const now = () => new Date(NOW);

let t: TestDb;
let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-odm-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
freshDbEach((db) => (t = db));

/** xmllint against the schema copy in the repository; its verdict and messages. */
function validate(xml: string): { ok: boolean; output: string } {
	const file = join(dir, `odm-${Date.now()}.xml`);
	writeFileSync(file, xml);
	const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
	if (run.error) {
		throw new Error('xmllint is needed to validate ODM files: sudo apt-get install libxml2-utils', {
			cause: run.error
		});
	}
	return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

/** Ended session at A1: signed, then a reading corrected (voiding it), then signed again. */
async function fixture() {
	const { c, inv, p, visits, dosing, s, reading, r, sign } = await signableSession(t, now, {
		temperature: 36.6
	});
	await updateDosingSession(c, s.id, { endedAt: '2026-11-20T14:30' });
	const first = await sign();
	await correctVitals(c, r.id, { ...reading, systolic: 130, temperature: 36.6, reason: REASON });
	const second = await sign();
	await recordAdverseEvent(c, p.id, {
		verbatimTerm: 'jaw clenching, "mild"\u0001',
		codedTermCode: 'VIG-0008',
		onsetAt: '2026-11-20T11:00',
		awareAt: '2026-11-20T11:05',
		severity: '1',
		criteria: noCriteria,
		relatedness: 'probable',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering'
	});
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(visits.find((v) => v.visit_code === 'BL')!.id),
		administeredAt: '2026-10-01T14:30',
		items: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), 2]))
	});
	return { c, inv, p, s, r, visits, dosing, signatures: [first.id, second.id] };
}

const REASON = 'Transcription error <&> "checked"';

/** One transaction per line (the writer ends each SubjectData with a newline). */
const transactions = (xml: string) => xml.split('\n').filter((l) => l.startsWith('<SubjectData'));

/** Each ItemData of an item inside the lines given, with its attributes and audit record. */
function itemHistory(lines: string[], itemOid: string) {
	const pattern = new RegExp(`<ItemData ItemOID="${itemOid}"([^>]*)>(.*?)</ItemData>`, 'g');
	return lines.flatMap((line) =>
		[...line.matchAll(pattern)].map((m) => ({
			type: /TransactionType="(\w+)"/.exec(m[1]!)?.[1],
			value: /Value="([^"]*)"/.exec(m[1]!)?.[1],
			user: /<UserRef UserOID="([^"]+)"/.exec(m[2]!)?.[1],
			location: /<LocationRef LocationOID="([^"]+)"/.exec(m[2]!)?.[1],
			at: /<DateTimeStamp>([^<]+)</.exec(m[2]!)?.[1],
			reason: /<ReasonForChange>([^<]*)</.exec(m[2]!)?.[1] ?? null,
			source: /<SourceID>([^<]+)</.exec(m[2]!)?.[1]
		}))
	);
}

const auditOf = (action: AuditAction) =>
	t.db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('seq').execute();

async function odmAs(ctx: Parameters<typeof exportOdm>[0], filters: Record<string, unknown> = {}) {
	const file = await exportOdm(ctx, filters);
	return { file, xml: await readAll(file.stream) };
}

interface Replayed {
	event: string;
	key: string | undefined;
	form: string;
	formKey: string | undefined;
	item: string;
	value: string | null;
	source: string | undefined;
}

const attrsOf = (text: string) =>
	Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/** Every ItemData of the file, in file order, with the event and form it sits in. */
function replay(xml: string): Replayed[] {
	const out: Replayed[] = [];
	for (const line of transactions(xml)) {
		const stack: Array<{ tag: string; attrs: Record<string, string> }> = [];
		let item: Omit<Replayed, 'source'> | null = null;
		for (const m of line.matchAll(/<(\/?)(\w+)([^>]*?)(\/?)>|([^<]+)/g)) {
			if (m[5] !== undefined) {
				if (item && stack.at(-1)?.tag === 'SourceID') out.push({ ...item, source: m[5] });
				continue;
			}
			const [, closing, tag, attrText, selfClosing] = m;
			if (closing) {
				stack.pop();
				if (tag === 'ItemData') item = null;
				continue;
			}
			const attrs = attrsOf(attrText!);
			if (tag === 'ItemData') {
				const find = (t: string) => stack.findLast((s) => s.tag === t)?.attrs ?? {};
				item = {
					event: find('StudyEventData').StudyEventOID!,
					key: find('StudyEventData').StudyEventRepeatKey,
					form: find('FormData').FormOID!,
					formKey: find('FormData').FormRepeatKey,
					item: attrs.ItemOID!,
					value: attrs.IsNull === 'Yes' ? null : attrs.Value!
				};
			}
			if (!selfClosing) stack.push({ tag: tag!, attrs });
		}
	}
	return out;
}

describe('the ODM export', () => {
	it('validates against the ODM 1.3.2 schema kept in the repository', async () => {
		await fixture();
		const { xml, file } = await odmAs(await actorFor(t, 'admin', [], now));
		const result = validate(xml);
		expect(result.output).toContain('validates');
		expect(result.ok).toBe(true);
		expect(xml).toMatch(
			/<ODM xmlns="http:\/\/www\.cdisc\.org\/ns\/odm\/v1\.3" ODMVersion="1\.3\.2" FileType="Transactional"/
		);
		expect(file.contentType).toContain('application/xml');
		expect(file.filename).toMatch(/^vigil-odm-\d{8}T\d{6}Z\.xml$/);
	});

	it('shows an edited value as two transactions, each with its audit record and reason', async () => {
		const { c, r } = await fixture();
		const { xml } = await odmAs(await actorFor(t, 'auditor', ['A1'], now));
		const reading = transactions(xml).filter((l) =>
			l.includes(`<FormData FormOID="F.VS" FormRepeatKey="${r.id}"`)
		);
		const [created] = await auditOf('vitals.create');
		const [corrected] = await auditOf('vitals.update');
		expect(itemHistory(reading, 'IT.VS.SYSBP')).toEqual([
			{
				type: 'Insert',
				value: '150',
				user: `U.${c.actor.id}`,
				location: 'LOC.A1',
				at: created!.at,
				reason: null,
				source: String(created!.seq)
			},
			{
				type: 'Update',
				value: '130',
				user: `U.${c.actor.id}`,
				location: 'LOC.A1',
				at: corrected!.at,
				reason: 'Transcription error &lt;&amp;&gt; &quot;checked&quot;',
				source: String(corrected!.seq)
			}
		]);
		// Unchanged values are not repeated by the correction.
		expect(itemHistory(reading, 'IT.VS.DIABP').map((h) => h.type)).toEqual(['Insert']);
		expect(xml).toContain('<MeasurementUnitRef MeasurementUnitOID="MU.MMHG"/>');
		expect(xml).toMatch(/<ItemDef OID="IT\.VS\.SYSBP"[^>]*DataType="integer"/);
		expect(xml).toContain(
			'<RangeCheck Comparator="GE" SoftHard="Hard"><CheckValue>50</CheckValue>'
		);
	});

	it('carries signatures with signer, site, meaning and time, and shows a voided one', async () => {
		const { inv, s, dosing, signatures } = await fixture();
		const { xml } = await odmAs(await actorFor(t, 'auditor', ['A1'], now));
		const session = transactions(xml).filter(
			(l) =>
				l.includes(
					`<StudyEventData StudyEventOID="SE.DOSING" StudyEventRepeatKey="${dosing.visit_code}"`
				) && l.includes(`<FormData FormOID="F.EX" FormRepeatKey="${s.id}"`)
		);
		const signed = session.filter((l) => l.includes('<Signature '));
		expect(signed).toHaveLength(2);
		const [row] = await t.db
			.selectFrom('signature')
			.selectAll()
			.where('id', '=', signatures[1]!)
			.execute();
		expect(signed[1]).toContain(
			`<Signature ID="SIG.${signatures[1]}"><UserRef UserOID="U.${inv.actor.id}"/>` +
				'<LocationRef LocationOID="LOC.A1"/><SignatureRef SignatureOID="SD.REVIEWED"/>' +
				`<DateTimeStamp>${row!.signed_at}</DateTimeStamp></Signature>`
		);
		const voided = session.find((l) => l.includes('<Annotation'));
		expect(voided).toContain(`Signature SIG.${signatures[0]} is void`);
		expect(voided).toContain('corrected');
		expect(xml).toContain(
			`<User OID="U.${inv.actor.id}" UserType="Investigator"><LoginName>${inv.actor.email}</LoginName><FullName>${inv.actor.name}</FullName></User>`
		);
		expect(xml).toContain(
			'<SignatureDef OID="SD.REVIEWED" Methodology="Electronic"><Meaning>Reviewed</Meaning>'
		);
	});

	it('writes characters XML cannot hold as U+FFFD, and escapes markup', async () => {
		await fixture();
		const { xml } = await odmAs(await actorFor(t, 'admin', [], now));
		expect(xml).toContain('Value="jaw clenching, &quot;mild&quot;\uFFFD"');
		expect(xml).not.toContain('\u0001');
	});

	it('keeps another site out of a single-site auditor\u2019s file, and audits the export', async () => {
		await fixture();
		const b = await actorFor(t, 'auditor', ['B1'], now);
		const { xml, file } = await odmAs(b);
		expect(validate(xml).ok).toBe(true);
		expect(transactions(xml)).toEqual([]);
		expect(xml).not.toContain('LOC.A1');
		await expect(odmAs(b, { siteId: t.siteA })).rejects.toThrow('Site not found');
		const [audit] = await auditOf('export.create');
		expect(audit).toMatchObject({ actor_label: b.actor.email, entity_type: 'export' });
		expect(JSON.parse(audit!.new_values!)).toEqual({
			kind: 'odm-xml',
			domain: 'ODM',
			filters: { studyId: t.studyId },
			rowCount: file.rowCountHint
		});
	});

	it('reads the trail in bounded pages, and only as the file is read', async () => {
		await fixture();
		const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
		const db = recordingDb(t.opened, (e) => void (e.level === 'query' && statements.push(e.query)));
		const admin = await actorFor(t, 'admin', [], now);
		const file = await exportOdm({ ...admin, db }, {});
		const trail = () => statements.filter((s) => /^select .* from "audit_event"/.test(s.sql));
		expect(trail().filter((s) => LIMIT_LAST.test(s.sql))).toHaveLength(0);
		const xml = await readAll(file.stream);
		expect(xml.endsWith('</ODM>\n')).toBe(true);
		const clinical =
			/from "(participant|dosing_session|vital_reading|adverse_event|scale_administration|audit_event|visit)"/;
		const reads = statements.filter((s) => /^select/.test(s.sql) && clinical.test(s.sql));
		for (const s of reads) {
			if (/count\(\*\)|select distinct/.test(s.sql)) continue; // the count; who appears
			expect(s.sql).toMatch(LIMIT_LAST);
			expect(Number(s.parameters.at(-1))).toBeLessThanOrEqual(PAGE_SIZE);
		}
		expect(trail().filter((s) => LIMIT_LAST.test(s.sql)).length).toBeGreaterThan(0);
	});

	it('writes every visit as a study event of its kind keyed by its code, which replays to the visit records', async () => {
		const { c, visits, s, r } = await fixture();
		const byCode = (code: string) => visits.find((v) => v.visit_code === code)!;
		await recordVisit(c, byCode('BL').id, {
			status: 'completed',
			actualOn: '2026-10-01',
			deviationReason: 'recorded late'
		});
		const prep = visits.find((v) => v.kind === 'preparatory')!;
		await recordVisit(c, prep.id, { status: 'missed', missedReason: 'participant unwell' });
		const { xml } = await odmAs(await actorFor(t, 'auditor', ['A1'], now));
		expect(validate(xml).output).toContain('validates');

		// The metadata: one repeating, scheduled event per kind of visit, naming the protocol's visits.
		expect(xml).toMatch(
			/<StudyEventDef OID="SE\.PREPARATORY" Name="Preparatory session" Repeating="Yes" Type="Scheduled"><Description><TranslatedText xml:lang="en">[^<]*PREP1 \(/
		);
		for (const oid of [
			'SE.SCREENING',
			'SE.BASELINE',
			'SE.DOSING',
			'SE.INTEGRATION',
			'SE.FOLLOWUP'
		]) {
			expect(xml).toContain(`<StudyEventRef StudyEventOID="${oid}"`);
			expect(xml).toMatch(new RegExp(`<StudyEventDef OID="${oid}"[^>]*Repeating="Yes"`));
		}
		expect(xml).toMatch(/<FormDef OID="F\.SV" Name="Visit" Repeating="No">/);

		// Replaying the visit items, in file order, gives back every visit as stored.
		const items = replay(xml);
		const state = new Map<string, Record<string, string | null>>();
		for (const i of items.filter((i) => i.form === 'F.SV')) {
			const k = `${i.event}|${i.key}`;
			state.set(k, { ...state.get(k), [i.item]: i.value });
		}
		const stored = await t.db
			.selectFrom('visit')
			.selectAll()
			.where('participant_id', '=', visits[0]!.participant_id)
			.execute();
		expect(stored.length).toBeGreaterThan(5);
		const eventOf: Record<string, string> = {
			screening: 'SE.SCREENING',
			baseline: 'SE.BASELINE',
			preparatory: 'SE.PREPARATORY',
			dosing: 'SE.DOSING',
			integration: 'SE.INTEGRATION',
			'follow-up': 'SE.FOLLOWUP'
		};
		for (const v of stored) {
			const got = state.get(`${eventOf[v.kind]}|${v.visit_code}`) ?? {};
			expect({ code: v.visit_code, ...got }).toEqual({
				code: v.visit_code,
				'IT.SV.PLANNED': v.planned_on,
				'IT.SV.STATUS': v.status,
				...(v.actual_on ? { 'IT.SV.SVSTDTC': v.actual_on } : {}),
				...(v.missed_reason ? { 'IT.SV.SVREASOC': v.missed_reason } : {})
			});
		}
		expect(state.size).toBe(stored.length);
		const dosingCode = visits.find((v) => v.kind === 'dosing')!.visit_code;
		// The dosing visit was completed by starting its session; the missed one keeps its reason.
		expect(state.get(`SE.DOSING|${dosingCode}`)).toMatchObject({
			'IT.SV.STATUS': 'completed',
			'IT.SV.SVSTDTC': '2026-11-20'
		});
		expect(state.get(`SE.PREPARATORY|${prep.visit_code}`)).toMatchObject({
			'IT.SV.STATUS': 'missed',
			'IT.SV.SVREASOC': 'participant unwell'
		});

		// Every visit item carries the audit record of the entry that set it.
		const trail = await t.db
			.selectFrom('audit_event')
			.select(['seq', 'action'])
			.where('action', 'in', ['visit.schedule', 'visit.record', 'visit.reschedule'])
			.execute();
		const visitSeqs = new Set(trail.map((e) => String(e.seq)));
		expect(new Set(trail.map((e) => e.action))).toEqual(
			new Set(['visit.schedule', 'visit.record', 'visit.reschedule'])
		);
		for (const i of items.filter((i) => i.form === 'F.SV')) {
			expect(visitSeqs.has(i.source!)).toBe(true);
		}
		const sources = new Set(items.filter((i) => i.form === 'F.SV').map((i) => i.source));
		for (const seq of visitSeqs) expect(sources.has(seq)).toBe(true);

		// The session, its readings and the scales sit in their visits' events.
		const located = (form: string, key?: number) =>
			new Set(
				items
					.filter((i) => i.form === form && (key === undefined || i.formKey === String(key)))
					.map((i) => `${i.event}|${i.key}`)
			);
		expect(located('F.EX', s.id)).toEqual(new Set([`SE.DOSING|${dosingCode}`]));
		expect(located('F.VS', r.id)).toEqual(new Set([`SE.DOSING|${dosingCode}`]));
		expect(located('F.MADRS')).toEqual(new Set(['SE.BASELINE|BL']));
		expect(located('F.AE')).toEqual(new Set(['SE.AE|undefined']));
	});

	it('writes a reading recorded as not done as a new reading with its status, planned time and reason', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
		const s = await startDosingSession(c, p.id, {
			visitId: dosing.id,
			t0: '2026-11-20T10:00',
			initialDoseMg: 120,
			deviationReason: 'test set-up'
		});
		const values = { systolic: 124, diastolic: 80, heartRate: 72, temperature: 36.8 };
		await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', ...values });
		await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:31', ...values });
		const asleep = 'Participant asleep <deeply> & "calm"';
		await updateDosingSession(c, s.id, {
			endedAt: '2026-11-20T11:45',
			notDone: { '60': asleep, '90': 'Cuff failed' }
		});
		const notDone = await t.db
			.selectFrom('vital_reading')
			.select(['id', 'timepoint_label', 'measured_at', 'not_done_reason'])
			.where('not_done_reason', 'is not', null)
			.orderBy('id')
			.execute();
		expect(notDone).toHaveLength(2);

		const { xml } = await odmAs(await actorFor(t, 'auditor', ['A1'], now));
		const result = validate(xml);
		expect(result.output).toContain('validates');
		expect(result.ok).toBe(true);
		const trail = await auditOf('vitals.not_done');
		expect(trail).toHaveLength(2);
		const items = replay(xml);
		for (const [i, row] of notDone.entries()) {
			const own = items.filter((x) => x.form === 'F.VS' && x.formKey === String(row.id));
			// Every item of the reading comes from its not-done entry, in the dosing visit's event.
			expect(new Set(own.map((x) => x.source))).toEqual(new Set([String(trail[i]!.seq)]));
			expect(new Set(own.map((x) => `${x.event}|${x.key}`))).toEqual(
				new Set([`SE.DOSING|${dosing.visit_code}`])
			);
			const text = (v: string | null) =>
				v
					?.replaceAll('&quot;', '"')
					.replaceAll('&lt;', '<')
					.replaceAll('&gt;', '>')
					.replaceAll('&amp;', '&');
			expect(Object.fromEntries(own.map((x) => [x.item, text(x.value)]))).toEqual({
				'IT.VS.VSTPT': row.timepoint_label,
				'IT.VS.PLANNED': row.measured_at,
				'IT.VS.VSSTAT': 'NOT DONE',
				'IT.VS.VSREASND': row.not_done_reason
			});
		}
		// Inserted as a new reading (no measures), the reason also its audit record's reason.
		const line = transactions(xml).find((l) => l.includes(`FormRepeatKey="${notDone[0]!.id}"`))!;
		expect(line).toMatch(/<FormData FormOID="F\.VS" FormRepeatKey="\d+" TransactionType="Insert">/);
		expect(line).toContain(
			'<ReasonForChange>Participant asleep &lt;deeply&gt; &amp; &quot;calm&quot;</ReasonForChange>'
		);
		expect(line).not.toMatch(/IT\.VS\.(SYSBP|DIABP|PULSE|TEMP)"/);
		expect(xml).toMatch(
			/<ItemDef OID="IT\.VS\.VSREASND" Name="Reason not done" DataType="text"[^>]*SDSVarName="VSREASND"/
		);
	});

	it('is refused to coordinators and investigators', async () => {
		for (const role of ['coordinator', 'investigator'] as const) {
			await expect(exportOdm(await actorFor(t, role, ['A1'], now), {})).rejects.toThrow(
				'Your role does not allow this.'
			);
		}
	});
});
