// A user's second factor against the user's entries: whether a TOTP key is there and whether it is
// confirmed (user.second_factor_enrol_start, _enrol, _reset), the key itself by the SHA-256 its
// start entry carries (from 2026-12-09; the key never enters the trail), and how many recovery
// codes are unused (enrolment and renewal state how many were made, each use how many are left;
// from 2026-12-09 also the SHA-256 of the set). A key deleted in SQL (two-step sign-in turned off
// for an administrator), a key swapped, or a recovery code added is reported with the user.
import type { Executor } from '../db';
import { sha256Hex } from './chain';
import type { DataMismatch } from './data-vs-trail';
import { Digest, PRESENT, type Present } from './trail-values';

interface Expected {
	/** null: no key; else whether it is confirmed and its digest when recorded. */
	totp: { enabled: boolean; secret: Digest | null } | null;
	unusedCodes: number | null;
	codes: Digest | null;
}

type Event = { entity_id: string | null; action: string; new_values: string | null };

const parse = (text: string | null): Record<string, unknown> => {
	try {
		const v: unknown = text ? JSON.parse(text) : null;
		return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
	} catch {
		return {};
	}
};

/** The SHA-256 of a user's recovery code hashes, sorted and joined by newlines. */
export const recoveryCodesDigest = (hashes: string[]) => sha256Hex([...hashes].sort().join('\n'));

export class SecondFactorTrail {
	readonly users = new Map<number, Expected>();

	take(e: Event): void {
		if (
			!e.action.startsWith('user.second_factor') &&
			!e.action.startsWith('user.recovery') &&
			e.action !== 'auth.recovery_code_used'
		) {
			return;
		}
		const user = Number(e.entity_id);
		const v = parse(e.new_values);
		let x = this.users.get(user);
		if (!x) this.users.set(user, (x = { totp: null, unusedCodes: null, codes: null }));
		switch (e.action) {
			case 'user.second_factor_enrol_start':
				x.totp = {
					enabled: false,
					secret: typeof v.secretSha256 === 'string' ? new Digest(v.secretSha256) : null
				};
				return;
			case 'user.second_factor_enrol':
				x.totp = { enabled: true, secret: x.totp?.secret ?? null };
				if (typeof v.recoveryCodes === 'number') x.unusedCodes = v.recoveryCodes;
				x.codes =
					typeof v.recoveryCodesSha256 === 'string' ? new Digest(v.recoveryCodesSha256) : null;
				return;
			case 'user.recovery_codes_renew':
				if (typeof v.recoveryCodes === 'number') x.unusedCodes = v.recoveryCodes;
				x.codes =
					typeof v.recoveryCodesSha256 === 'string' ? new Digest(v.recoveryCodesSha256) : null;
				return;
			case 'auth.recovery_code_used':
				if (typeof v.recoveryCodesLeft === 'number') x.unusedCodes = v.recoveryCodesLeft;
				return;
			case 'user.second_factor_reset':
				this.users.set(user, { totp: null, unusedCodes: 0, codes: null });
		}
	}
}

function mismatch(
	user: number,
	table: 'user_totp' | 'recovery_code',
	field: string | null,
	trail: unknown,
	data: unknown,
	what: string
): DataMismatch {
	return {
		table,
		id: String(user),
		field,
		trail,
		data,
		message: `${table} of user ${user} ${what}`
	};
}

export async function secondFactorAgainstTrail(
	db: Executor,
	trail: SecondFactorTrail
): Promise<DataMismatch[]> {
	const keys = await db
		.selectFrom('user_totp')
		.select(['user_id', 'secret', 'enabled_at'])
		.execute();
	const codes = await db
		.selectFrom('recovery_code')
		.select(['user_id', 'code_hash', 'used_at'])
		.execute();
	const found: DataMismatch[] = [];
	const keyOf = new Map(keys.map((k) => [Number(k.user_id), k]));
	const codesOf = new Map<number, typeof codes>();
	for (const c of codes) {
		codesOf.set(Number(c.user_id), [...(codesOf.get(Number(c.user_id)) ?? []), c]);
	}
	for (const user of new Set([...keyOf.keys(), ...codesOf.keys(), ...trail.users.keys()])) {
		const x = trail.users.get(user);
		const key = keyOf.get(user);
		const want = x?.totp ?? null;
		if (key && !want) {
			found.push(
				mismatch(
					user,
					'user_totp',
					null,
					null,
					'row',
					'is in the database but the audit trail enrolled no key (or reset it)'
				)
			);
		} else if (!key && want) {
			found.push(
				mismatch(
					user,
					'user_totp',
					null,
					'row',
					null,
					'is in the audit trail but its row is gone from the database'
				)
			);
		} else if (key && want) {
			const enabled: Present | null = want.enabled ? PRESENT : null;
			if ((key.enabled_at !== null) !== want.enabled) {
				found.push(
					mismatch(
						user,
						'user_totp',
						'enabled_at',
						enabled?.toJSON() ?? null,
						key.enabled_at,
						`enabled_at is ${JSON.stringify(key.enabled_at)} but the audit trail says ${want.enabled ? 'confirmed' : 'not confirmed'}`
					)
				);
			}
			if (want.secret && !want.secret.matches(key.secret)) {
				found.push(
					mismatch(
						user,
						'user_totp',
						'secret',
						want.secret.toJSON(),
						`sha256:${sha256Hex(key.secret)}`,
						'secret is not the key the audit trail recorded (SHA-256 compared; not shown)'
					)
				);
			}
		}
		const stored = codesOf.get(user) ?? [];
		const unused = stored.filter((c) => c.used_at === null).length;
		const wantUnused = x?.unusedCodes ?? (stored.length === 0 ? 0 : null);
		if (wantUnused === null) {
			found.push(
				mismatch(
					user,
					'recovery_code',
					null,
					null,
					'rows',
					'are in the database but the audit trail made none'
				)
			);
		} else if (unused !== wantUnused) {
			found.push(
				mismatch(
					user,
					'recovery_code',
					'used_at',
					wantUnused,
					unused,
					`has ${unused} unused but the audit trail says ${wantUnused}`
				)
			);
		} else if (
			x?.codes &&
			!x.codes.matches(
				stored
					.map((c) => c.code_hash)
					.sort()
					.join('\n')
			)
		) {
			found.push(
				mismatch(
					user,
					'recovery_code',
					'code_hash',
					x.codes.toJSON(),
					null,
					'are not the codes the audit trail recorded (SHA-256 compared; not shown)'
				)
			);
		}
	}
	return found;
}
