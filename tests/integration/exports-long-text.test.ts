// Text over 200 bytes, as users may type it (a deviation described in 450 characters, a 300-
// character verbatim AE term, a conmed name in Japanese), exports whole: the parent variable holds
// the first part and SUPP-- the rest (SDTMIG v3.4 §4.5.3.2), in the CSV, in the XPT files read
// back by readstat, in define.xml and in the auditor bundle; conformance finds nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConformanceCheck, type SdtmRow } from '../../src/lib/domain/sdtm';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { verifyBundle } from '../../src/lib/server/export/bundle-verify';
import { SDTM_DOMAINS, type SdtmDomain } from '../../src/lib/server/export/filters';
import { SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import {
	exportDefineXml,
	exportDomainCsv,
	exportDomainXpt,
	exportOverview
} from '../../src/lib/server/services/audit/exports';
import { reportDeviation } from '../../src/lib/server/services/protocol/deviations';
import { protocolLookup } from '../../src/lib/server/services/protocol/studies';
import { recordConmed } from '../../src/lib/server/services/trial/conmeds';
import { entry, readEntries, saveStream } from '../helpers/bundle-files';
import { parseCsv } from '../helpers/csv';
import { actorFor, type TestDb, freshDbEach } from '../helpers/db';
import { sdtmRecords } from '../helpers/sdtm-records';

const SCHEMA = 'tests/fixtures/define-xml-2.1/cdisc-define-2.1/define2-1-0.xsd';
const now = () => new Date('2026-11-25T15:00:00Z');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

// 450 characters in words, 300 characters of a verbatim term, 150 characters (408 bytes) of a
// conmed name as written on a Japanese box.
const DESCRIPTION =
	'The dose was given 40 minutes late because the pharmacy had not released the kit; '
		.repeat(6)
		.slice(0, 450);
const TERM = `${'tight chest, racing heart and jaw clenching after the dose; '.repeat(5)}`.trim();
const CONMED = Array.from({ length: 15 }, () => 'セルトラリン錠五十ミリ')
	.join(' ')
	.slice(0, 150);

let t: TestDb;
let dir: string;
freshDbEach((db) => (t = db));
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-long-text-test-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

async function longRecords() {
	const p = await sdtmRecords(t, now, TERM);
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	await reportDeviation(c, p.id, {
		category: 'OTHER',
		description: DESCRIPTION,
		occurredAt: '2026-11-21T10:00',
		important: 'no'
	});
	await recordConmed(c, p.id, { name: CONMED, start: '2025-01', route: 'ORAL' });
}

/** A table as rows of name → value, from its header. */
function table([header, ...rows]: string[][]): Array<Record<string, string>> {
	return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

async function csvOf(domain: SdtmDomain) {
	const admin = await actorFor(t, 'admin', [], now);
	const file = await exportDomainCsv(admin, domain, {});
	return table(parseCsv(await new Response(file.stream).text()));
}

/** The XPT export read back by readstat, the independent reader. */
async function xptOf(domain: SdtmDomain) {
	const admin = await actorFor(t, 'admin', [], now);
	const file = await exportDomainXpt(admin, domain, {});
	const path = join(dir, `${domain.toLowerCase()}.xpt`);
	writeFileSync(path, Buffer.from(await new Response(file.stream).arrayBuffer()));
	return table(parse(execFileSync('readstat', [path, '-'], { encoding: 'utf8' })) as string[][]);
}

/** --SEQ as IDVARVAL holds it (readstat prints numbers with six decimals). */
const sequence = (value: string | undefined) => String(Number(value));

/** The parent's value and its SUPP-- parts in QNAM order, joined. */
function joined(
	parent: Record<string, string>,
	supp: Array<Record<string, string>>,
	variable: string,
	seq: string
): string {
	const parts = supp
		.filter((s) => s.IDVARVAL === sequence(parent[seq]) && s.USUBJID === parent.USUBJID)
		.filter((s) => s.QNAM!.startsWith(variable.slice(0, 6)))
		.sort((a, b) => Number(/\d+$/.exec(a.QNAM!)![0]) - Number(/\d+$/.exec(b.QNAM!)![0]));
	return [parent[variable], ...parts.map((s) => s.QVAL)].join('');
}

const CASES = [
	{ domain: 'DV', supp: 'SUPPDV', variable: 'DVTERM', text: DESCRIPTION, qnams: 3 },
	{ domain: 'AE', supp: 'SUPPAE', variable: 'AETERM', text: TERM, qnams: 2 },
	{ domain: 'CM', supp: 'SUPPCM', variable: 'CMTRT', text: CONMED, qnams: 3 }
] as const;

describe('text over 200 bytes', () => {
	it('is of the expected size: over 200 bytes, within what the forms accept', () => {
		expect(DESCRIPTION).toHaveLength(450);
		expect(TERM.length).toBeGreaterThanOrEqual(290);
		expect(TERM.length).toBeLessThanOrEqual(500);
		expect(CONMED.length).toBeLessThanOrEqual(200);
		expect(bytes(CONMED)).toBeGreaterThan(400);
	});

	it.each(['csv', 'xpt'] as const)(
		'exports whole as %s: the parent cut, the SUPP-- rows holding the rest',
		async (format) => {
			await longRecords();
			const read = format === 'csv' ? csvOf : xptOf;
			for (const c of CASES) {
				const parents = await read(c.domain);
				// The parts of the long text (SUPPDV also qualifies every deviation: DVIMPT, DVRULE).
				const supp = (await read(c.supp)).filter((s) => s.QNAM!.startsWith(c.variable));
				const parent = parents.find((r) => c.text.startsWith(r[c.variable]!) && r[c.variable])!;
				expect(parent, c.domain).toBeDefined();
				expect(bytes(parent[c.variable]!)).toBeLessThanOrEqual(200);
				expect(parent[c.variable]!.length).toBeLessThan(c.text.length);
				const seq = `${c.domain}SEQ`;
				expect(joined(parent, supp, c.variable, seq), c.domain).toBe(c.text);
				expect(supp).toHaveLength(c.qnams - 1);
				supp.forEach((s, i) => {
					expect(bytes(s.QVAL!)).toBeLessThanOrEqual(200);
					expect(s).toMatchObject({
						STUDYID: parent.STUDYID,
						RDOMAIN: c.domain,
						USUBJID: parent.USUBJID,
						IDVAR: seq,
						IDVARVAL: sequence(parent[seq]),
						QNAM: `${c.variable}${i + 1}`,
						QORIG: 'Collected',
						QEVAL: ''
					});
					expect(s.QLABEL).toMatch(new RegExp(` ${i + 1}$`));
				});
			}
			// Short text is left alone: the other AE and conmed keep theirs whole.
			expect((await read('CM')).map((r) => r.CMTRT)).toContain('Zoloft 50 mg');
			expect(await read('SUPPVS')).toEqual([]);
		}
	);

	it('leaves every dataset conformant, and counts the SUPP-- rows on the exports page', async () => {
		await longRecords();
		for (const domain of SDTM_DOMAINS) {
			const check = new ConformanceCheck(SDTM_DATASETS[domain].spec);
			const rows: SdtmRow[] = [];
			const read = SDTM_DATASETS[domain].rows(t.db, { siteIds: 'all' }, protocolLookup(t.db));
			for await (const row of read) rows.push(row);
			for (const row of rows) check.add(row);
			expect(check.findings(), domain).toEqual([]);
		}
		const admin = await actorFor(t, 'admin', [], now);
		const { counts } = await exportOverview(admin, {});
		expect(counts).toMatchObject({ SUPPAE: 1, SUPPCM: 2, SUPPVS: 0, SUPPDM: 0 });
		// SUPPDV: the two further parts of the long DVTERM, and each deviation's qualifiers.
		const deviations = await t.db
			.selectFrom('protocol_deviation')
			.select('rule_id')
			.where('entered_in_error_at', 'is', null)
			.execute();
		const qualifiers = deviations.length + deviations.filter((d) => d.rule_id).length;
		expect(counts.SUPPDV).toBe(2 + qualifiers);
	});

	it('is described in define.xml, valid against the Define-XML 2.1 schema', async () => {
		await longRecords();
		const admin = await actorFor(t, 'admin', [], now);
		const xml = await new Response((await exportDefineXml(admin, {})).stream).text();
		const file = join(dir, 'define.xml');
		writeFileSync(file, xml);
		const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file], {
			encoding: 'utf8'
		});
		expect(`${run.stdout}${run.stderr}`).toContain('validates');
		expect(run.status).toBe(0);
		const group = (name: string) =>
			new RegExp(`<ItemGroupDef [^>]*Name="${name}"[^>]*>[\\s\\S]*?</ItemGroupDef>`).exec(xml)?.[0];
		const suppae = group('SUPPAE')!;
		expect(suppae).toMatch(/Domain="AE"/);
		expect(suppae).toContain('<def:Class Name="RELATIONSHIP"/>');
		expect(suppae).toContain('xlink:href="suppae.xpt"');
		expect(suppae).not.toContain('HasNoData');
		const suppvs = group('SUPPVS')!;
		expect(suppvs).toMatch(/def:HasNoData="Yes"/);
		expect(suppvs).not.toContain('def:leaf');
		expect(suppvs).not.toContain('ArchiveLocationID');
		// QVAL as long as the longest part; the parents within 200.
		const length = (oid: string) =>
			Number(new RegExp(`OID="${oid}"[^>]*Length="(\\d+)"`).exec(xml)?.[1]);
		expect(length('IT.SUPPDV.QVAL')).toBeLessThanOrEqual(200);
		expect(length('IT.SUPPDV.QVAL')).toBeGreaterThan(100);
		expect(length('IT.DV.DVTERM')).toBeLessThanOrEqual(200);
	});

	it('lets the auditor bundle build, with the SUPP-- files that have rows', async () => {
		await longRecords();
		const admin = await actorFor(t, 'admin', [], now);
		const b = await createAuditorBundle(admin, {}, { key: ephemeralSigningKey() });
		const file = join(dir, 'bundle.tar.gz');
		await saveStream(b.stream, file);
		const report = await verifyBundle(file);
		expect(report.problems).toEqual([]);
		expect(report.ok).toBe(true);
		const entries = await readEntries(file);
		const names = entries.map((e) => e.name);
		for (const name of ['suppdv', 'suppae', 'suppcm']) {
			expect(names).toContain(`${name}.xpt`);
			expect(names).toContain(`${name}.csv`);
		}
		for (const name of ['suppdm', 'suppvs', 'suppqs', 'suppex']) {
			expect(names).not.toContain(`${name}.xpt`);
			expect(names).not.toContain(`${name}.csv`);
		}
		const csv = table(parseCsv(entry(entries, 'suppdv.csv').content.toString()));
		const dv = table(parseCsv(entry(entries, 'dv.csv').content.toString()));
		const parent = dv.find((r) => r.DVTERM && DESCRIPTION.startsWith(r.DVTERM))!;
		expect(joined(parent, csv, 'DVTERM', 'DVSEQ')).toBe(DESCRIPTION);
		expect(entry(entries, 'define.xml').content.toString()).toMatch(
			/Name="SUPPVS"[^>]*def:HasNoData="Yes"/
		);
		// The bundle writes each SUPP-- from its parent's one read: the same bytes as the SUPP--
		// (and the parent) downloaded alone, which read the database for themselves.
		for (const domain of ['DV', 'SUPPDV', 'AE', 'SUPPAE', 'CM', 'SUPPCM'] as const) {
			const alone = await new Response((await exportDomainCsv(admin, domain, {})).stream).text();
			expect(entry(entries, `${domain.toLowerCase()}.csv`).content.toString(), domain).toBe(alone);
			const xpt = Buffer.from(
				await new Response((await exportDomainXpt(admin, domain, {})).stream).arrayBuffer()
			);
			const bundled = entry(entries, `${domain.toLowerCase()}.xpt`).content;
			expect(Buffer.compare(bundled, xpt), domain).toBe(0);
		}
		// Its define.xml, made from the lengths the XPT files measured, says what define.xml
		// downloaded alone says: every variable's and every qualifier's (QVAL's value list) length.
		const defineAlone = await new Response((await exportDefineXml(admin, {})).stream).text();
		expect(defineAlone).toMatch(/OID="IT.SUPPDV.QVAL.DVRULE"[^>]*Length="(?!1")\d+"/);
		expect(entry(entries, 'define.xml').content.toString()).toBe(defineAlone);
	});
});
