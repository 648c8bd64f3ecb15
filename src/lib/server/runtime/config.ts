// Settings from the environment, read once. Nothing else reads process.env.
import { resolve as resolvePath } from 'node:path';
import {
	DEFAULT_SECOND_FACTOR_ROLES,
	DEFAULT_SESSION_POLICY,
	type SessionPolicy
} from '../auth/policy';
import { isRole, ROLES, type Role } from '../../roles';
import { DEFAULT_PLAUSIBLE_DATES, realDay, type DateRange } from '../../schemas/input';
import { WORKER_NICE } from '../reads/messages';

function positiveNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new Error(`${name} must be a positive number, got "${raw}"`);
	}
	return value;
}

/**
 * VIGIL_WORKER_NICE: the read workers' nice values, 'reads,exports' (each 0–19; 0 keeps the
 * process's priority). Unset: WORKER_NICE.
 */
function workerNice(): { reads: number; exports: number } {
	const raw = process.env.VIGIL_WORKER_NICE?.trim();
	if (!raw) return { ...WORKER_NICE };
	const parts = raw.split(',').map((p) => Number(p.trim()));
	const ok = (n: number | undefined): n is number => Number.isInteger(n) && n! >= 0 && n! <= 19;
	if (parts.length !== 2 || !ok(parts[0]) || !ok(parts[1])) {
		throw new Error(
			`VIGIL_WORKER_NICE must be two whole numbers from 0 to 19, "reads,exports", got "${raw}"`
		);
	}
	return { reads: parts[0], exports: parts[1] };
}

/**
 * VIGIL_SECOND_FACTOR_ROLES: roles that must sign in with a code from an authenticator app, as a
 * comma-separated list, 'all' or 'none'. Unset: administrators only.
 */
function secondFactorRoles(): readonly Role[] {
	const raw = process.env.VIGIL_SECOND_FACTOR_ROLES?.trim();
	if (raw === undefined || raw === '') return DEFAULT_SECOND_FACTOR_ROLES;
	if (raw === 'none') return [];
	if (raw === 'all') return ROLES;
	const roles = raw.split(',').map((r) => r.trim());
	const unknown = roles.filter((r) => !isRole(r));
	if (unknown.length > 0) {
		throw new Error(
			`VIGIL_SECOND_FACTOR_ROLES names unknown roles (${unknown.join(', ')}); use ${ROLES.join(', ')}, 'all' or 'none'`
		);
	}
	return roles as Role[];
}

function databaseUrl(): string | undefined {
	const raw = process.env.VIGIL_DATABASE_URL;
	if (raw === undefined || raw === '') return undefined;
	if (!/^postgres(ql)?:\/\//.test(raw)) {
		throw new Error('VIGIL_DATABASE_URL must be a postgres:// (or postgresql://) URL');
	}
	return raw;
}

/** How much one request may ask of the writer, so no single save holds it for long. */
export interface CaptureLimits {
	/** Readings in one monitor batch (larger batches: 413). */
	maxBatchReadings: number;
	/** Unscheduled readings a session may hold (more: 422). */
	maxUnscheduledReadings: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
	// A monitor sending every minute of a 10-hour session sends 600; batches come far smaller.
	maxBatchReadings: 500,
	// The protocol schedules 10–15 timepoints; rechecks are a few more, never hundreds.
	maxUnscheduledReadings: 200
};

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
	/** E-mail alerts: the SMTP server (VIGIL_SMTP_URL; none: no e-mail), sender and timing. */
	alerts: {
		smtpUrl: string | null;
		from: string;
		/** For links in messages. */
		origin: string;
		/** Announce an SAE clock this many hours before it is due. */
		saeHoursBefore: number;
	};
	/** Threads for heavy reads beside SQLite (exports, bundles, verification, dashboards). */
	readWorkers: number;
	/** Their nice values on Linux: query and dashboard workers, export workers (0: as the process). */
	workerNice: { reads: number; exports: number };
	/** Request bodies larger than this are refused with 413 before they are read. */
	bodyLimitBytes: number;
	/** API tokens expire this many days after they are made. */
	apiTokenDays: number;
	limits: CaptureLimits;
	/** VIGIL_PLAUSIBLE_DATES: the days any date a user enters must fall in (422 outside). */
	plausibleDates: DateRange;
	/** Audit signing and witnessing (README, "Audit trail: threat model"). */
	audit: AuditSettings;
	/** pg_dump for backups on PostgreSQL (VIGIL_PG_DUMP; default: the one on PATH). */
	pgDump: string;
}

