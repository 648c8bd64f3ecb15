// SDTMIG conformance of every dataset Vigil writes, on records made through the services: the
// checks a reviewer runs (required values, --SEQ, ISO 8601, controlled terms, DM-only keys), and
// the findings of the independent review of issue 15, one by one.
import { describe, expect, it } from 'vitest';
import { ConformanceCheck, type SdtmRow } from '../../src/lib/domain/sdtm';
import { isSuppDomain, SDTM_DOMAINS, type SdtmDomain } from '../../src/lib/server/export/filters';
import { SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import { actorFor, runningSession, type TestDb, freshDbEach } from '../helpers/db';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { noCriteria } from '../helpers/fixtures';
import { sdtmRecords } from '../helpers/sdtm-records';
import {
	markDeviationEnteredInError,
	reportDeviation
} from '../../src/lib/server/services/protocol/deviations';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { MissingReadings } from '../../src/lib/server/services/capture/not-done';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { loadProtocol, protocolLookup } from '../../src/lib/server/services/protocol/studies';

let t: TestDb;
freshDbEach((db) => (t = db));

const now = () => new Date('2026-11-25T15:00:00Z');
const dosedParticipant = () => sdtmRecords(t, now);

async function rowsOf(domain: SdtmDomain): Promise<SdtmRow[]> {
	const rows: SdtmRow[] = [];
	for await (const r of SDTM_DATASETS[domain].rows(
		t.db,
		{ siteIds: 'all' },
		protocolLookup(t.db)
	)) {
		rows.push(r);
	}
	return rows;
}

describe('every dataset', () => {
	it('passes the reviewer checks', async () => {
		await dosedParticipant();
		// A participant still in screening: no arm, no dose, no country problem.
		await createParticipant(
			t.system,
			{ studyId: t.studyId, siteId: t.siteB },
			{ subjectCode: 'B1-900', sex: 'M', birthYear: 1990, doseGroup: '80 mg', status: 'screening' }
		);
		for (const domain of SDTM_DOMAINS) {
			const check = new ConformanceCheck(SDTM_DATASETS[domain].spec);
			const rows = await rowsOf(domain);
			for (const row of rows) check.add(row);
			// SUPP-- has rows only for text over 200 bytes (exports-long-text.test.ts).
			if (!isSuppDomain(domain)) expect(rows.length, domain).toBeGreaterThan(0);
			expect(check.findings(), domain).toEqual([]);
			const names = Object.keys(rows[0] ?? {});
			expect(names.includes('SUBJID') || names.includes('SITEID'), domain).toBe(domain === 'DM');
		}
	});

	it('reports an uncoded adverse event rather than inventing a term', async () => {
		const p = await dosedParticipant();
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await recordAdverseEvent(c, p.id, {
			verbatimTerm: 'odd feeling',
			codedTermCode: '',
			onsetAt: '2026-11-21T09:00',
			awareAt: '2026-11-21T09:00',
			severity: '1',
			criteria: noCriteria,
			relatedness: 'unlikely',
			expectedness: 'unexpected',
			actionTaken: 'not-applicable',
			outcome: 'recovering'
		});
		const check = new ConformanceCheck(SDTM_DATASETS.AE.spec);
		for (const row of await rowsOf('AE')) check.add(row);
		expect(check.findings()).toEqual(['AEDECOD is required (row 2)']);
	});
});

describe('DM', () => {
	it('fills COUNTRY, AGE, arms and the reference dates from EX', async () => {
		const p = await dosedParticipant();
		await createParticipant(
			t.system,
			{ studyId: t.studyId, siteId: t.siteB },
			{ subjectCode: 'B1-900', sex: 'M', birthYear: 1990, doseGroup: '80 mg', status: 'screening' }
		);
		const [dosed, screening] = await rowsOf('DM');
		expect(dosed).toMatchObject({
			USUBJID: `MDMA-TRD-01-${p.subjectCode}`,
			SUBJID: p.subjectCode,
			SITEID: 'A1',
			COUNTRY: 'NOR',
			AGE: 46,
			AGEU: 'YEARS',
			RFSTDTC: '2026-11-20T09:00:00Z',
			RFXSTDTC: '2026-11-20T09:00:00Z',
			RFXENDTC: '2026-11-20T10:30:00Z', // the supplemental dose
			RFPENDTC: '2026-11-24T09:00:00Z', // the last MADRS
			RFENDTC: null,
			DTHFL: null,
			// A randomised study, and this participant was dosed without being randomised: no
			// planned arm (the dose group is not one), NOT ASSIGNED says why.
			ARMCD: null,
			ACTARMCD: null,
			ARMNRS: 'NOT ASSIGNED'
		});
		expect(screening).toMatchObject({
			COUNTRY: 'USA',
			ARMCD: null,
			ACTARMCD: null,
			ARMNRS: 'NOT ASSIGNED',
			RFSTDTC: null,
			AGE: null
		});
	});
});

describe('DM actual arm in an open-label study', () => {
	it('is the dose group of the initial doses given, or unplanned with ACTARMUD saying what was given', async () => {
		// A copy of the demo protocol without randomisation: the dose group is the planned arm.
		const json = structuredClone(DEMO_PROTOCOL_JSON) as Record<string, unknown>;
		json.version = '1.1-open';
		json.randomisation = { ...(json.randomisation as object), enabled: false };
		await loadProtocol(t.system, json);
		await t.db.updateTable('protocol_version').set({ is_active: 0 }).execute();
		await t.db
			.updateTable('protocol_version')
			.set({ is_active: 1 })
			.where('version', '=', '1.1-open')
			.execute();
		const as = async (initialDoseMg: number) =>
			(await runningSession(t, { initialDoseMg, now })).participant.subjectCode;
		const planned = await as(120);
		const otherGroup = await as(80);
		const unplanned = await as(100);
		const rows = await rowsOf('DM');
		const arms = (code: string) => {
			const r = rows.find((x) => x.SUBJID === code)!;
			return [r.ARMCD, r.ACTARMCD, r.ACTARM, r.ARMNRS, r.ACTARMUD];
		};
		expect(arms(planned)).toEqual(['120MG', '120MG', '120 mg', null, null]);
		expect(arms(otherGroup)).toEqual(['120MG', '80MG', '80 mg', null, null]);
		expect(arms(unplanned)).toEqual([
			'120MG',
			null,
			null,
			'UNPLANNED TREATMENT',
			'Initial dose 100 mg, which no dose group plans'
		]);
		const check = new ConformanceCheck(SDTM_DATASETS.DM.spec);
		for (const row of rows) check.add(row);
		expect(check.findings()).toEqual([]);
	});
});

describe('EX', () => {
	it('has the initial and the supplemental dose apart', async () => {
		await dosedParticipant();
		const rows = await rowsOf('EX');
		expect(rows.map((r) => [r.EXSEQ, r.EXTPT, r.EXDOSE, r.EXSTDTC, r.EXSTDY])).toEqual([
			[1, 'INITIAL DOSE', 120, '2026-11-20T09:00:00Z', 1],
			[2, 'SUPPLEMENTAL DOSE', 60, '2026-11-20T10:30:00Z', 1]
		]);
		expect(rows[0]).toMatchObject({ EXTRT: 'MDMA', EXDOSU: 'mg', EXROUTE: 'ORAL' });
	});
});

describe('SV', () => {
	it('has visits done with their date and missed ones with the reason', async () => {
		await dosedParticipant();
		const rows = await rowsOf('SV');
		const done = rows.filter((r) => r.SVOCCUR === 'Y');
		const missed = rows.filter((r) => r.SVOCCUR === 'N');
		expect(missed).toEqual([
			expect.objectContaining({ SVREASOC: 'Participant unwell', SVSTDTC: null, SVPRESP: 'Y' })
		]);
		expect(done.map((r) => r.SVSTDTC)).toContain('2026-10-02');
		expect(done.find((r) => r.SVSTDTC === '2026-10-02')).toMatchObject({ SVSTDY: -49 });
		expect(done.map((r) => r.SVSTDTC)).toContain('2026-11-20'); // the dosing visit
	});

	it('has a session recorded without a planned visit as an unplanned visit, numbered as its EX and VS records', async () => {
		await dosedParticipant();
		// Sessions from before every session had its visit: the session stands alone.
		const { session, participant, coordinator } = await runningSession(t, {
			t0: '2026-11-22T10:00',
			now
		});
		const values = { systolic: 124, diastolic: 80, heartRate: 72, temperature: 36.8 };
		await recordVitals(coordinator, session.id, { timepoint: -30, takenAt: '09:30', ...values });
		const usubjid = `MDMA-TRD-01-${participant.subjectCode}`;
		await t.db
			.updateTable('visit')
			.set({ status: 'scheduled', actual_on: null })
			.where('id', '=', session.visit_id!)
			.execute();
		await t.db
			.updateTable('dosing_session')
			.set({ visit_id: null })
			.where('id', '=', session.id)
			.execute();
		const visits = await t.db
			.selectFrom('visit')
			.select(['sequence', 'planned_on'])
			.where('participant_id', '=', participant.id)
			.execute();
		// The last planned visit on or before the session's day.
		const before = Math.max(
			...visits.filter((v) => v.planned_on! <= '2026-11-22').map((v) => v.sequence)
		);
		const sv = (await rowsOf('SV')).filter((r) => r.USUBJID === usubjid);
		const unplanned = sv.filter((r) => r.SVPRESP === null);
		expect(unplanned).toEqual([
			expect.objectContaining({
				VISITNUM: before + 0.01,
				VISIT: `UNSCHEDULED ${(before + 0.01).toFixed(2)}`,
				VISITDY: null,
				SVOCCUR: null,
				SVSTDTC: '2026-11-22',
				SVSTDY: 1,
				SVUPDES: 'Dosing session 1 (initial dose 120 mg) recorded without a planned visit'
			})
		]);
		// Planned visits keep their own rows and say nothing of unplanned ones.
		for (const r of (await rowsOf('SV')).filter((r) => r.SVPRESP === 'Y')) {
			expect(r.SVUPDES).toBeNull();
			expect(Number.isInteger(r.VISITNUM)).toBe(true);
		}
		for (const domain of ['EX', 'VS'] as const) {
			const own = (await rowsOf(domain)).filter((r) => r.USUBJID === usubjid);
			expect(own.length, domain).toBeGreaterThan(0);
			for (const r of own) {
				expect([r.VISITNUM, r.VISIT], domain).toEqual([before + 0.01, unplanned[0]!.VISIT]);
			}
		}
		const check = new ConformanceCheck(SDTM_DATASETS.SV.spec);
		for (const r of await rowsOf('SV')) check.add(r);
		expect(check.findings()).toEqual([]);
		expect(await SDTM_DATASETS.SV.count(t.db, { siteIds: 'all' })).toBe(
			(await rowsOf('SV')).length
		);
	});
});

describe('TV', () => {
	it("lists the protocol's visits with the rule and window that place each, numbered as in SV", async () => {
		await dosedParticipant();
		const rows = await rowsOf('TV');
		const { protocol } = await protocolLookup(t.db)(t.studyId);
		expect(rows).toHaveLength(protocol.visits.length);
		expect(rows.map((r) => r.VISIT)).toEqual(protocol.visits.map((v) => v.label));
		const sv = await rowsOf('SV');
		for (const r of sv) {
			expect(rows.find((tv) => tv.VISITNUM === r.VISITNUM)?.VISIT).toBe(r.VISIT);
		}
		const dosing = protocol.visits.findIndex((v) => v.kind === 'dosing');
		expect(rows[dosing]).toMatchObject({ DOMAIN: 'TV', VISITDY: 1, ARMCD: null });
		// Every planned day before the first dose is negative (no day 0), every later one positive.
		rows.forEach((r, i) => {
			expect(r.VISITDY).not.toBe(0);
			if (i < dosing) expect(Number(r.VISITDY)).toBeLessThan(0);
		});
		const bl = protocol.visits.findIndex((v) => v.code === 'BL');
		expect(rows[bl]!.TVSTRL).toBe(
			`${protocol.visits[bl]!.offsetDays} days after visit SCR (window ` +
				`${protocol.visits[bl]!.window.minusDays} days before to ` +
				`${protocol.visits[bl]!.window.plusDays} days after)`
		);
		expect(rows[0]!.TVSTRL).toMatch(/^On the day of enrolment \(/);
		const check = new ConformanceCheck(SDTM_DATASETS.TV.spec);
		for (const r of rows) check.add(r);
		expect(check.findings()).toEqual([]);
		expect(await SDTM_DATASETS.TV.count(t.db, { siteIds: 'all' }, protocolLookup(t.db))).toBe(
			rows.length
		);
	});
});

describe('DV', () => {
	it('has each deviation in effect with its category, importance, visit and study day', async () => {
		const p = await dosedParticipant();
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const manual = await reportDeviation(c, p.id, {
			category: 'INFORMED CONSENT',
			description: 'Consent form page 3 not initialled',
			occurredAt: '2026-11-21T10:00',
			important: 'yes'
		});
		const wrong = await reportDeviation(c, p.id, {
			category: 'OTHER',
			description: 'Entered for the wrong participant',
			occurredAt: '2026-11-21T11:00',
			important: 'no'
		});
		await markDeviationEnteredInError(c, wrong.id, { reason: 'wrong participant' });
		const stored = await t.db
			.selectFrom('protocol_deviation')
			.selectAll()
			.where('entered_in_error_at', 'is', null)
			.orderBy('id')
			.execute();
		const rows = await rowsOf('DV');
		expect(rows.map((r) => r.DVSPID)).toEqual(stored.map((d) => `DV-${d.id}`));
		expect(rows.map((r) => r.DVSEQ)).toEqual(stored.map((_, i) => i + 1));
		// The rule-found deviations of the set-up: the baseline visit out of order, the dose.
		const visitRule = rows.find((r) => r.DVCAT === 'VISIT WINDOW');
		expect(visitRule).toMatchObject({ VISIT: 'Baseline', DVSTDTC: '2026-10-02', DVSTDY: -49 });
		expect(rows.at(-1)).toEqual({
			STUDYID: 'MDMA-TRD-01',
			DOMAIN: 'DV',
			USUBJID: `MDMA-TRD-01-${p.subjectCode}`,
			DVSEQ: rows.length,
			DVSPID: `DV-${manual.id}`,
			DVTERM: 'Consent form page 3 not initialled',
			DVCAT: 'INFORMED CONSENT',
			DVSCAT: 'IMPORTANT',
			VISITNUM: null,
			VISIT: null,
			DVSTDTC: '2026-11-21T09:00:00Z', // Oslo, UTC+1 in November
			DVSTDY: 2
		});
		expect(rows.some((r) => r.DVSPID === `DV-${wrong.id}`)).toBe(false);
		const check = new ConformanceCheck(SDTM_DATASETS.DV.spec);
		for (const r of rows) check.add(r);
		expect(check.findings()).toEqual([]);
	});

	it('qualifies each record in SUPPDV: its importance, and the rule that found it', async () => {
		const p = await dosedParticipant();
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await reportDeviation(c, p.id, {
			category: 'OTHER',
			description: 'Diary not returned',
			occurredAt: '2026-11-21T10:00',
			important: 'no'
		});
		const stored = await t.db
			.selectFrom('protocol_deviation')
			.select(['id', 'important', 'rule_id'])
			.where('entered_in_error_at', 'is', null)
			.orderBy('id')
			.execute();
		expect(stored.some((d) => d.rule_id !== null)).toBe(true);
		const dv = await rowsOf('DV');
		const supp = await rowsOf('SUPPDV');
		const of = (seq: unknown, qnam: string) =>
			supp.filter((r) => r.IDVARVAL === String(seq) && r.QNAM === qnam);
		for (const [i, d] of stored.entries()) {
			const row = dv[i]!;
			expect(of(row.DVSEQ, 'DVIMPT')).toEqual([
				{
					STUDYID: 'MDMA-TRD-01',
					RDOMAIN: 'DV',
					USUBJID: row.USUBJID,
					IDVAR: 'DVSEQ',
					IDVARVAL: String(row.DVSEQ),
					QNAM: 'DVIMPT',
					QLABEL: 'Important Protocol Deviation',
					QVAL: Number(d.important) === 1 ? 'Y' : 'N',
					QORIG: 'Derived',
					QEVAL: null
				}
			]);
			// The same importance DVSCAT gives.
			expect(row.DVSCAT).toBe(Number(d.important) === 1 ? 'IMPORTANT' : 'NOT IMPORTANT');
			const rule = of(row.DVSEQ, 'DVRULE');
			expect(rule.map((r) => r.QVAL)).toEqual(d.rule_id ? [d.rule_id] : []);
		}
		expect(supp).toHaveLength(stored.length + stored.filter((d) => d.rule_id).length);
		expect(await SDTM_DATASETS.SUPPDV.count(t.db, { siteIds: 'all' }, protocolLookup(t.db))).toBe(
			supp.length
		);
		const check = new ConformanceCheck(SDTM_DATASETS.SUPPDV.spec);
		for (const r of supp) check.add(r);
		expect(check.findings()).toEqual([]);
		expect(new Set(supp.map((r) => `${r.USUBJID}|${r.IDVARVAL}|${r.QNAM}`)).size).toBe(supp.length);
	});
});

describe('QS', () => {
	it('groups an administration, flags the last before the dose and never scores "not assessed"', async () => {
		await dosedParticipant();
		const rows = await rowsOf('QS');
		const madrsTotals = rows.filter((r) => r.QSTESTCD === 'MADRSTOT');
		expect(madrsTotals.map((r) => [r.QSSTRESN, r.QSLOBXFL, r.QSEVLINT])).toEqual([
			[20, null, '-P1W'],
			[30, 'Y', '-P1W'], // the later of the two baseline administrations
			[10, null, '-P1W'] // after the dose
		]);
		const groups = new Set(rows.filter((r) => r.QSCAT === 'MADRS').map((r) => r.QSGRPID));
		expect(groups.size).toBe(3);
		const item16 = rows.find((r) => r.QSTESTCD === 'HAMD116');
		expect(item16).toMatchObject({
			QSCAT: 'HAMD 17',
			QSORRES: null,
			QSSTRESC: null,
			QSSTRESN: null,
			QSSTAT: 'NOT DONE',
			QSREASND: 'NOT ASSESSED',
			QSLOBXFL: null
		});
		expect(rows.find((r) => r.QSTESTCD === 'HAMD1TOT')).toMatchObject({ QSSTRESN: 16 });
	});
});

describe('VS', () => {
	it('fills VSSTRESC and leaves timepoint variables off unscheduled readings', async () => {
		await dosedParticipant();
		const rows = await rowsOf('VS');
		for (const r of rows) expect(r.VSSTRESC).toBe(String(r.VSSTRESN));
		const unscheduled = rows.find((r) => r.VSDTC === '2026-11-20T10:15:00Z')!;
		expect(unscheduled).toMatchObject({ VSTPT: null, VSELTM: null, VSTPTNUM: null });
		expect(rows.filter((r) => r.VSLOBXFL === 'Y').map((r) => r.VSTESTCD)).toEqual([
			'SYSBP',
			'DIABP',
			'PULSE',
			'TEMP'
		]);
	});
});

describe('VS readings not done', () => {
	it('writes one VSALL record per reading not done, with VSSTAT NOT DONE, the reason and the planned time', async () => {
		const p = await dosedParticipant();
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const s = await t.db
			.selectFrom('dosing_session')
			.select('id')
			.where('participant_id', '=', p.id)
			.executeTakeFirstOrThrow();
		const asked = (await updateDosingSession(c, s.id, {
			endedAt: '2026-11-20T11:45',
			askMissing: true
		}).catch((e: unknown) => e)) as MissingReadings;
		expect(asked).toBeInstanceOf(MissingReadings);
		const reasons = Object.fromEntries(
			asked.missing.map((m, i) => [
				m.key,
				i === 0 ? 'Participant asleep; not woken' : 'Cuff failed'
			])
		);
		await updateDosingSession(c, s.id, { endedAt: '2026-11-20T11:45', notDone: reasons });
		const notDone = await t.db
			.selectFrom('vital_reading')
			.selectAll()
			.where('not_done_reason', 'is not', null)
			.orderBy('measured_at')
			.execute();
		expect(notDone).toHaveLength(asked.missing.length);

		const rows = await rowsOf('VS');
		const skipped = rows.filter((r) => r.VSSTAT === 'NOT DONE');
		expect(skipped).toHaveLength(notDone.length);
		expect(skipped[0]).toMatchObject({
			VSTESTCD: 'VSALL',
			VSTEST: 'Vital Signs',
			VSREASND: 'Participant asleep; not woken',
			VSORRES: null,
			VSORRESU: null,
			VSSTRESC: null,
			VSSTRESN: null,
			VSSTRESU: null,
			VSLOBXFL: null,
			VSTPT: notDone[0]!.timepoint_label,
			VSDTC: notDone[0]!.measured_at.replace(/\.000Z$/, 'Z'),
			VSDY: 1
		});
		expect(skipped[0]!.VSTPTNUM).toEqual(expect.any(Number));
		expect(skipped.slice(1).every((r) => r.VSREASND === 'Cuff failed')).toBe(true);
		// Measured rows carry no status; the count the exports page shows matches the file.
		expect(rows.filter((r) => r.VSSTAT === null).every((r) => r.VSREASND === null)).toBe(true);
		expect(await SDTM_DATASETS.VS.count(t.db, { siteIds: 'all' })).toBe(rows.length);
		const check = new ConformanceCheck(SDTM_DATASETS.VS.spec);
		for (const r of rows) check.add(r);
		expect(check.findings()).toEqual([]);
	});
});

describe('site country (DM.COUNTRY)', () => {
	it('takes an ISO 3166-1 alpha-3 code, keeps it when an update leaves it out, and audits it', async () => {
		const { createSite, updateSite } = await import('../../src/lib/server/services/people/sites');
		await expect(
			createSite(t.system, { code: 'C1', name: 'C', timezone: 'UTC', country: 'NO' })
		).rejects.toMatchObject({
			fieldErrors: { country: ['Use the ISO 3166-1 three-letter code, such as NOR, USA or GBR.'] }
		});
		const site = await createSite(t.system, {
			code: 'C1',
			name: 'C',
			timezone: 'UTC',
			country: 'gbr'
		});
		expect(site.country).toBe('GBR');
		const renamed = await updateSite(t.system, site.id, {
			name: 'C2',
			timezone: 'UTC',
			reason: 'x' + 'yz'
		});
		expect(renamed.country).toBe('GBR');
		const cleared = await updateSite(t.system, site.id, {
			name: 'C2',
			timezone: 'UTC',
			country: '',
			reason: 'not known'
		});
		expect(cleared.country).toBeNull();
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['old_values', 'new_values'])
			.where('action', '=', 'site.update')
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.new_values!)).toEqual({ country: null });
		expect(JSON.parse(audit.old_values!)).toEqual({ country: 'GBR' });
	});
});

