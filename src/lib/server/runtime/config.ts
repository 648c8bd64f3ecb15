// Settings from the environment, read once. Nothing else reads process.env.
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../auth/policy';

function positiveNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new Error(`${name} must be a positive number, got "${raw}"`);
	}
	return value;
}

function databaseUrl(): string | undefined {
	const raw = process.env.VIGIL_DATABASE_URL;
	if (raw === undefined || raw === '') return undefined;
	if (!/^postgres(ql)?:\/\//.test(raw)) {
		throw new Error('VIGIL_DATABASE_URL must be a postgres:// (or postgresql://) URL');
	}
	return raw;
}

export interface VigilConfig {
	/** The SQLite file, used when there is no databaseUrl. */
	dbFile: string;
	/** VIGIL_DATABASE_URL: postgres://… runs Vigil on PostgreSQL instead of SQLite. */
	databaseUrl: string | undefined;
	demo: boolean;
	demoPassword: string | undefined;
	/** Synthetic participants generated into a new demo database. */
	demoParticipants: number;
	session: SessionPolicy;
	/** How often the safety clock looks for late readings and unacknowledged urgent flags. */
	safetyClockSeconds: number;
}

export function readConfig(): VigilConfig {
	return {
		dbFile: process.env.VIGIL_DB || './data/vigil.db',
		databaseUrl: databaseUrl(),
		demo: process.env.VIGIL_DEMO !== '0',
		demoPassword: process.env.VIGIL_DEMO_PASSWORD || undefined,
		demoParticipants:
			process.env.VIGIL_DEMO_PARTICIPANTS === '0'
				? 0
				: Math.round(positiveNumber('VIGIL_DEMO_PARTICIPANTS', 24)),
		safetyClockSeconds: positiveNumber('VIGIL_SAFETY_CLOCK_SECONDS', 30),
		session: {
			idleMs:
				positiveNumber('VIGIL_SESSION_IDLE_MINUTES', DEFAULT_SESSION_POLICY.idleMs / 60_000) *
				60_000,
			absoluteMs:
				positiveNumber('VIGIL_SESSION_MAX_HOURS', DEFAULT_SESSION_POLICY.absoluteMs / 3_600_000) *
				3_600_000
		}
	};
}
