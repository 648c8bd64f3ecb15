// A real, migrated database per test (SQLite in memory, or a new PostgreSQL database when
// VIGIL_TEST_DB=postgres: see ./database), with the demo's sites and one user per role and site
// situation.
import { openDatabase, type Db, type OpenedDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import {
	systemContext,
	type ServiceContext,
	type UserActor
} from '../../src/lib/server/runtime/context';
import { createSite } from '../../src/lib/server/services/people/sites';
import { createUser } from '../../src/lib/server/services/people/users';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import type { DosingSession, Visit } from '../../src/lib/server/db/schema';
import type { Role } from '../../src/lib/roles';
import type SQLite from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { execRaw, openTestDatabase } from './database';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';

export const PASSWORD = 'correct-horse-battery';

export interface TestDb {
	db: Db;
	/** SQLite only: tests that run on both databases use `exec` and ./database's helpers. */
	sqlite: SQLite.Database;
	opened: OpenedDatabase;
	/** Raw SQL straight to the database, bypassing the app (tampering, fixtures). */
	exec: (statements: string) => Promise<void>;
	siteA: number;
	siteB: number;
	system: ServiceContext;
	/** The demo protocol's study, loaded and active. */
	studyId: number;
}

/**
 * The database under test (./database), or a SQLite file when one is named (read workers need a
 * file they can open beside the writer).
 */
export async function freshDb(file?: string): Promise<TestDb> {
	const opened = file === undefined ? await openTestDatabase() : openDatabase(file);
	const { db } = opened;
	await migrateToLatest(db);
	const system = systemContext(db, 'test');
	const a = await createSite(system, {
		code: 'A1',
		name: 'Site A',
		timezone: 'Europe/Oslo',
		country: 'NOR'
	});
	const b = await createSite(system, {
		code: 'B1',
		name: 'Site B',
		timezone: 'America/New_York',
		country: 'USA'
	});
	const { study } = await loadProtocol(system, DEMO_PROTOCOL_JSON);
	return {
		db,
		sqlite: opened.kind === 'sqlite' ? opened.sqlite : (undefined as never),
		opened,
		exec: (statements) => execRaw(opened, statements),
		siteA: a.id,
		siteB: b.id,
		system,
		studyId: study.id
	};
}

/**
 * A fresh database for each test, handed to `use`; destroyed after the test. A suite's own
 * afterEach, registered after this, runs before the database is destroyed.
 */
export function freshDbEach(use: (t: TestDb) => void): void {
	let t: TestDb;
	beforeEach(async () => {
		t = await freshDb();
		use(t);
	});
	afterEach(async () => {
		await t.db.destroy();
	});
}

let counter = 0;

/** A user of this role holding these site codes, and a context acting as them. */
export async function actorFor(
	t: TestDb,
	role: Role,
	sites: string[],
	now: () => Date = () => new Date()
): Promise<ServiceContext & { actor: UserActor }> {
	counter += 1;
	const email = `${role}${counter}@test.example`;
	const { user } = await createUser(
		t.system,
		{ email, name: `${role} ${counter}`, role, sites },
		PASSWORD
	);
	const siteIds = sites.map((code) => (code === 'A1' ? t.siteA : t.siteB));
	return {
		db: t.db,
		requestId: `req-${counter}`,
		now,
		actor: { kind: 'user', id: user.id, email, name: user.name, role, siteIds }
	};
}

/** A participant enrolled at site A1 (or B1) on the given date, with its visits scheduled. */
export async function enrolledParticipant(
	t: TestDb,
	site: 'A1' | 'B1' = 'A1',
	enrolledOn = '2026-09-01'
): Promise<{ id: number; subjectCode: string }> {
	counter += 1;
	const subjectCode = `${site}-${String(counter).padStart(3, '0')}`;
	const p = await createParticipant(
		{ ...t.system },
		{ studyId: t.studyId, siteId: site === 'A1' ? t.siteA : t.siteB },
		{ subjectCode, sex: 'F', birthYear: 1980, doseGroup: '120 mg', status: 'enrolled', enrolledOn }
	);
	return { id: p.id, subjectCode };
}

/**
 * The common set-up: a participant enrolled at a site (A1 by default) with a dosing session
 * running from T0 (site-local, 'YYYY-MM-DDTHH:MM'; 10:00 in Oslo is 09:00Z in November), started
 * by a coordinator of that site (a new one unless `coordinator` is given). The start is out of the
 * visit's window unless `enrolledOn` is chosen to suit, so it gives a reason.
 */
export async function runningSession(
	t: TestDb,
	opts: {
		site?: 'A1' | 'B1';
		t0?: string;
		enrolledOn?: string;
		initialDoseMg?: number;
		now?: () => Date;
		coordinator?: ServiceContext & { actor: UserActor };
	} = {}
): Promise<{
	coordinator: ServiceContext & { actor: UserActor };
	participant: { id: number; subjectCode: string };
	/** The participant's first dosing visit, which the session records. */
	visit: Visit;
	session: DosingSession;
}> {
	const site = opts.site ?? 'A1';
	const coordinator = opts.coordinator ?? (await actorFor(t, 'coordinator', [site], opts.now));
	const participant = await enrolledParticipant(t, site, opts.enrolledOn ?? '2026-10-01');
	const visit = (await listVisits(coordinator, participant.id)).find((v) => v.kind === 'dosing')!;
	const session = await startDosingSession(coordinator, participant.id, {
		visitId: visit.id,
		t0: opts.t0 ?? '2026-11-20T10:00',
		initialDoseMg: opts.initialDoseMg ?? 120,
		deviationReason: 'test set-up'
	});
	return { coordinator, participant, visit, session };
}

/** A sign-in that needs no second factor (users without one): the session it started. */
export function passwordOnly<T extends { kind: string }>(
	result: T
): Extract<T, { kind: 'signed-in' }> {
	if (result.kind !== 'signed-in') {
		throw new Error(`expected a finished sign-in, got ${result.kind}`);
	}
	return result as Extract<T, { kind: 'signed-in' }>;
}
