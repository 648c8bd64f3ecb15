// Who is asking, through which door, and when: passed to every service call.
import type { Role } from '../../roles';
import type { Db } from '../db';
import type { ReadExecutor } from '../reads/executor';
import type { CaptureLimits } from './config';

export interface UserActor {
	kind: 'user';
	id: number;
	email: string;
	name: string;
	role: Role;
	siteIds: number[];
	/** The sign-in session's id when the request came with one (not for API tokens). */
	sessionId?: string;
}

/** The operator at the server's shell (the CLI): full access, audited by name. */
export interface SystemActor {
	kind: 'system';
	label: string;
}

/** Nobody signed in yet (the sign-in form). */
export interface AnonymousActor {
	kind: 'anonymous';
}

/**
 * A participant answering a self-report scale through a one-time ePRO link: no account and no
 * staff session; what they send is attributed to them and to the link (DOMAIN-2.md §5).
 */
export interface ParticipantActor {
	kind: 'participant';
	participantId: number;
	subjectCode: string;
	linkId: number;
}

export type Actor = UserActor | SystemActor | AnonymousActor | ParticipantActor;

export interface ServiceContext {
	db: Db;
	actor: Actor;
	requestId: string | null;
	now: () => Date;
	/** Where heavy reads run (reads/executor.ts); absent: in-process on `db`. */
	reads?: ReadExecutor;
	/** Capture limits (runtime/config.ts); absent: the defaults. */
	limits?: CaptureLimits;
}

export function systemContext(db: Db, label = 'cli', now = () => new Date()): ServiceContext {
	return { db, actor: { kind: 'system', label }, requestId: null, now };
}

/**
 * Whom a read job reads for and the instant it reads at: plain data, so it crosses to a read
 * worker (reads/jobs.ts). The service checks access before it starts the job.
 */
export interface ReadFor {
	actor: Actor;
	/** ISO instant: the whole view is read as of this moment. */
	now: string;
}

export function readFor(ctx: ServiceContext): ReadFor {
	return { actor: ctx.actor, now: ctx.now().toISOString() };
}

/**
 * The context a read job's services run under: the job's own read-only handle (one snapshot),
 * the caller's actor, and the caller's clock stopped at the job's instant. Its reads run right
 * there (no `reads`): the job is already off the request thread.
 */
export function jobContext(db: Db, r: ReadFor): ServiceContext {
	const at = Date.parse(r.now);
	return { db, actor: r.actor, requestId: null, now: () => new Date(at) };
}
