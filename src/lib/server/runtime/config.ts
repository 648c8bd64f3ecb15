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
	/** E-mail alerts: the SMTP server (VIGIL_SMTP_URL; none: no e-mail), sender and timing. */
	alerts: {
		smtpUrl: string | null;
		from: string;
		/** For links in messages. */
		origin: string;
		/** Announce an SAE clock this many hours before it is due. */
		saeHoursBefore: number;
	};
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
		alerts: {
			smtpUrl: process.env.VIGIL_SMTP_URL || null,
			from: process.env.VIGIL_ALERT_FROM || 'Vigil <vigil@localhost>',
			origin: process.env.ORIGIN || `http://localhost:${process.env.PORT || 3000}`,
			saeHoursBefore: positiveNumber('VIGIL_ALERT_SAE_HOURS', 4)
		}
	};
}
