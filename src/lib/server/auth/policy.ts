// Pure rules for sessions, sign-in throttling and passwords. No database, no clock of their own:
// callers pass `now`, so tests can move time.
import type { Role } from '../../roles';
import { guessabilityProblem } from './password-strength';

export interface SessionPolicy {
	/** Sign out after this long without a request (21 CFR 11 automatic log-off). */
	idleMs: number;
	/** Sign out this long after sign-in, however active. */
	absoluteMs: number;
	/** Roles that must sign in with a second factor (absent: DEFAULT_SECOND_FACTOR_ROLES). */
	secondFactorRoles?: readonly Role[];
}

/** Administrators hold every account's keys, so they always need a second factor by default. */
export const DEFAULT_SECOND_FACTOR_ROLES: readonly Role[] = ['admin'];

/** Whether users of this role must sign in with a second factor. */
export function secondFactorRequired(role: Role, policy: SessionPolicy): boolean {
	return (policy.secondFactorRoles ?? DEFAULT_SECOND_FACTOR_ROLES).includes(role);
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
	idleMs: 30 * 60_000,
	absoluteMs: 12 * 60 * 60_000
};

/** Refresh last-activity at most once a minute, to keep writes down. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export type SessionState = 'valid' | 'idle-expired' | 'absolute-expired';

export function sessionState(
	session: { created_at: number; last_active_at: number },
	now: number,
	policy: SessionPolicy
): SessionState {
	if (now - session.created_at >= policy.absoluteMs) return 'absolute-expired';
	if (now - session.last_active_at >= policy.idleMs) return 'idle-expired';
	return 'valid';
}

export function shouldRecordActivity(session: { last_active_at: number }, now: number): boolean {
	return now - session.last_active_at >= ACTIVITY_WRITE_INTERVAL_MS;
}

/** When the session ends if no further request arrives. */
export function sessionExpiresAt(
	session: { created_at: number; last_active_at: number },
	policy: SessionPolicy
): number {
	return Math.min(session.created_at + policy.absoluteMs, session.last_active_at + policy.idleMs);
}

/** Failures allowed before throttling starts. */
export const FREE_FAILED_SIGN_INS = 5;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Delay owed after `failures` consecutive failed sign-ins: none for the first five, then 1 s
 * doubling with each further failure, capped at 15 minutes.
 */
export function throttleDelayMs(failures: number, free = FREE_FAILED_SIGN_INS): number {
	if (failures < free) return 0;
	const exponent = Math.min(failures - free, 30);
	return Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

/**
 * Failures one client address may make across all accounts before its own delay starts: enough
 * for a ward's shared workstation, far too few to try a password list on many accounts.
 */
export const FREE_FAILED_SIGN_INS_PER_ADDRESS = 50;
/** A throttle counter left alone this long starts again from zero. */
export const THROTTLE_FORGET_MS = 24 * 60 * 60_000;

/** Milliseconds until a throttle key may try again; 0 when it may try now. */
export function keyWaitMs(
	row: { failures: number; last_attempt_at: number } | undefined,
	free: number,
	now: number
): number {
	if (!row || now - row.last_attempt_at >= THROTTLE_FORGET_MS) return 0;
	const delay = throttleDelayMs(row.failures, free);
	return delay === 0 ? 0 : Math.max(0, row.last_attempt_at + delay - now);
}

/** Milliseconds until this account may try again; 0 when it may try now. */
export function throttleWaitMs(
	account: { failed_sign_ins: number; last_failed_sign_in_at: number | null },
	now: number
): number {
	const delay = throttleDelayMs(account.failed_sign_ins);
	if (delay === 0 || account.last_failed_sign_in_at === null) return 0;
	return Math.max(0, account.last_failed_sign_in_at + delay - now);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Problems with a proposed password, in words a user can act on; empty when it is acceptable. */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
	const problems: string[] = [];
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) {
		problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
	}
	if (length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
	if (password.trim() !== password) problems.push('Do not start or end with a space.');
	const local = context.email?.toLowerCase().split('@')[0] ?? '';
	if (local.length >= 4 && password.toLowerCase().includes(local)) {
		problems.push('Do not use your email name in the password.');
	}
	if (length >= PASSWORD_MIN_LENGTH && new Set(password).size < 4) {
		problems.push('Use more than three different characters.');
	}
	if (problems.length === 0) {
		const inputs = [local, ...(context.email ? [context.email] : [])].filter(Boolean);
		const guessable = guessabilityProblem(password, inputs);
		if (guessable) problems.push(guessable);
	}
	return problems;
}
