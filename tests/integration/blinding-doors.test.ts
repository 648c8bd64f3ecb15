// No blinded role learns an arm through any door. Two layers: (1) only the unblinded services can
// read the allocation tables at all (a static check over the source); (2) after randomising and an
// emergency unblinding, every output a blinded role can fetch — the SDTM and ODM exports, the audit
// explorer and its CSV, the participant API body, the error a refused pharmacy read gives — holds
// no arm code or label of the placebo arm (the study's title names MDMA, so placebo is the tell).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDTM_DOMAINS } from '../../src/lib/server/export/filters';
import { exploreAuditTrail } from '../../src/lib/server/services/audit/audit';
import { auditTrailCsv } from '../../src/lib/server/services/audit/audit-export';
import { exportDomainCsv, exportOdm } from '../../src/lib/server/services/audit/exports';
import { getParticipant } from '../../src/lib/server/services/capture/participants';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { participantJson } from '../../src/lib/server/api/serialize';
import { pharmacyList } from '../../src/lib/server/services/trial/pharmacy';
import {
	participantRandomisation,
	randomiseParticipant
} from '../../src/lib/server/services/trial/randomisation';
import { emergencyUnblind } from '../../src/lib/server/services/trial/unblinding';
import { PASSWORD, actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

const ROOT = join(__dirname, '../../src');
const ALLOWED = new Set([
	'lib/server/repositories/allocation.ts',
	'lib/server/services/trial/randomisation.ts',
	'lib/server/services/trial/unblinding.ts',
	'lib/server/services/trial/pharmacy.ts',
	// `audit verify`: compares the list with its audited digest; its report conceals every arm.
	'lib/server/audit/allocation-vs-trail.ts',
	'lib/server/audit/allocation-mismatch.ts',
	'lib/server/audit/allocation-list-vs-trail.ts',
	'lib/server/audit/randomisations-vs-trail.ts',
	// The list of every table and how verify compares it: names the tables, reads nothing.
	'lib/server/audit/table-coverage.ts',
	'lib/server/db/schema.ts'
]);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory()
			? sourceFiles(path)
			: /\.(ts|svelte)$/.test(name)
				? [path]
				: [];
	});
}

describe('the allocation list is reachable only through the unblinded services', () => {
	it('no other source file imports the allocation repository or names its tables', () => {
		const offenders = sourceFiles(ROOT)
			.map((f) => relative(ROOT, f))
			.filter((f) => !ALLOWED.has(f))
			.filter((f) => {
				const text = readFileSync(join(ROOT, f), 'utf8');
				return /repositories\/allocation|allocation_slot|randomisation_seed/.test(text);
			});
		expect(offenders).toEqual([]);
	});

	it('arms reach routes only through the pharmacy page and API and the participant’s trial page', () => {
		const routes = sourceFiles(join(ROOT, 'routes')).map((f) => relative(ROOT, f));
		const users = routes.filter((f) =>
			/services\/trial\/(pharmacy|unblinding)/.test(readFileSync(join(ROOT, f), 'utf8'))
		);
		// The allocation API is the pharmacy list's JSON door (refused to blinded roles before lock).
		expect(users.sort()).toEqual([
			'routes/api/v1/studies/[id=id]/allocation/+server.ts',
			'routes/participants/[id=id]/trial/+page.server.ts',
			'routes/pharmacy/+page.server.ts'
		]);
	});
});

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');
freshDbEach((db) => (t = db));

const LEAKS = /\bPBO\b|Placebo with therapy|"arm"\s*:/;

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

describe('blinded roles see no arm anywhere', () => {
	it('exports, audit trail, API body and errors', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const ids: number[] = [];
		for (let i = 0; i < 4; i++) {
			const p = await enrolledParticipant(t, 'A1', '2026-10-01');
			const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
			await recordScaleAdministration(c, p.id, {
				instrument: 'MADRS',
				visitId: String(bl.id),
				administeredAt: '2026-10-20T10:00',
				items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
			});
			await randomiseParticipant(c, p.id);
			ids.push(p.id);
		}
		// At least one participant is in the placebo arm (4 slots = whole blocks of 2 and 4).
		const arms = await t.db
			.selectFrom('allocation_slot')
			.select('arm')
			.where('participant_id', 'is not', null)
			.execute();
		expect(arms.map((a) => a.arm)).toContain('PBO');
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await emergencyUnblind(
			inv,
			ids[0]!,
			{ reason: 'Suspected serotonin syndrome', confirm: 'on', password: PASSWORD },
			{ smtpUrl: undefined, from: 'x@test.example' }
		);

		const auditor = await actorFor(t, 'auditor', ['A1'], NOW);
		const admin = await actorFor(t, 'admin', [], NOW);
		for (const reader of [auditor, admin]) {
			for (const domain of SDTM_DOMAINS) {
				const csv = await text((await exportDomainCsv(reader, domain, {})).stream);
				expect(csv, `${domain} for ${reader.actor.role}`).not.toMatch(LEAKS);
			}
			expect(await text((await exportOdm(reader, {})).stream)).not.toMatch(LEAKS);
			const trail = (await exploreAuditTrail(reader, { limit: 500 })).events;
			// The list's own entry names the protocol's arms and ratio (its parameters), nothing per slot.
			const lists = trail.filter((e) => e.action === 'randomisation.list_generate');
			for (const l of lists) {
				expect(Object.keys(JSON.parse(l.new_values!)).sort()).toEqual([
					'algorithm',
					'arms',
					'blockSizes',
					'listSha256',
					'seedSha256',
					'slots',
					'stratum'
				]);
			}
			const rest = trail.filter((e) => e.action !== 'randomisation.list_generate');
			expect(rest.length).toBeGreaterThan(20);
			expect(JSON.stringify(rest)).not.toMatch(LEAKS);
			const csvLines = (await text((await auditTrailCsv(reader, {})).stream)).split('\n');
			expect(
				csvLines.filter((l) => !l.includes('randomisation.list_generate')).join('\n')
			).not.toMatch(LEAKS);
			const refused = await pharmacyList(reader, t.studyId).catch((e: unknown) => e);
			expect(String((refused as Error).message)).not.toMatch(LEAKS);
		}
		for (const reader of [c, inv, auditor]) {
			for (const id of ids) {
				const body = {
					participant: participantJson(await getParticipant(reader, id)),
					randomisation: await participantRandomisation(reader, id)
				};
				expect(JSON.stringify(body)).not.toMatch(LEAKS);
			}
		}
	});
});