describe('DS and CM', () => {
	it('has the consent milestone, a withdrawal with its recorded time, and RFICDTC from consent', async () => {
		const p = await dosedParticipant();
		const { changeParticipantStatus } =
			await import('../../src/lib/server/services/capture/participants');
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await changeParticipantStatus(c, p.id, { status: 'withdrawn', reason: 'Moved away' });
		const rows = await rowsOf('DS');
		expect(rows.map((r) => [r.DSSEQ, r.DSCAT, r.DSDECOD, r.DSTERM, r.DSSTDTC])).toEqual([
			[
				1,
				'PROTOCOL MILESTONE',
				'INFORMED CONSENT OBTAINED',
				'INFORMED CONSENT OBTAINED',
				'2026-10-01T07:00:00Z'
			],
			[2, 'DISPOSITION EVENT', 'WITHDRAWAL BY SUBJECT', 'Moved away', '2026-11-25T15:00:00Z']
		]);
		expect(rows[0]!.DSSTDY).toBe(-50);
		const [dm] = await rowsOf('DM');
		expect(dm).toMatchObject({
			RFICDTC: '2026-10-01T07:00:00Z',
			RFENDTC: '2026-11-24T09:00:00Z' // withdrawn: the last contact
		});
	});

	it('writes medications with their partial dates and ATC class', async () => {
		await dosedParticipant();
		expect(await rowsOf('CM')).toEqual([
			expect.objectContaining({
				CMSEQ: 1,
				CMTRT: 'Zoloft 50 mg',
				CMCLASCD: expect.stringMatching(/^N06AB/),
				CMDOSE: 50,
				CMDOSU: 'mg',
				CMSTDTC: '2024-03',
				CMENDTC: '2026-09',
				CMSTDY: null
			})
		]);
	});
});
