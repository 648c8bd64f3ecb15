import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { csvField, csvLine } from '../../src/lib/server/export/csv';
import type { SdtmDomain } from '../../src/lib/server/export/filters';
import { PAGE_SIZE } from '../../src/lib/server/export/pages';
import {
	markAdverseEventEnteredInError,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { exportDomainCsv } from '../../src/lib/server/services/audit/exports';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import {
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import { parseCsv } from '../helpers/csv';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { PLACEHOLDER, recordingDb } from '../helpers/database';
import { noCriteria } from '../helpers/fixtures';

const LIMIT_LAST = new RegExp(` limit ${PLACEHOLDER}$`);

let t: TestDb;
freshDbEach((db) => (t = db));

// Oslo (A1) is UTC+1 and New York (B1) UTC−5 on 20 November 2026.
const now = () => new Date('2026-11-20T15:00:00Z');
const ae = (over: Record<string, unknown> = {}) => ({
	verbatimTerm: 'felt sick',
	codedTermCode: 'VIG-0003',
	onsetAt: '2026-11-20T11:00',
	awareAt: '2026-11-20T11:10',
	severity: '2',
	criteria: noCriteria,
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering',
	...over
});
const items = (scores: number[]) => Object.fromEntries(scores.map((s, i) => [String(i + 1), s]));

/** A dosed participant with readings, events and scales at `site`; some entered in error. */
async function participantWithRecords(site: 'A1' | 'B1') {
	const c = await actorFor(t, 'coordinator', [site], now);
	const p = await enrolledParticipant(t, site, '2026-10-01');
	const visits = await listVisits(c, p.id);
	const dosing = visits.find((v) => v.kind === 'dosing')!;
	const local = site === 'A1' ? (h: number) => h : (h: number) => h - 6;
	const at = (h: number, m = 0) =>
		`2026-11-20T${String(local(h)).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: at(10),
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	const vitals = (timepoint: number | string, time: string, values: Record<string, unknown>) =>
		recordVitals(c, s.id, { timepoint, takenAt: time, confirmed: true, ...values });
	const pre = await vitals(-30, at(9, 30), {
		systolic: 122,
		diastolic: 80,
		heartRate: 70,
		temperature: 98.6,
		temperatureUnit: 'F',
		position: 'SITTING'
	});
	await vitals('unscheduled', at(9, 45), { heartRate: 72 });
	await vitals(60, at(11), { systolic: 150, diastolic: 95, heartRate: 98, temperature: 37.2 });
	const wrong = await vitals(30, at(10, 30), { systolic: 140, diastolic: 90, heartRate: 90 });
	await markVitalsEnteredInError(c, wrong.id, { reason: 'Wrong participant' });
	await recordAdverseEvent(c, p.id, ae({ onsetAt: at(11), awareAt: at(11, 10) }));
	await recordAdverseEvent(
		c,
		p.id,
		ae({
			verbatimTerm: 'chest pain, "tight"\nafter dose',
			codedTermCode: '',
			severity: '3',
			criteria: { ...noCriteria, hospitalisation: 'yes' },
			onsetAt: at(12),
			awareAt: at(12, 5),
			endAt: at(14),
			outcome: 'recovered'
		})
	);
	const mistaken = await recordAdverseEvent(c, p.id, ae({ onsetAt: at(13), awareAt: at(13) }));
	await markAdverseEventEnteredInError(c, mistaken.id, { reason: 'Duplicate' });
	const baselineVisit = visits.find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(baselineVisit.id),
		administeredAt: '2026-10-01T14:30',
		items: items([3, 3, 3, 3, 3, 3, 3, 3, 3, 5])
	});
	await recordScaleAdministration(c, p.id, {
		instrument: 'PHQ9',
		administeredAt: '2026-10-02T10:00',
		incomplete: 'on',
		items: items([1, 2, 0, 1])
	});
	return { c, p, s, pre };
}

async function exportRows(ctx: ServiceContext, domain: SdtmDomain, filters = {}) {
	const file = await exportDomainCsv(ctx, domain, filters);
	const text = await new Response(file.stream).text();
	const [header, ...rows] = parseCsv(text);
	const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
	return { file, text, header: header!, records };
}

const admin = () => actorFor(t, 'admin', [], now);

describe('SDTM DM', () => {
	it('has one row per participant with first dose, enrolment, sex and dose group', async () => {
		const { p } = await participantWithRecords('A1');
		const { header, records } = await exportRows(await admin(), 'DM');
		expect(header).toEqual([
			'STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFSTDTC', 'RFENDTC', 'RFXSTDTC', 'RFXENDTC',
			'RFICDTC', 'RFPENDTC', 'DTHDTC', 'DTHFL', 'SITEID', 'BRTHDTC', 'AGE', 'AGEU', 'SEX',
			'ARMCD', 'ARM', 'ACTARMCD', 'ACTARM', 'ARMNRS', 'ACTARMUD', 'COUNTRY', 'DMDTC', 'DMDY'
		]); // prettier-ignore
		expect(records).toEqual([
			expect.objectContaining({
				STUDYID: 'MDMA-TRD-01',
				DOMAIN: 'DM',
				USUBJID: `MDMA-TRD-01-${p.subjectCode}`,
				SUBJID: p.subjectCode,
				SITEID: 'A1',
				RFSTDTC: '2026-11-20T09:00:00Z',
				RFENDTC: '', // still on study
				RFXSTDTC: '2026-11-20T09:00:00Z',
				RFXENDTC: '2026-11-20T09:00:00Z', // no supplemental dose
				RFICDTC: '2026-10-01',
				RFPENDTC: '2026-11-20T10:00:00Z', // the last reading (11:00 in Oslo)
				DTHDTC: '',
				DTHFL: '',
				BRTHDTC: '1980',
				AGE: '46',
				AGEU: 'YEARS',
				SEX: 'F',
				// The test protocol randomises: the dose group is not an arm, and this participant
				// was never randomised (exports-arms.test.ts has the randomised ones).
				ARMCD: '',
				ARM: '',
				ACTARMCD: '',
				ACTARM: '',
				ARMNRS: 'NOT ASSIGNED',
				COUNTRY: 'NOR'
			})
		]);
		expect(records[0]!.DMDTC).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
	});
});

describe('SDTM VS', () => {
	it('has a row per measure, timepoints from the initial dose and a baseline per measure', async () => {
		const { p } = await participantWithRecords('A1');
		const { header, records } = await exportRows(await admin(), 'VS');
		expect(header.slice(3)).toEqual([
			'VSSEQ', 'VSTESTCD', 'VSTEST', 'VSPOS', 'VSORRES', 'VSORRESU', 'VSSTRESC', 'VSSTRESN',
			'VSSTRESU', 'VSSTAT', 'VSREASND', 'VSLOBXFL', 'VISITNUM', 'VISIT', 'VSDTC', 'VSDY', 'VSTPT', 'VSTPTNUM',
			'VSELTM', 'VSTPTREF', 'VSRFTDTC'
		]); // prettier-ignore
		const brief = records.map((r) =>
			[r.VSTPT, r.VSTESTCD, r.VSORRES, r.VSORRESU, r.VSSTRESC, r.VSLOBXFL, r.VSELTM].join(' ')
		);
		// The unscheduled reading has no planned timepoint, so no VSTPT and no VSELTM.
		expect(brief).toEqual([
			'PRE-DOSE SYSBP 122 mmHg 122 Y -PT30M',
			'PRE-DOSE DIABP 80 mmHg 80 Y -PT30M',
			'PRE-DOSE PULSE 70 beats/min 70  -PT30M',
			'PRE-DOSE TEMP 98.6 F 37 Y -PT30M',
			' PULSE 72 beats/min 72 Y ',
			'1 H POST-DOSE SYSBP 150 mmHg 150  PT1H',
			'1 H POST-DOSE DIABP 95 mmHg 95  PT1H',
			'1 H POST-DOSE PULSE 98 beats/min 98  PT1H',
			'1 H POST-DOSE TEMP 37.2 C 37.2  PT1H'
		]);
		expect(records.map((r) => r.VSDY)).toEqual(Array(9).fill('1'));
		expect(records.map((r) => r.VSSEQ)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
		expect(records[3]).toMatchObject({
			USUBJID: `MDMA-TRD-01-${p.subjectCode}`,
			VSTEST: 'Temperature',
			VSSTRESU: 'C',
			VSPOS: 'SITTING',
			VSDTC: '2026-11-20T08:30:00Z',
			VSTPTNUM: '1',
			VSTPTREF: 'INITIAL DOSE',
			VISIT: expect.any(String),
			VISITNUM: expect.stringMatching(/^\d+$/)
		});
		expect(records[4]).toMatchObject({
			VSTPTNUM: '',
			VSTPTREF: '',
			VSRFTDTC: '',
			VSDTC: '2026-11-20T08:45:00Z'
		});
		expect(records[0]).toMatchObject({ VSRFTDTC: '2026-11-20T09:00:00Z' });
		// The reading entered in error (30 MIN POST-DOSE) is not there.
		expect(records.some((r) => r.VSTPT === '30 MIN POST-DOSE')).toBe(false);
	});

	it('takes a session by its T0 date', async () => {
		await participantWithRecords('A1');
		const ctx = await admin();
		expect((await exportRows(ctx, 'VS', { from: '2026-11-21' })).records).toEqual([]);
		expect((await exportRows(ctx, 'VS', { to: '2026-11-20' })).records).toHaveLength(9);
	});
});

describe('SDTM AE', () => {
	it('sets AESER to Y exactly when a seriousness flag is Y, and leaves out events in error', async () => {
		await participantWithRecords('A1');
		const { header, records } = await exportRows(await admin(), 'AE');
		const flags = ['AESDTH', 'AESLIFE', 'AESHOSP', 'AESDISAB', 'AESCONG', 'AESMIE'];
		expect(header).toEqual(expect.arrayContaining(['AESER', ...flags, 'AETOXGR', 'AESEV']));
		expect(records).toHaveLength(2);
		for (const r of records) {
			expect(r.AESER).toBe(flags.some((f) => r[f] === 'Y') ? 'Y' : 'N');
		}
		expect(records[0]).toMatchObject({
			AESEQ: '1',
			AETERM: 'felt sick',
			AEDECOD: 'Nausea',
			AESEV: '',
			AETOXGR: '2',
			AESER: 'N',
			AEREL: 'POSSIBLY RELATED',
			AEACN: 'DOSE NOT CHANGED',
			AEOUT: 'RECOVERING/RESOLVING',
			AESTDTC: '2026-11-20T10:00:00Z',
			AEENDTC: ''
		});
		expect(records[1]).toMatchObject({
			AETERM: 'chest pain, "tight"\nafter dose',
			AEDECOD: '',
			AETOXGR: '3',
			AESER: 'Y',
			AESHOSP: 'Y',
			AESDTH: 'N',
			AEOUT: 'RECOVERED/RESOLVED',
			AEENDTC: '2026-11-20T13:00:00Z'
		});
	});
});

describe('SDTM QS', () => {
	it('has a row per answered item, and a total only for a complete administration', async () => {
		await participantWithRecords('A1');
		const { records } = await exportRows(await admin(), 'QS');
		const madrs = records.filter((r) => r.QSCAT === 'MADRS');
		expect(madrs.map((r) => r.QSTESTCD)).toEqual([
			...Array.from({ length: 10 }, (_, i) => `MADRS1${String(i + 1).padStart(2, '0')}`),
			'MADRSTOT'
		]);
		expect(madrs.at(-1)).toMatchObject({
			QSTEST: 'MADRS Total Score',
			QSORRES: '32',
			QSSTRESN: '32',
			QSDTC: '2026-10-01T12:30:00Z',
			VISIT: expect.any(String)
		});
		expect(madrs[9]).toMatchObject({ QSTEST: 'Suicidal thoughts', QSORRES: '5', QSSTRESN: '5' });
		const phq = records.filter((r) => r.QSCAT === 'PHQ-9');
		expect(phq.map((r) => `${r.QSTESTCD}=${r.QSORRES}`)).toEqual([
			'PHQ0101=1',
			'PHQ0102=2',
			'PHQ0103=0',
			'PHQ0104=1'
		]);
		expect(records.map((r) => r.QSSEQ)).toEqual(records.map((_, i) => String(i + 1)));
	});
});

describe('who gets what', () => {
	it('keeps another site out of a single-site auditor\u2019s files', async () => {
		await participantWithRecords('A1');
		const b = await participantWithRecords('B1');
		const auditor = await actorFor(t, 'auditor', ['B1'], now);
		for (const domain of ['DM', 'VS', 'AE', 'QS'] as const) {
			const { records } = await exportRows(auditor, domain);
			expect(records.length, domain).toBeGreaterThan(0);
			expect(new Set(records.map((r) => r.USUBJID)), domain).toEqual(
				new Set([`MDMA-TRD-01-${b.p.subjectCode}`])
			);
		}
		await expect(exportDomainCsv(auditor, 'VS', { siteId: t.siteA })).rejects.toThrow(
			'Site not found'
		);
		const adminRows = await exportRows(await admin(), 'DM', { siteId: String(t.siteB) });
		expect(adminRows.records.map((r) => r.SITEID)).toEqual(['B1']);
	});

	it('is for auditors and admins only', async () => {
		for (const role of ['coordinator', 'investigator'] as const) {
			await expect(exportDomainCsv(await actorFor(t, role, ['A1'], now), 'DM', {})).rejects.toThrow(
				'Your role does not allow this.'
			);
		}
	});

	it('audits each export when it starts, with its filters and row count', async () => {
		await participantWithRecords('A1');
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const filters = { siteId: String(t.siteA), from: '2026-11-01', to: '' };
		const file = await exportDomainCsv(auditor, 'VS', filters);
		const audit = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'export.create')
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_label: auditor.actor.email, site_id: t.siteA });
		expect(JSON.parse(audit[0]!.new_values!)).toEqual({
			kind: 'sdtm-csv',
			domain: 'VS',
			filters: { siteId: t.siteA, from: '2026-11-01' },
			rowCount: 9
		});
		expect(file.rowCountHint).toBe(9);
		expect(file.filename).toMatch(/^vigil-vs-A1-\d{8}T\d{6}Z\.csv$/);
		expect((await exportRows(auditor, 'QS')).file.rowCountHint).toBe(15);
		await expect(
			exportDomainCsv(auditor, 'VS', { from: '2026-11-02', to: '2026-11-01' })
		).rejects.toThrow();
	});
});

describe('CSV (RFC 4180)', () => {
	it('quotes fields with commas, quotes or line breaks, and ends records with CRLF', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField('cr\r')).toBe('"cr\r"');
		expect(csvField(null)).toBe('');
		expect(csvField(-0)).toBe('0');
		expect(csvField(37.2)).toBe('37.2');
		expect(csvLine(['x', 1, null, 'y,z'])).toBe('x,1,,"y,z"\r\n');
	});
});

/** The same database through a Kysely that records every statement it runs. */
function recordingContext(ctx: ServiceContext) {
	const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
	const db = recordingDb(t.opened, (e) => {
		if (e.level === 'query') statements.push(e.query);
	});
	return { ctx: { ...ctx, db }, statements };
}

async function seedReadings(sessions: number, perSession: number) {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const at = '2026-11-20T09:00:00.000Z';
	for (let n = 1; n <= sessions; n++) {
		const s = await t.db
			.insertInto('dosing_session')
			.values({
				participant_id: p.id,
				site_id: t.siteA,
				session_number: n,
				t0: at,
				initial_dose_mg: 120,
				created_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const readings = Array.from({ length: perSession }, (_, i) => ({
			dosing_session_id: s.id,
			participant_id: p.id,
			site_id: t.siteA,
			timepoint_label: 'UNSCHEDULED',
			measured_at: new Date(Date.parse(at) + (i - 1) * 60_000).toISOString(),
			systolic: 120,
			diastolic: 80,
			heart_rate: 70,
			temperature_c: 36.6,
			source: 'monitor',
			created_at: at
		}));
		await t.db.insertInto('vital_reading').values(readings).execute();
	}
}

const pageQueries = (statements: Array<{ sql: string }>) =>
	statements.filter((s) => /^select .* from "vital_reading"/.test(s.sql) && !/sum\(/.test(s.sql));

describe('streaming', () => {
	it('reads in pages of at most PAGE_SIZE and sends the first bytes before the last page', async () => {
		await seedReadings(30, 40); // 1,200 readings: three pages of readings, 4,800 rows
		const { ctx, statements } = recordingContext(await admin());
		const file = await exportDomainCsv(ctx, 'VS', {});
		expect(file.rowCountHint).toBe(4800);
		expect(pageQueries(statements)).toHaveLength(0); // nothing read before it is asked for
		const reader = file.stream.getReader();
		const first = await reader.read();
		expect(first.done).toBe(false);
		expect(new TextDecoder().decode(first.value).startsWith('STUDYID,DOMAIN,USUBJID')).toBe(true);
		expect(pageQueries(statements)).toHaveLength(1);
		let bytes = first.value!.byteLength;
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			bytes += next.value.byteLength;
		}
		expect(bytes).toBeGreaterThan(4800 * 100);
		const pages = pageQueries(statements);
		expect(pages).toHaveLength(3);
		const clinical =
			/from "(participant|vital_reading|adverse_event|scale_administration|audit_event)"/;
		for (const s of statements.filter((q) => /^select/.test(q.sql) && clinical.test(q.sql))) {
			if (/(count\(\*\)|sum\()/.test(s.sql)) continue; // the row count, one number
			expect(s.sql).toMatch(LIMIT_LAST);
			expect(Number(s.parameters.at(-1))).toBeLessThanOrEqual(PAGE_SIZE);
		}
	});

	it('stops reading when the client goes away', async () => {
		await seedReadings(30, 40);
		const { ctx, statements } = recordingContext(await admin());
		const file = await exportDomainCsv(ctx, 'VS', {});
		const reader = file.stream.getReader();
		await reader.read();
		await reader.cancel();
		expect(pageQueries(statements)).toHaveLength(1);
	});
});
