// Every SDTM dataset as a SAS XPORT v5 file, read back by an independent reader: Debian's
// `readstat` (the ReadStat library behind R's haven and Python's pyreadstat). Every value must
// equal the CSV export's; names, the dataset label and the row count must be what we wrote.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNumeric } from '../../src/lib/domain/sdtm';
import { isSuppDomain, SDTM_DOMAINS, type SdtmDomain } from '../../src/lib/server/export/filters';
import { SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import { xptChunks } from '../../src/lib/server/export/xpt/writer';
import { exportDomainCsv, exportDomainXpt } from '../../src/lib/server/services/audit/exports';
import { spreadsheetSafe } from '../../src/lib/spreadsheet-safe';
import { parseCsv } from '../helpers/csv';
import { actorFor, type TestDb, freshDbEach } from '../helpers/db';
import { sdtmRecords } from '../helpers/sdtm-records';

let t: TestDb;
let dir: string;
freshDbEach((db) => (t = db));
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-xpt-test-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

const now = () => new Date('2026-11-25T15:00:00Z');

/** readstat's view of a file: its metadata lines and its rows as CSV. */
function readBack(path: string) {
	const meta = execFileSync('readstat', [path], { encoding: 'utf8' });
	const csv = execFileSync('readstat', [path, '-'], { encoding: 'utf8' });
	const [header, ...rows] = parse(csv, { relax_column_count: false }) as string[][];
	const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(meta)?.[1];
	return { header: header!, rows, table: field('Table name'), label: field('Table label'), meta };
}

async function bytesOf(stream: ReadableStream<Uint8Array>) {
	return Buffer.from(await new Response(stream).arrayBuffer());
}

/** The CSV export's rows and the XPT export read back by readstat, for one domain. */
async function bothFiles(domain: SdtmDomain) {
	const admin = await actorFor(t, 'admin', [], now);
	const csv = parseCsv(
		await new Response((await exportDomainCsv(admin, domain, {})).stream).text()
	);
	const file = await exportDomainXpt(admin, domain, {});
	const bytes = await bytesOf(file.stream);
	const path = join(dir, `${domain.toLowerCase()}.xpt`);
	writeFileSync(path, bytes);
	return { csv, xpt: readBack(path), bytes, file };
}

describe('SAS XPORT v5 files', () => {
	it.each(SDTM_DOMAINS.map((d) => [d]))(
		'%s reads back in readstat equal to the CSV',
		async (domain) => {
			await sdtmRecords(t, now, 'kvalme ø, "tight" chest');
			const { csv, xpt, bytes } = await bothFiles(domain);
			const spec = SDTM_DATASETS[domain].spec;
			expect(bytes.length % 80).toBe(0);
			expect(bytes.subarray(0, 80).toString('latin1')).toBe(
				'HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  '
			);
			expect(xpt.table).toBe(domain);
			expect(xpt.label).toBe(spec.label);
			expect(xpt.meta).toMatch(/Format version: 5/);
			const [header, ...rows] = csv;
			expect(xpt.header).toEqual(header);
			// SUPP-- has rows only for text over 200 bytes (exports-long-text.test.ts).
			if (!isSuppDomain(domain)) expect(rows.length).toBeGreaterThan(0);
			expect(xpt.rows).toHaveLength(rows.length);
			const numeric = new Set(spec.variables.filter(isNumeric).map((v) => v.name));
			rows.forEach((row, r) => {
				header!.forEach((name, c) => {
					const [ours, theirs] = [row[c]!, xpt.rows[r]![c]!];
					const where = `${domain} row ${r + 1} ${name}`;
					if (numeric.has(name)) {
						// readstat prints numbers with six decimals; the IBM double is exact.
						expect(theirs === '' ? '' : Number(theirs), where).toBe(
							ours === '' ? '' : Number(ours)
						);
					} else {
						expect(spreadsheetSafe(theirs), where).toBe(ours);
					}
				});
			});
		}
	);

	it('sizes each character variable to its longest value', async () => {
		await sdtmRecords(t, now);
		const { bytes } = await bothFiles('EX');
		// NAMESTRs start after 8 header records (640 bytes); 140 bytes each.
		const namestr = (i: number) => bytes.subarray(640 + 140 * i, 640 + 140 * (i + 1));
		const lengthOf = (name: string) => {
			for (let i = 0; i < SDTM_DATASETS.EX.spec.variables.length; i++) {
				const n = namestr(i);
				if (n.subarray(8, 16).toString('latin1').trim() === name) {
					return {
						type: n.readInt16BE(0),
						length: n.readInt16BE(4),
						label: n.subarray(16, 56).toString('latin1').trim()
					};
				}
			}
			return null;
		};
		expect(lengthOf('EXTPT')).toEqual({
			type: 2,
			length: 'SUPPLEMENTAL DOSE'.length,
			label: 'Planned Time Point Name'
		});
		expect(lengthOf('EXTRT')).toEqual({ type: 2, length: 4, label: 'Name of Treatment' });
		expect(lengthOf('EXDOSE')).toEqual({ type: 1, length: 8, label: 'Dose' });
	});

	it('writes an empty dataset as a valid file with no rows', async () => {
		const { xpt, csv } = await bothFiles('AE');
		expect(csv).toHaveLength(1);
		expect(xpt.header).toEqual(csv[0]);
		expect(xpt.rows).toEqual([]);
	});

	it('refuses a character value over 200 bytes rather than cut it', async () => {
		const rows = (async function* () {
			yield { STUDYID: 'S', DOMAIN: 'EX', USUBJID: 'S-1', EXSEQ: 1, EXTRT: 'x'.repeat(201) };
		})();
		const chunks = xptChunks(SDTM_DATASETS.EX.spec, rows, now());
		await expect(chunks.next()).rejects.toThrow('EX.EXTRT holds a value over 200 bytes');
	});

	it('is audited like the CSV, as sdtm-xpt', async () => {
		await sdtmRecords(t, now);
		const { file } = await bothFiles('VS');
		expect(file.filename).toMatch(/^vigil-vs-\d{8}T\d{6}Z\.xpt$/);
		const audit = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'export.create')
			.orderBy('seq', 'desc')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.new_values!)).toMatchObject({ kind: 'sdtm-xpt', domain: 'VS' });
	});
});
