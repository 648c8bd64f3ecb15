// The corrections rule: a saved value may change only with a reason, and the audit trail keeps
// old and new. Filling a field that was empty is data entry and needs no reason.
import type { AuditAction } from '../../audit/actions';
import { canonicalJson } from '../../audit/chain';
import { appendAudit } from '../../audit/log';
import type { Trx } from '../../db';
import { ValidationError } from '../../runtime/errors';
import { reasonProblem } from '../../../schemas/input';
import type { ServiceContext } from '../../runtime/context';
import { createdStamp, updatedStamp } from './stamps';

export interface Change<T> {
	oldValues: Partial<T>;
	newValues: Partial<T>;
	/** True when a value that had been saved (not empty) changes. */
	altersSavedValue: boolean;
}

export function changeOf<T extends Record<string, unknown>>(
	before: T,
	after: Partial<T>
): Change<T> | null {
	const oldValues: Partial<T> = {};
	const newValues: Partial<T> = {};
	let altersSavedValue = false;
	for (const key of Object.keys(after) as Array<keyof T>) {
		if (after[key] === undefined) continue;
		if (canonicalJson(before[key] ?? null) === canonicalJson(after[key] ?? null)) continue;
		oldValues[key] = before[key];
		newValues[key] = after[key];
		if (before[key] !== null && before[key] !== undefined) altersSavedValue = true;
	}
	return Object.keys(newValues).length === 0 ? null : { oldValues, newValues, altersSavedValue };
}

/** A reason, trimmed, or a field error when the change needs one and none was given. */
export function requireReasonFor(
	change: { altersSavedValue: boolean },
	reason: unknown
): string | null {
	const text = typeof reason === 'string' ? reason.trim() : '';
	if (change.altersSavedValue && text.length === 0) {
		throw new ValidationError({ reason: ['Give a reason for changing a saved value.'] });
	}
	const problem = text ? reasonProblem(text) : null;
	if (problem) throw new ValidationError({ reason: [problem] });
	return text || null;
}

export function requireReason(reason: unknown, message = 'Give a reason.'): string {
	const text = typeof reason === 'string' ? reason.trim() : '';
	if (text.length === 0) throw new ValidationError({ reason: [message] });
	const problem = reasonProblem(text);
	if (problem) throw new ValidationError({ reason: [problem] });
	return text;
}

/** A record as first saved: made now by the caller, not yet changed, not struck. */
export function newRecordColumns(ctx: ServiceContext, at = ctx.now().toISOString()) {
	return {
		...createdStamp(ctx, at),
		updated_at: null,
		updated_by: null,
		entered_in_error_at: null,
		entered_in_error_reason: null
	};
}

/**
 * A record struck as entered in error: the row stays (lists and clocks drop it) and the trail
 * says when and why. `marks` are its two columns, `columns` add who changed it last, `trail` is
 * the audit entry's values and reason. `reason` is the one `requireReason` returned.
 */
export function enteredInError(ctx: ServiceContext, reason: string) {
	const at = ctx.now().toISOString();
	const marks = { entered_in_error_at: at, entered_in_error_reason: reason };
	return {
		at,
		marks,
		columns: { ...marks, ...updatedStamp(ctx, at) },
		trail: {
			oldValues: { enteredInErrorAt: null },
			newValues: { enteredInErrorAt: at },
			reason
		}
	};
}

/** The records that are struck rather than deleted. */
type StruckType =
	| 'vital_reading'
	| 'dosing_session'
	| 'adverse_event'
	| 'scale_administration'
	| 'protocol_deviation'
	| 'concomitant_medication'
	| 'blinding_guess';

/**
 * Strikes a record as entered in error, inside the caller's transaction and after its access
 * check and reason: `write` stores the marks (`struck.columns` or `struck.marks`, with anything
 * that must follow the row), then the trail records it. Returns the marks for what comes next.
 */
export async function strikeRecord(
	trx: Trx,
	ctx: ServiceContext,
	record: { action: AuditAction; entityType: StruckType; entityId: number; siteId: number },
	reason: string,
	write: (struck: ReturnType<typeof enteredInError>) => Promise<unknown>
) {
	const struck = enteredInError(ctx, reason);
	await write(struck);
	await appendAudit(trx, ctx, { ...record, ...struck.trail });
	return struck;
}
