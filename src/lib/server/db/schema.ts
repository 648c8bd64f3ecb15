// Table types, one interface per table (Kysely's style). Row types derive from them.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface SiteTable {
	id: Generated<number>;
	code: string;
	name: string;
	timezone: string;
	created_at: string;
}

export interface UserTable {
	id: Generated<number>;
	email: string;
	name: string;
	role: string;
	password_hash: string;
	must_change_password: Generated<number>;
	disabled_at: string | null;
	failed_sign_ins: Generated<number>;
	last_failed_sign_in_at: number | null;
	created_at: string;
}

export interface UserSiteTable {
	user_id: number;
	site_id: number;
}

export interface SessionTable {
	id: string;
	user_id: number;
	created_at: number;
	last_active_at: number;
}

export interface AuditEventTable {
	seq: number;
	at: string;
	actor_id: number | null;
	actor_label: string;
	actor_role: string;
	site_id: number | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	old_values: string | null;
	new_values: string | null;
	reason: string | null;
	request_id: string | null;
	prev_hash: string;
	hash: string;
}

export interface AuditHeadTable {
	id: number;
	seq: number;
	hash: string;
}

export interface DB {
	site: SiteTable;
	user: UserTable;
	user_site: UserSiteTable;
	session: SessionTable;
	audit_event: AuditEventTable;
	audit_head: AuditHeadTable;
}

export type Site = Selectable<SiteTable>;
export type NewSite = Insertable<SiteTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Session = Selectable<SessionTable>;
export type AuditEvent = Selectable<AuditEventTable>;
