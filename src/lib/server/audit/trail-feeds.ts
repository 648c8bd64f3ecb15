// Entries on one record that state another table's rows: a verification (sdv.verify, on the
// record verified) states its source_verification row; a freeze or an unfreeze (on the
// participant) its casebook_freeze row; a lock, an unlock request and its decision (on the study)
// the study_lock and study_unlock_request rows; an e-mail alert (on the flag or adverse event) its
// alert_sent row; a participant's ePRO answer (on the scale) the link's use; a disabling, a
// password reset or change, or a sign-out everywhere (on the user) the tokens it revoked. The data
// check replays each table's trail once (data-vs-trail.ts) and hands every entry here too.
//
// Compared from when: a payload key added on 2026-12-09 (freezeId, unfrozenAt, lockId,
// unlockedAt, linkUsedAt, revokedTokenIds) is compared only on entries that carry it. An older
// freeze or lock is matched by its participant or study and time instead, and an older unfreeze
// or unlock only says that the row was lifted (PRESENT), not when.
import { SecondFactorTrail } from './second-factor-vs-trail';
import { PRESENT } from './trail-values';

type State = Map<string, unknown>;
type Row = Record<string, unknown>;
export interface FedEvent {
	entity_id: string | null;
	action: string;
	new_values: string | null;
	reason: string | null;
	/** Who did it (null: the operator or the system): the row's *_by column. */
	actor_id: number | null;
}

/**
 * Tables whose rows only other records' entries state, and how a row finds its entry (`nth`
 * numbers a row within a group, rows read in id order).
 */
export const EVENT_TABLES = {
	// Each query.* entry writes one step, in order: the n-th step of a query is its n-th entry.
	data_query_step: {
		keys: (r: Row, nth: (group: string) => number) => [
			`query ${r.query_id} step ${nth(String(r.query_id))}`
		],
		reportGone: true
	},
	source_verification: { keys: (r: Row) => [String(r.id)], reportGone: true },
	casebook_freeze: {
		keys: (r: Row) => [String(r.id), `participant ${r.participant_id} at ${r.frozen_at}`],
		reportGone: true
	},
	study_lock: {
		keys: (r: Row) => [String(r.id), `study ${r.study_id} at ${r.locked_at}`],
		reportGone: true
	},
	study_unlock_request: { keys: (r: Row) => [String(r.id)], reportGone: true },
	// A row is written after its mail went out, in a transaction of its own; an unblinding mail
	// writes none. So an alert.sent entry without a row is not reported, a row without one is.
	alert_sent: {
		keys: (r: Row) => [`${r.kind} ${r.entity_type} ${r.entity_id}`],
		reportGone: false
	}
} as const satisfies Record<
	string,
	{ keys: (r: Row, nth: (group: string) => number) => string[]; reportGone: boolean }
>;
export type EventTable = keyof typeof EVENT_TABLES;
export const EVENT_TABLE_NAMES = Object.keys(EVENT_TABLES) as EventTable[];

/** Audited tables whose rows other records' entries also change (merged into their replay). */
export type FedTable = 'api_token' | 'epro_link';

const parse = (text: string | null): Row => {
	try {
		const v: unknown = text ? JSON.parse(text) : null;
		return v && typeof v === 'object' ? (v as Row) : {};
	} catch {
		return {};
	}
};

export class TrailFeeds {
	readonly events = Object.fromEntries(EVENT_TABLE_NAMES.map((t) => [t, new Map()])) as Record<
		EventTable,
		Map<string, State>
	>;
	readonly fed: Record<FedTable, Map<string, State>> = {
		api_token: new Map(),
		epro_link: new Map()
	};
	/** Each user's second factor as the trail states it (second-factor-vs-trail.ts). */
	readonly secondFactor = new SecondFactorTrail();
	/** Each user's sites as the trail states them (user.create by code, user.update by id). */
	readonly userSites = new Map<number, number[]>();
	/** Site codes to ids, from the sites' trail (replayed before the users'). */
	readonly #siteIds = new Map<string, number>();
	/** The freeze, lock or request still open on a participant or study (its key). */
	readonly #open = new Map<string, string>();
	/** How many steps each query's trail has stated so far. */
	readonly #steps = new Map<string, number>();

