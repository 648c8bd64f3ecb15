// The trail's payload keys against their readers. Every key the ODM writer reads from an entry is
// written by some service (a participant's whole course, through the services), or is one of the
// keys only older trails carry (LEGACY_PAYLOAD_KEYS), which no service writes any more and which
// some reader still reads. A trail in the old keys exports the same ODM file and passes the data
// check as one in the new keys. On SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/lib/server/audit/chain';
import { dataAgainstTrail } from '../../src/lib/server/audit/data-vs-trail';
import { LEGACY_PAYLOAD_KEYS } from '../../src/lib/server/audit/payloads';
import { FORMS, SCALE_FORMS, type FormSpec } from '../../src/lib/server/export/odm/forms';
import { exportOdm } from '../../src/lib/server/services/audit/exports';
import { readableChanges } from '../../src/lib/domain/monitoring/audit-words';
import { actorFor, type TestDb, freshDbEach } from '../helpers/db';
import { dropTriggerSql } from '../helpers/database';
import { auditedScenario } from '../helpers/audited-scenario';

const NOW = '2026-11-20T15:00:00.000Z';
const now = () => new Date(NOW);

let t: TestDb;
freshDbEach((db) => (t = db));

type Entity = 'participant' | 'visit' | 'dosing_session' | 'vital_reading' | 'adverse_event';
const ENTITY_FORMS: Record<Entity, FormSpec> = {
	participant: FORMS.participant,
	visit: FORMS.visit,
	dosing_session: FORMS.dosingSession,
	vital_reading: FORMS.vitals,
	adverse_event: FORMS.adverseEvent
};

/**
 * Keys the ODM writer reads outside the forms' items, by entity, with where: a signature's
 * record and meaning (odm/context.ts targetOf, odm/transactions.ts headOf), a scale moved to
 * another visit (odm.ts visitCodes), the visits a participant's plan schedules or moves
 * (odm/transactions.ts visitPlanXml).
 */
const OTHER_READS: Record<string, string[]> = {
	signature: ['entityType', 'entityId', 'meaning', 'signedAt'],
	scale_administration: ['visitId'],
	participant: ['visits[].code', 'visits[].planned', 'moved[].code', 'moved[].from', 'moved[].to']
};

/**
 * Items not filled from their own entity's values: a not-done reading's reason is its entry's
 * reason (odm/transactions.ts valuesOf); a visit's planned date comes from the participant's plan
 * entries (`visits[].planned`, `moved[].to`, read in visitPlanXml).
 */
const FILLED_ELSEWHERE: Record<string, string[]> = {
	vital_reading: ['reasonNotDone'],
	visit: ['planned']
};

/** A scale's answers are keyed by the instrument's items: `answers.3` reads as `answers.*`. */
const keyShape = (key: string) => key.replace(/^answers\..+$/, 'answers.*');

/** Each entity's payload keys in the trail, one level down as the ODM writer flattens them. */
async function writtenKeys(): Promise<Map<string, Set<string>>> {
	const rows = await t.db
		.selectFrom('audit_event')
		.select(['entity_type', 'old_values', 'new_values'])
		.execute();
	const out = new Map<string, Set<string>>();
	for (const r of rows) {
		const keys = out.get(r.entity_type) ?? new Set<string>();
		out.set(r.entity_type, keys);
		for (const json of [r.old_values, r.new_values]) {
			const values = JSON.parse(json ?? 'null') as Record<string, unknown> | null;
			if (!values || typeof values !== 'object') continue;
			for (const [key, value] of Object.entries(values)) {
				keys.add(key);
				if (Array.isArray(value)) {
					for (const v of value) {
						for (const sub of Object.keys(v as object)) keys.add(`${key}[].${sub}`);
					}
				} else if (value && typeof value === 'object') {
					for (const sub of Object.keys(value)) keys.add(keyShape(`${key}.${sub}`));
				}
			}
		}
	}
	return out;
}

/** Every key the ODM writer reads, by entity. */
function odmReads(): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>();
	for (const [entity, form] of Object.entries(ENTITY_FORMS)) {
		const elsewhere = FILLED_ELSEWHERE[entity] ?? [];
		out.set(entity, new Set(Object.keys(form.items).filter((k) => !elsewhere.includes(k))));
	}
	const scale = new Set<string>();
	for (const form of SCALE_FORMS.values()) {
		for (const k of Object.keys(form.items)) scale.add(keyShape(k));
	}
	out.set('scale_administration', scale);
	for (const [entity, keys] of Object.entries(OTHER_READS)) {
		for (const k of keys) (out.get(entity) ?? out.set(entity, new Set()).get(entity)!).add(k);
	}
	return out;
}

const legacyOf = (entity: string): Record<string, string | null> =>
	(LEGACY_PAYLOAD_KEYS as Record<string, Record<string, string | null>>)[entity] ?? {};

/**
 * Stands in for a trail the services wrote before the keys were unified: the append-only
 * trigger goes, and the payloads are rewritten in the old keys (the chain no longer verifies,
 * which no export checks).
 */