export interface AuditSettings {
	/** VIGIL_KEY_DIR: the folder for the signing key and witness log (default ~/.config/vigil). */
	keyDir: string | undefined;
	/** VIGIL_SIGNING_KEY: the signing key's file, when it is kept elsewhere. */
	signingKeyFile: string | undefined;
	/** VIGIL_WITNESS_FILE: the witness log's file; 'none' keeps no witness. */
	witnessFile: string | undefined;
	/** VIGIL_WITNESS_URL: where each signed head is also sent (an HTTPS POST of its JSON). */
	witnessUrl: string | null;
	/** VIGIL_WITNESS_SYSLOG: `udp://host:port` or `tcp://host:port`, a syslog (RFC 5424) witness. */
	witnessSyslog: string | null;
	/** VIGIL_WITNESS_CA: a PEM file of the certificate authority the HTTPS witness is signed by. */
	witnessCa: string | undefined;
	/** VIGIL_WITNESS_QUEUE_MAX: unsent checkpoints kept per remote witness (beyond: dropped, alerted). */
	witnessQueueMax: number;
	/** VIGIL_CHECKPOINT_MINUTES: how often the audit head is signed while it changes. */
	checkpointMinutes: number;
	/**
	 * Which database the trail lives in: the PostgreSQL URL without its password, or the SQLite
	 * file's absolute path. The default witness log is named after it, so two databases on one
	 * machine never read each other's witness.
	 */
	database: string;
}

const orUndefined = (raw: string | undefined) =>
	raw === undefined || raw === '' ? undefined : raw;

/** The audit settings alone (the signing and witness code reads these, not the whole config). */
export function readAuditSettings(): AuditSettings {
	return {
		keyDir: orUndefined(process.env.VIGIL_KEY_DIR),
		signingKeyFile: orUndefined(process.env.VIGIL_SIGNING_KEY),
		witnessFile: orUndefined(process.env.VIGIL_WITNESS_FILE),
		witnessUrl: orUndefined(process.env.VIGIL_WITNESS_URL) ?? null,
		witnessSyslog: orUndefined(process.env.VIGIL_WITNESS_SYSLOG) ?? null,
		witnessCa: orUndefined(process.env.VIGIL_WITNESS_CA),
		witnessQueueMax: positiveNumber('VIGIL_WITNESS_QUEUE_MAX', 10_000),
		checkpointMinutes: positiveNumber('VIGIL_CHECKPOINT_MINUTES', 15),
		database: databaseLocation()
	};
}

function databaseLocation(): string {
	const url = orUndefined(process.env.VIGIL_DATABASE_URL);
	if (url) {
		try {
			const u = new URL(url);
			u.password = '';
			return u.toString();
		} catch {
			return url;
		}
	}
	return resolvePath(process.env.VIGIL_DB || './data/vigil.db');
}

/** Who runs the CLI, for the audit trail: "cli:<login name>". */
export function cliOperator(): string {
	return `cli:${process.env.USER ?? process.env.USERNAME ?? 'operator'}`;
}

/** The environment a child process (pg_dump, pg_restore) runs with: Vigil's own, plus these. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
	return { ...process.env, ...extra };
}

/**
 * VIGIL_PLAUSIBLE_DATES: 'YYYY-MM-DD..YYYY-MM-DD', both real days, the first before the second.
 * Unset: 2000-01-01..2099-12-31 (src/lib/schemas/input.ts).
 */
function plausibleDatesSetting(): DateRange {
	const raw = process.env.VIGIL_PLAUSIBLE_DATES?.trim();
	if (!raw) return DEFAULT_PLAUSIBLE_DATES;
	const [earliest = '', latest = '', ...rest] = raw.split('..').map((d) => d.trim());
	if (rest.length > 0 || !realDay(earliest) || !realDay(latest) || earliest >= latest) {
		throw new Error(
			`VIGIL_PLAUSIBLE_DATES must be two real days, the earlier first, as 2000-01-01..2099-12-31; got "${raw}"`
		);
	}
	return { earliest, latest };
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
		readWorkers: Math.round(positiveNumber('VIGIL_READ_WORKERS', 2)),
		workerNice: workerNice(),
		session: {
			idleMs:
				positiveNumber('VIGIL_SESSION_IDLE_MINUTES', DEFAULT_SESSION_POLICY.idleMs / 60_000) *
				60_000,
			absoluteMs:
				positiveNumber('VIGIL_SESSION_MAX_HOURS', DEFAULT_SESSION_POLICY.absoluteMs / 3_600_000) *
				3_600_000,
			secondFactorRoles: secondFactorRoles()
		},
		alerts: {
			smtpUrl: process.env.VIGIL_SMTP_URL || null,
			from: process.env.VIGIL_MAIL_FROM || 'vigil@localhost',
			origin: process.env.ORIGIN || `http://localhost:${process.env.PORT || 3000}`,
			saeHoursBefore: positiveNumber('VIGIL_ALERT_SAE_HOURS', 4)
		},
		audit: readAuditSettings(),
		pgDump: process.env.VIGIL_PG_DUMP || 'pg_dump',
		bodyLimitBytes: Math.round(positiveNumber('VIGIL_BODY_LIMIT_KB', 512) * 1024),
		apiTokenDays: positiveNumber('VIGIL_API_TOKEN_DAYS', 90),
		plausibleDates: plausibleDatesSetting(),
		limits: {
			maxBatchReadings: Math.round(
				positiveNumber('VIGIL_MAX_BATCH_READINGS', DEFAULT_CAPTURE_LIMITS.maxBatchReadings)
			),
			maxUnscheduledReadings: Math.round(
				positiveNumber(
					'VIGIL_MAX_UNSCHEDULED_READINGS',
					DEFAULT_CAPTURE_LIMITS.maxUnscheduledReadings
				)
			)
		}
	};
}
