// Old trails still verify: entries written before a payload key was added (freezeId, lockId,
// unfrozenAt, linkUsedAt, revokedTokenIds, the digests) state less, and what they do not state
// is not compared; what they do state still is.
import { describe, expect, it } from 'vitest';
import { replay, sameValue } from '../../../src/lib/server/audit/data-vs-trail';
import { TrailFeeds } from '../../../src/lib/server/audit/trail-feeds';
import { Digest, PRESENT } from '../../../src/lib/server/audit/trail-values';
import { sha256Hex } from '../../../src/lib/server/audit/chain';

const e = (
	entity_id: string,
	action: string,
	values: object | null,
	reason: string | null = null
) => ({
	entity_id,
	action,
	new_values: values === null ? null : JSON.stringify(values),
	reason,
	actor_id: null
});

describe('a freeze and a lock written before their ids were recorded', () => {
	it('are matched by participant or study and time; an old unfreeze says only that it was lifted', () => {
		const feeds = new TrailFeeds();
		feeds.take(
			'participant',
			e('7', 'casebook.freeze', { frozen: true, frozenAt: 'T1' }, 'Review')
		);
		feeds.take('participant', e('7', 'casebook.unfreeze', { frozen: false }, 'Correction'));
		feeds.take('study', e('1', 'study.lock', { locked: true, lockedAt: 'T2' }));
		const freeze = feeds.events.casebook_freeze.get('participant 7 at T1')!;
		expect(Object.fromEntries(freeze)).toEqual({
			participant_id: 7,
			frozen_at: 'T1',
			frozen_by: null, // the operator (no user) in this entry
			reason: 'Review',
			unfrozen_at: PRESENT,
			unfrozen_by: null,
			unfreeze_reason: 'Correction'
		});
		expect(sameValue(freeze.get('unfrozen_at'), '2026-11-20T10:00:00.000Z')).toBe(true);
		expect(sameValue(freeze.get('unfrozen_at'), null)).toBe(false);
		expect(feeds.events.study_lock.get('study 1 at T2')!.get('unlocked_at')).toBeNull();
	});

	it('a new freeze is keyed by its row and its lifting compared to the instant', () => {
		const feeds = new TrailFeeds();
		feeds.take('participant', e('7', 'casebook.freeze', { frozenAt: 'T1', freezeId: 3 }));
		feeds.take('participant', e('7', 'casebook.unfreeze', { freezeId: 3, unfrozenAt: 'T3' }, 'x'));
		expect(feeds.events.casebook_freeze.get('3')!.get('unfrozen_at')).toBe('T3');
	});
});

describe('tokens, links and passwords in old trails', () => {
	it('an old disabling (a count, no ids) states no token; a new one states each it revoked', () => {
		const feeds = new TrailFeeds();
		feeds.take('user', e('2', 'user.disable', { disabledAt: 'T1', tokensRevoked: 2 }));
		expect(feeds.fed.api_token.size).toBe(0);
		feeds.take('user', e('2', 'user.disable', { revokedTokenIds: [4, 5], tokensRevokedAt: 'T2' }));
		expect([...feeds.fed.api_token.keys()]).toEqual(['4', '5']);
	});

	it("an old ePRO answer states the link's use without its time", () => {
		const feeds = new TrailFeeds();
		feeds.take('scale_administration', e('9', 'epro.submit', { eproLinkId: 4 }));
		expect(Object.fromEntries(feeds.fed.epro_link.get('4')!)).toEqual({
			scale_administration_id: 9,
			used_at: PRESENT
		});
	});

	it('a password hash is compared only from the first entry that carries its digest', () => {
		const columns = new Set(['id', 'role', 'password_hash']);
		const old = replay('user', [e('2', 'user.create', { role: 'coordinator' })], columns);
		expect(old.get('2')!.has('password_hash')).toBe(false);
		const hash = '$argon2id$v=19$m=19456,t=2,p=1$abc$def';
		const now = replay(
			'user',
			[
				e('2', 'user.create', { role: 'coordinator' }),
				e('2', 'user.password_change', { passwordHashSha256: sha256Hex(hash) })
			],
			columns
		);
		const digest = now.get('2')!.get('password_hash');
		expect(digest).toBeInstanceOf(Digest);
		expect(sameValue(digest, hash)).toBe(true);
		expect(sameValue(digest, hash + 'x')).toBe(false);
	});
});
