// define.xml: valid against the official Define-XML 2.1 schema (a copy in tests/fixtures, as the
// ODM schema), and describing exactly the datasets and variables the files hold, with the
// lengths the XPT files use.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CODELISTS, CT_PACKAGES, ctTermFinding } from '../../src/lib/domain/sdtm';
import { SDTM_DOMAINS } from '../../src/lib/server/export/filters';
import { SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import {
	exportDefineXml,
	exportDomainCsv,
	exportDomainXpt
} from '../../src/lib/server/services/audit/exports';
import type { Executor } from '../../src/lib/server/db';
import { defineXml } from '../../src/lib/server/export/define/define-xml';
import { defineDocument, measuredDatasets } from '../../src/lib/server/export/define/measure';
import { protocolLookup } from '../../src/lib/server/services/protocol/studies';
import { FLUSH } from '../../src/lib/server/export/stream';
import { inlineReads } from '../../src/lib/server/reads/executor';
import { parseCsv } from '../helpers/csv';
import { actorFor, type TestDb, freshDbEach } from '../helpers/db';
import { sdtmRecords } from '../helpers/sdtm-records';

const SCHEMA = 'tests/fixtures/define-xml-2.1/cdisc-define-2.1/define2-1-0.xsd';

let t: TestDb;
let dir: string;
freshDbEach((db) => (t = db));
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'vigil-define-test-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

const now = () => new Date('2026-11-25T15:00:00Z');

function validateDefine(xml: string, folder: string): { ok: boolean; output: string } {
	const file = join(folder, `define-${Date.now()}.xml`);
	writeFileSync(file, xml);
	const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file], {
		encoding: 'utf8'
	});
	if (run.error) throw new Error('xmllint is needed: apt-get install libxml2-utils');
	return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];

/** ItemGroupDef name → its variables' names, in order, from the ItemRefs and ItemDefs. */
function described(xml: string) {
	const groups = new Map<string, string[]>();
	for (const g of xml.matchAll(/<ItemGroupDef [^>]*>([\s\S]*?)<\/ItemGroupDef>/g)) {
		const name = attr(g[0], 'Name')!;
		const refs = [...g[1]!.matchAll(/<ItemRef [^>]*\/>/g)].map((r) => attr(r[0], 'ItemOID')!);
		groups.set(
			name,
			refs.map((oid) => oid.split('.').at(-1)!)
		);
	}
	const items = new Map<string, string>();
	for (const d of xml.matchAll(/<ItemDef [^>]*>/g)) items.set(attr(d[0], 'OID')!, d[0]);
	return { groups, items };
}

