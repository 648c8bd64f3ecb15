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