async function allowTrailEdits(): Promise<void> {
	await t.exec(dropTriggerSql(t.opened, 'audit_event_no_update', 'audit_event'));
}

/** Rewrites the trail's payloads in the keys the services wrote before they were unified. */
async function rewriteInLegacyKeys(): Promise<number> {
	await allowTrailEdits();
	const rows = await t.db
		.selectFrom('audit_event')
		.select(['seq', 'entity_type', 'old_values', 'new_values'])
		.execute();
	let changed = 0;
	for (const r of rows) {
		const back = Object.fromEntries(
			Object.entries(legacyOf(r.entity_type))
				.filter(([, current]) => current !== null)
				.map(([old, current]) => [current!, old])
		);
		const rename = (json: string | null) => {
			const v = JSON.parse(json ?? 'null') as Record<string, unknown> | null;
			if (!v || typeof v !== 'object' || Array.isArray(v)) return json;
			return canonicalJson(
				Object.fromEntries(Object.entries(v).map(([k, x]) => [back[k] ?? k, x]))
			);
		};
		const old_values = rename(r.old_values);
		const new_values = rename(r.new_values);
		if (old_values === r.old_values && new_values === r.new_values) continue;
		changed += 1;
		await t.db
			.updateTable('audit_event')
			.set({ old_values, new_values })
			.where('seq', '=', r.seq)
			.execute();
	}
	return changed;
}

async function odmXml(): Promise<string> {
	const file = await exportOdm(await actorFor(t, 'admin', [], now), {});
	return new Response(file.stream).text();
}

describe('the trail’s payload keys', () => {
	it('every key the ODM writer reads is written by a service, or is a listed legacy key', async () => {
		await auditedScenario(t, now);
		const written = await writtenKeys();
		const missing: string[] = [];
		for (const [entity, keys] of odmReads()) {
			const legacy = legacyOf(entity);
			for (const key of keys) {
				if (!written.get(entity)?.has(key) && !(key in legacy)) missing.push(`${entity}.${key}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('no service writes a legacy key, and some reader reads each one', async () => {
		await auditedScenario(t, now);
		const written = await writtenKeys();
		const reads = odmReads();
		for (const [entity, legacy] of Object.entries(LEGACY_PAYLOAD_KEYS)) {
			for (const [old, current] of Object.entries(legacy)) {
				expect(written.get(entity)?.has(old), `${entity}.${old} is written again`).toBe(false);
				expect(reads.get(entity)?.has(old), `${entity}.${old} is read by no reader`).toBe(true);
				// What replaced it is written and read under its new name.
				if (current !== null) {
					expect(written.get(entity)?.has(current), `${entity}.${current} written`).toBe(true);
					expect(reads.get(entity)?.has(current), `${entity}.${current} read`).toBe(true);
				}
			}
		}
	});

	it('a trail in the legacy keys exports the same ODM file and passes the data check', async () => {
		await auditedScenario(t, now);
		const current = await odmXml();
		expect(await dataAgainstTrail(t.db)).toEqual([]);
		expect(await rewriteInLegacyKeys()).toBeGreaterThan(10);
		const legacyKeys = Object.values(LEGACY_PAYLOAD_KEYS).flatMap((l) => Object.keys(l));
		const trail = await t.db.selectFrom('audit_event').select('new_values').execute();
		expect(trail.some((r) => legacyKeys.some((k) => r.new_values?.includes(`"${k}"`)))).toBe(true);
		expect(await odmXml()).toBe(current);
		expect(await dataAgainstTrail(t.db)).toEqual([]);
	});

	it('reads a temperature entered as one text in an older trail as its own item', async () => {
		const { r } = await auditedScenario(t, now);
		const created = await t.db
			.selectFrom('audit_event')
			.select(['seq', 'new_values'])
			.where('action', '=', 'vitals.create')
			.where('entity_id', '=', String(r.id))
			.executeTakeFirstOrThrow();
		const {
			temperatureValue: _v,
			temperatureUnit: _u,
			...rest
		} = JSON.parse(created.new_values!) as Record<string, unknown>;
		await allowTrailEdits();
		await t.db
			.updateTable('audit_event')
			.set({ new_values: canonicalJson({ ...rest, temperature_entered: '98.6 F' }) })
			.where('seq', '=', created.seq)
			.execute();
		const xml = await odmXml();
		expect(xml).toContain(
			'<ItemData ItemOID="IT.VS.TEMPENT" TransactionType="Insert" Value="98.6 F">'
		);
		expect(xml).toMatch(
			/<ItemDef OID="IT\.VS\.TEMPENT" Name="Temperature as entered \(value and unit\)"/
		);
	});

	it('the audit explorer words a legacy key as it words the key that replaced it', () => {
		for (const [entity, legacy] of Object.entries(LEGACY_PAYLOAD_KEYS)) {
			for (const [old, current] of Object.entries(legacy)) {
				if (current === null) continue;
				const [a] = readableChanges(entity, null, { [old]: 12 });
				const [b] = readableChanges(entity, null, { [current]: 12 });
				expect({ label: a!.label, after: a!.after }).toEqual({ label: b!.label, after: b!.after });
			}
		}
	});
});