describe('define.xml', () => {
	it('validates against the Define-XML 2.1 schema and lists exactly the files\u2019 variables', async () => {
		await sdtmRecords(t, now);
		const admin = await actorFor(t, 'admin', [], now);
		const file = await exportDefineXml(admin, {});
		const xml = await new Response(file.stream).text();
		const result = validateDefine(xml, dir);
		expect(result.output).toContain('validates');
		expect(result.ok).toBe(true);
		const { groups, items } = described(xml);
		expect([...groups.keys()]).toEqual([...SDTM_DOMAINS]);
		for (const domain of SDTM_DOMAINS) {
			const csv = parseCsv(
				await new Response((await exportDomainCsv(admin, domain, {})).stream).text()
			);
			expect(groups.get(domain), domain).toEqual(csv[0]);
			for (const name of csv[0]!) expect(items.has(`IT.${domain}.${name}`)).toBe(true);
		}
		// One ItemDef per variable, and one per SUPPDV qualifier (QVAL's value-level metadata).
		const qualifiers = [...items.keys()].filter((oid) => oid.includes('.QVAL.'));
		expect(qualifiers).toEqual(['IT.SUPPDV.QVAL.DVIMPT', 'IT.SUPPDV.QVAL.DVRULE']);
		expect(items.size - qualifiers.length).toBe(
			SDTM_DOMAINS.reduce((n, d) => n + groups.get(d)!.length, 0)
		);
		expect(xml).toMatch(
			/<ItemDef OID="IT\.SUPPDV\.QVAL" [^>]*>[\s\S]*?<def:ValueListRef ValueListOID="VL\.SUPPDV\.QVAL"\/><\/ItemDef>/
		);
		expect(xml).toContain(
			'<def:ValueListDef OID="VL.SUPPDV.QVAL"><ItemRef ItemOID="IT.SUPPDV.QVAL.DVIMPT" OrderNumber="1" Mandatory="No" MethodOID="MT.SUPPDV.QVAL.DVIMPT" Role="Record Qualifier"><def:WhereClauseRef WhereClauseOID="WC.SUPPDV.QNAM.DVIMPT"/></ItemRef>'
		);
		expect(xml).toContain(
			'<def:WhereClauseDef OID="WC.SUPPDV.QNAM.DVIMPT"><RangeCheck Comparator="EQ" SoftHard="Soft" def:ItemOID="IT.SUPPDV.QNAM"><CheckValue>DVIMPT</CheckValue></RangeCheck></def:WhereClauseDef>'
		);
		expect(items.get('IT.SUPPDV.QVAL.DVIMPT')).toContain('Length="1"');
		expect(xml).toMatch(
			/<ItemDef OID="IT\.SUPPDV\.QVAL\.DVIMPT" [^>]*><Description><TranslatedText xml:lang="en">Important Protocol Deviation<\/TranslatedText><\/Description><CodeListRef CodeListOID="CL\.NY"\/>/
		);
		expect(xml).toContain('<MethodDef OID="MT.SUPPDV.QVAL.DVRULE"');
		expect(xml).toContain('def:DefineVersion="2.1.0"');
		expect(xml).toContain('<def:leaf ID="LF.DM" xlink:href="dm.xpt">');
		// Each codelist a variable uses, once, with its CDISC code.
		expect(xml).toContain('<CodeList OID="CL.NY" Name="No Yes Response" DataType="text"');
		expect(xml).toContain('<Alias Context="nci:ExtCodeID" Name="C66742"/>');
		expect(xml).toContain('<ExternalCodeList Dictionary="ISO 3166-1 alpha-3"');
		const used = new Set(
			Object.values(SDTM_DATASETS).flatMap((d) => d.spec.variables.map((v) => v.codelist))
		);
		for (const id of Object.keys(CODELISTS)) {
			expect(xml.includes(`OID="CL.${id}"`), id).toBe(used.has(id as keyof typeof CODELISTS));
		}
		// A derived variable points to its method.
		expect(xml).toMatch(/<ItemRef ItemOID="IT.DM.AGE"[^>]*MethodOID="MT.DM.AGE"/);
		expect(xml).toContain('<MethodDef OID="MT.DM.AGE"');
	});

	it('gives each text variable the length of its longest value, as the XPT file does', async () => {
		await sdtmRecords(t, now);
		const admin = await actorFor(t, 'admin', [], now);
		const xml = await new Response((await exportDefineXml(admin, {})).stream).text();
		const { items } = described(xml);
		expect(attr(items.get('IT.EX.EXTPT')!, 'Length')).toBe(String('SUPPLEMENTAL DOSE'.length));
		expect(attr(items.get('IT.EX.EXDOSE')!, 'Length')).toBe('3'); // 120
		expect(attr(items.get('IT.EX.EXSTDTC')!, 'Length')).toBeUndefined(); // a datetime
		const xpt = Buffer.from(
			await new Response((await exportDomainXpt(admin, 'EX', {})).stream).arrayBuffer()
		);
		const names = SDTM_DATASETS.EX.spec.variables.map((v) => v.name);
		const extpt = names.indexOf('EXTPT');
		expect(xpt.readInt16BE(640 + 140 * extpt + 4)).toBe('SUPPLEMENTAL DOSE'.length);
	});

	it('claims a CT release whose codelists hold every term the file lists', async () => {
		await sdtmRecords(t, now);
		const admin = await actorFor(t, 'admin', [], now);
		const xml = await new Response((await exportDefineXml(admin, {})).stream).text();
		const standard = /<def:Standard OID="STD.CT"[^>]*\/>/.exec(xml)![0];
		expect(attr(standard, 'Type')).toBe('CT');
		const version = attr(standard, 'Version')!;
		const pkg = CT_PACKAGES[version];
		expect(pkg, `CT ${version} is a package Vigil holds`).toBeDefined();
		let checked = 0;
		for (const cl of xml.matchAll(
			/<CodeList [^>]*def:StandardOID="STD.CT"[^>]*>([\s\S]*?)<\/CodeList>/g
		)) {
			const code = /<Alias Context="nci:ExtCodeID" Name="(C\d+)"\/>\s*$/.exec(cl[1]!)?.[1];
			expect(code, cl[0].slice(0, 80)).toBeDefined();
			for (const item of cl[1]!.matchAll(/<EnumeratedItem [^>]*>/g)) {
				const term = attr(item[0], 'CodedValue')!.replaceAll('&amp;', '&');
				const extended = attr(item[0], 'def:ExtendedValue') === 'Yes';
				expect(ctTermFinding(pkg!, code!, term, extended)).toBeNull();
				checked += 1;
			}
		}
		expect(checked).toBeGreaterThan(20);
		// A term the release does not publish is caught the same way.
		expect(ctTermFinding(pkg!, 'C66769', 'LIFE THREATENING', false)).not.toBeNull();
	});

	it('sends the part no row decides before reading any, then the same document as in one piece', async () => {
		await sdtmRecords(t, now);
		const study = { code: 'TRD-001', title: 'A study', protocolVersion: '1' };
		const scope = { siteIds: 'all' as const };
		// A database that cannot answer: the opening must not need it.
		const none = new Proxy({} as Executor, {
			get: () => {
				throw new Error('read before the opening was sent');
			}
		});
		const unread = defineDocument(none, scope, study, now(), protocolLookup(t.db));
		const opening = await unread.next();
		expect(opening.value).toMatch(/^<\?xml [^]*<def:Standards>[^]*<\/def:WhereClauseDef>$/);
		// Then every dataset's ItemGroupDef but the SUPP--'s (only theirs depends on the rows), and
		// a flush, still without reading.
		const groups: string[] = [];
		for (let next = await unread.next(); next.value !== FLUSH; next = await unread.next()) {
			groups.push(String(next.value));
		}
		const names = groups.map((g) => attr(g, 'Name'));
		expect(names).toEqual(['TV', 'DM', 'SV', 'DS', 'EX', 'CM', 'AE', 'DV', 'VS', 'QS']);
		await expect(unread.next()).rejects.toThrow('read before the opening was sent');

		let streamed = '';
		for await (const part of defineDocument(t.db, scope, study, now(), protocolLookup(t.db))) {
			if (part !== FLUSH) streamed += String(part);
		}
		const measured = await measuredDatasets(t.db, scope, protocolLookup(t.db));
		expect(streamed).toBe(defineXml(study, measured, now()));
		expect(streamed.startsWith(opening.value!)).toBe(true);
		expect(validateDefine(streamed, dir)).toEqual({ ok: true, output: expect.any(String) });
	});

	it('reaches the reader while the rows are still being read, and streams the rest as each domain is measured', async () => {
		await sdtmRecords(t, now);
		const study = { code: 'TRD-001', title: 'A study', protocolVersion: '1' };
		const scope = { siteIds: 'all' as const, pageSize: 2 };
		// Every query waits for its turn: the test lets the reading go one query at a time.
		let queries = 0;
		let release: () => void = () => {};
		let turn = new Promise<void>((r) => (release = r));
		const gated = t.db.withPlugin({
			transformQuery: (a) => a.node,
			async transformResult(a) {
				queries += 1;
				await turn;
				return a.result;
			}
		});
		const stream = inlineReads(gated).stream('defineXml', { scope, study, createdAt: now() });
		const reader = stream.getReader();
		const decoder = new TextDecoder();
		// The first bytes come while the first query is still held: nothing read yet.
		const first = decoder.decode((await reader.read()).value);
		expect(first).toMatch(/^<\?xml /);
		expect(first).toContain('<ItemGroupDef OID="IG.QS"');
		expect(first).not.toContain('<ItemDef ');
		expect(first).not.toContain('</ODM>');
		expect(queries).toBeLessThanOrEqual(1);
		// Let every query through; the rest comes in more than one piece (SUPPDM's group as soon
		// as DM is measured, …) and the whole is the document made in one piece.
		turn = Promise.resolve();
		release();
		const parts = [first];
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			parts.push(decoder.decode(next.value));
		}
		expect(parts.length).toBeGreaterThan(2);
		expect(parts[1]).toMatch(/^<ItemGroupDef OID="IG.SUPPDM"/);
		const measured = await measuredDatasets(t.db, scope, protocolLookup(t.db));
		expect(parts.join('')).toBe(defineXml(study, measured, now()));
	});

	it('is audited and needs one study', async () => {
		const admin = await actorFor(t, 'admin', [], now);
		await exportDefineXml(admin, {});
		const audit = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'export.create')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.new_values!)).toMatchObject({ kind: 'define-xml' });
		await expect(exportDefineXml(admin, { studyId: '999' })).rejects.toThrow('Study not found');
	});
});