	#state(map: Map<string, State>, key: string): State {
		let s = map.get(key);
		if (!s) map.set(key, (s = new Map()));
		return s;
	}

	/** One entry of `table`'s trail (any action; most are not about another table). */
	take(table: string, e: FedEvent): void {
		switch (e.action) {
			case 'sdv.verify':
				return this.#verified(table, e);
			case 'casebook.freeze':
			case 'study.lock':
				return this.#opened(e);
			case 'casebook.unfreeze':
			case 'study.unlock':
				return this.#lifted(e);
			case 'study.unlock_request':
			case 'study.unlock_approve':
			case 'study.unlock_decline':
				return this.#unlockRequest(e);
			case 'alert.sent':
				return this.#alert(table, e);
			case 'epro.submit':
				return this.#eproUse(e);
		}
		if (table === 'data_query' && e.action.startsWith('query.')) this.#queryStep(e);
		if (table === 'site' && e.action === 'site.create') this.#site(e);
		if (table === 'user') {
			this.#tokensRevoked(e);
			this.#sites(e);
			this.secondFactor.take(e);
		}
	}

	#queryStep(e: FedEvent): void {
		const v = parse(e.new_values);
		const query = String(e.entity_id);
		const n = this.#steps.get(query) ?? 0;
		this.#steps.set(query, n + 1);
		const s = this.#state(this.events.data_query_step, `query ${query} step ${n}`);
		s.set('query_id', Number(e.entity_id));
		s.set('step', e.action.slice('query.'.length));
		s.set('text', typeof v.text === 'string' ? v.text : null);
		s.set('value', v.value ?? null);
	}

	#site(e: FedEvent): void {
		const v = parse(e.new_values);
		if (typeof v.code === 'string') this.#siteIds.set(v.code, Number(e.entity_id));
	}

	#sites(e: FedEvent): void {
		if (e.action !== 'user.create' && e.action !== 'user.update') return;
		const v = parse(e.new_values);
		const user = Number(e.entity_id);
		if (Array.isArray(v.siteIds)) {
			this.userSites.set(user, v.siteIds.map(Number));
		} else if (e.action === 'user.create') {
			const codes = Array.isArray(v.sites) ? v.sites : [];
			this.userSites.set(
				user,
				codes.map((c) => this.#siteIds.get(String(c)) ?? -1)
			);
		}
	}

	#verified(table: string, e: FedEvent): void {
		const v = parse(e.new_values);
		if (typeof v.verificationId !== 'number') return;
		const s = this.#state(this.events.source_verification, String(v.verificationId));
		s.set('entity_type', table);
		s.set('entity_id', Number(e.entity_id));
		s.set('field', v.field ?? null);
		s.set('value', v.value ?? null);
		s.set('entity_version', v.entityVersion);
		s.set('source', v.source ?? null);
		s.set('verified_by', e.actor_id);
	}

	#opened(e: FedEvent): void {
		const v = parse(e.new_values);
		const freeze = e.action === 'casebook.freeze';
		const [owner, id, at] = freeze
			? [`participant ${e.entity_id}`, v.freezeId, v.frozenAt]
			: [`study ${e.entity_id}`, v.lockId, v.lockedAt];
		const key = typeof id === 'number' ? String(id) : `${owner} at ${at}`;
		const s = this.#state(freeze ? this.events.casebook_freeze : this.events.study_lock, key);
		s.set(freeze ? 'participant_id' : 'study_id', Number(e.entity_id));
		s.set(freeze ? 'frozen_at' : 'locked_at', at);
		s.set('reason', e.reason);
		s.set(freeze ? 'frozen_by' : 'locked_by', e.actor_id);
		s.set(freeze ? 'unfrozen_at' : 'unlocked_at', null);
		this.#open.set(owner, key);
	}

	#lifted(e: FedEvent): void {
		const v = parse(e.new_values);
		const freeze = e.action === 'casebook.unfreeze';
		const owner = `${freeze ? 'participant' : 'study'} ${e.entity_id}`;
		const key = this.#open.get(owner);
		if (key === undefined) return;
		this.#open.delete(owner);
		const s = this.#state(freeze ? this.events.casebook_freeze : this.events.study_lock, key);
		const at = freeze ? v.unfrozenAt : v.unlockedAt;
		s.set(freeze ? 'unfrozen_at' : 'unlocked_at', typeof at === 'string' ? at : PRESENT);
		s.set(freeze ? 'unfreeze_reason' : 'unlock_reason', e.reason);
		s.set(freeze ? 'unfrozen_by' : 'unlocked_by', e.actor_id);
	}

	#unlockRequest(e: FedEvent): void {
		const owner = `request on study ${e.entity_id}`;
		if (e.action === 'study.unlock_request') {
			const v = parse(e.new_values);
			if (typeof v.requestId !== 'number') return;
			const s = this.#state(this.events.study_unlock_request, String(v.requestId));
			s.set('study_id', Number(e.entity_id));
			s.set('reason', e.reason);
			s.set('requested_by', e.actor_id);
			s.set('decision', null);
			this.#open.set(owner, String(v.requestId));
			return;
		}
		const key = this.#open.get(owner);
		if (key === undefined) return;
		this.#open.delete(owner);
		const s = this.#state(this.events.study_unlock_request, key);
		s.set('decision', e.action === 'study.unlock_approve' ? 'approved' : 'declined');
		s.set('decision_note', e.reason);
		s.set('decided_by', e.actor_id);
	}

	#alert(table: string, e: FedEvent): void {
		const v = parse(e.new_values);
		const key = `${v.kind} ${table} ${e.entity_id}`;
		const s = this.#state(this.events.alert_sent, key);
		s.set('kind', v.kind);
		s.set('entity_type', table);
		s.set('entity_id', Number(e.entity_id));
		if (Array.isArray(v.to)) s.set('recipients', v.to.join(', '));
	}

	#eproUse(e: FedEvent): void {
		const v = parse(e.new_values);
		if (typeof v.eproLinkId !== 'number') return;
		const s = this.#state(this.fed.epro_link, String(v.eproLinkId));
		s.set('scale_administration_id', Number(e.entity_id));
		s.set('used_at', typeof v.linkUsedAt === 'string' ? v.linkUsedAt : PRESENT);
	}

	#tokensRevoked(e: FedEvent): void {
		const v = parse(e.new_values);
		if (!Array.isArray(v.revokedTokenIds) || typeof v.tokensRevokedAt !== 'string') return;
		for (const id of v.revokedTokenIds) {
			this.#state(this.fed.api_token, String(id)).set('revoked_at', v.tokensRevokedAt);
		}
	}
}
