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

export interface VigilConfig {
	dbFile: string;
	demo: boolean;
	demoPassword: string | undefined;
	/** Synthetic participants generated into a new demo database. */
	demoParticipants: number;
	session: SessionPolicy;
	/** Request bodies larger than this are refused with 413 before they are read. */
	bodyLimitBytes: number;
}

export function readConfig(): VigilConfig {
	return {
		dbFile: process.env.VIGIL_DB || './data/vigil.db',
		demo: process.env.VIGIL_DEMO !== '0',
		demoPassword: process.env.VIGIL_DEMO_PASSWORD || undefined,
		demoParticipants:
			process.env.VIGIL_DEMO_PARTICIPANTS === '0'
				? 0
				: Math.round(positiveNumber('VIGIL_DEMO_PARTICIPANTS', 24)),
		session: {
			idleMs:
				positiveNumber('VIGIL_SESSION_IDLE_MINUTES', DEFAULT_SESSION_POLICY.idleMs / 60_000) *
				60_000,
			absoluteMs:
				positiveNumber('VIGIL_SESSION_MAX_HOURS', DEFAULT_SESSION_POLICY.absoluteMs / 3_600_000) *
				3_600_000
		},
		bodyLimitBytes: Math.round(positiveNumber('VIGIL_BODY_LIMIT_KB', 512) * 1024)
	};
}
