// End to end: the demo study exported as an auditor bundle, and the whole submission set checked
// as a reviewer would: every SDTM dataset passes the conformance checks, each .xpt file read back
// by readstat equals its .csv, and define.xml validates against the Define-XML 2.1 schema and
// describes exactly the variables of the files, all under the signed manifest.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceCheck, isNumeric } from '../../src/lib/domain/sdtm';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { generateDemoData } from '../../src/lib/server/demo/generate';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { isSuppDomain, SDTM_DOMAINS, type SdtmDomain } from '../../src/lib/server/export/filters';
import { protocolLookup } from '../../src/lib/server/services/protocol/studies';
import { SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import { systemContext } from '../../src/lib/server/runtime/context';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import { verifyBundle } from '../../src/lib/server/export/bundle-verify';
import { spreadsheetSafe } from '../../src/lib/spreadsheet-safe';
import { entry, readEntries, saveStream, type Entries } from '../helpers/bundle-files';
import { parseCsv } from '../helpers/csv';

const SCHEMA = 'tests/fixtures/define-xml-2.1/cdisc-define-2.1/define2-1-0.xsd';
let db: Db;
let dir: string;
let entries: Entries;
const key = ephemeralSigningKey();

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-demo-export-'));
	db = openDatabase(':memory:').db;
	await migrateToLatest(db);
	await seedDemo(db, 'a-long-demo-password');
	await generateDemoData(db, {
		participants: 10,
		seed: 7,
		today: new Date('2026-11-20T12:00:00Z')
	});
	const ctx = systemContext(db, 'test');
	const bundle = await createAuditorBundle(ctx, {}, { key });
	const file = join(dir, 'bundle.tar.gz');
	await saveStream(bundle.stream, file);
	entries = await readEntries(file);
	const report = await verifyBundle(file, {
		pinned: { fingerprint: key.fingerprint, source: 'the test key' }
	});
	expect(report.problems).toEqual([]);
}, 240_000);

afterAll(async () => {
	await db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

/** Datasets the demo fills: all but the SUPP-- of long text (SUPPDV qualifies every deviation). */
const filled = (d: SdtmDomain) => !isSuppDomain(d) || d === 'SUPPDV';

describe('the demo study as a submission set', () => {
	it('holds every dataset as CSV and XPT, and define.xml, under the signed manifest', () => {
		const manifest = JSON.parse(entry(entries, 'manifest.json').content.toString()) as {
			files: Array<{ name: string }>;
		};
		const names = manifest.files.map((f) => f.name);
		for (const d of SDTM_DOMAINS) {
			// The demo's texts are all within 200 bytes: only SUPPDV (each deviation's qualifiers)
			// has rows; an empty SUPP-- is not sent.
			const expectation = filled(d) ? expect(names) : expect(names).not;
			expectation.toContain(`${d.toLowerCase()}.csv`);
			expectation.toContain(`${d.toLowerCase()}.xpt`);
		}
		expect(names).toContain('define.xml');
		expect(names).toContain('odm.xml');
	});

	it.each(SDTM_DOMAINS.map((d) => [d]))('%s passes the reviewer checks', async (domain) => {
		const check = new ConformanceCheck(SDTM_DATASETS[domain].spec);
		for await (const row of SDTM_DATASETS[domain].rows(
			db,
			{ siteIds: 'all' },
			protocolLookup(db)
		)) {
			check.add(row);
		}
		// The demo records no concomitant medications; every other dataset has rows.
		if (domain === 'CM' || !filled(domain)) expect(check.rowCount).toBe(0);
		else expect(check.rowCount, domain).toBeGreaterThan(0);
		// The demo codes every adverse event, so nothing is left for a reviewer to find.
		expect(check.findings()).toEqual([]);
	});

	it.each(SDTM_DOMAINS.filter(filled).map((d) => [d]))(
		'%s: the .xpt read by readstat equals the .csv',
		(domain) => {
			const name = domain.toLowerCase();
			const path = join(dir, `${name}.xpt`);
			writeFileSync(path, entry(entries, `${name}.xpt`).content);
			const [header, ...rows] = parseCsv(entry(entries, `${name}.csv`).content.toString());
			const [xHeader, ...xRows] = parse(
				execFileSync('readstat', [path, '-'], { encoding: 'utf8' }),
				{
					relax_column_count: false
				}
			) as string[][];
			expect(xHeader).toEqual(header);
			expect(xRows).toHaveLength(rows.length);
			const numeric = new Set(
				SDTM_DATASETS[domain].spec.variables.filter(isNumeric).map((v) => v.name)
			);
			rows.forEach((row, r) =>
				header!.forEach((col, c) => {
					const [ours, theirs] = [row[c]!, xRows[r]![c]!];
					if (numeric.has(col)) {
						expect(theirs === '' ? '' : Number(theirs), `${domain} ${r} ${col}`).toBe(
							ours === '' ? '' : Number(ours)
						);
					} else {
						expect(spreadsheetSafe(theirs), `${domain} ${r} ${col}`).toBe(ours);
					}
				})
			);
		}
	);

	it('has a define.xml that validates and lists exactly the variables of the files', () => {
		const xml = entry(entries, 'define.xml').content.toString();
		const path = join(dir, 'define.xml');
		writeFileSync(path, xml);
		const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, path], {
			encoding: 'utf8'
		});
		expect(`${run.stdout}${run.stderr}`).toContain('validates');
		expect(run.status).toBe(0);
		for (const domain of SDTM_DOMAINS.filter(filled)) {
			const group = new RegExp(
				`<ItemGroupDef [^>]*Name="${domain}"[^>]*>([\\s\\S]*?)</ItemGroupDef>`
			).exec(xml)![1]!;
			const listed = [...group.matchAll(/ItemOID="IT\.[A-Z]+\.([A-Z0-9]+)"/g)].map((m) => m[1]);
			const [header] = parseCsv(entry(entries, `${domain.toLowerCase()}.csv`).content.toString());
			expect(listed, domain).toEqual(header);
		}
		for (const domain of SDTM_DOMAINS.filter((d) => !filled(d))) {
			expect(xml).toMatch(new RegExp(`Name="${domain}"[^>]*def:HasNoData="Yes"`));
		}
	});
});
