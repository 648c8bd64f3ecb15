// What the allocation checks share (allocation-vs-trail.ts): their tables, and a mismatch that
// never shows an arm, a block or the seed. Admins and auditors run verify, and both are blinded
// roles (roles.ts UNBLINDED_ROLES).
import type * as allocation from '../repositories/allocation';
import type { DataMismatch } from './data-vs-trail';

export const ALLOCATION_TABLES = [
	'randomisation',
	'allocation_slot',
	'randomisation_seed'
] as const;
export type AllocationTable = (typeof ALLOCATION_TABLES)[number];

/** What verify prints instead of a value that would unblind its reader. */
export const CONCEALED = '(concealed)';
const SECRET_FIELDS = new Set(['arm', 'block', 'block_size', 'seed']);

export type Slot = Awaited<ReturnType<typeof allocation.allSlots>>[number];
export type Event = {
	entity_id: string | null;
	action: string;
	new_values: string | null;
	reason: string | null;
};

export const parse = (text: string | null): Record<string, unknown> => {
	try {
		return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
	} catch {
		return {};
	}
};

export function mismatch(
	table: AllocationTable,
	id: string,
	field: string | null,
	trail: unknown,
	data: unknown,
	what: string
): DataMismatch {
	const secret = field !== null && SECRET_FIELDS.has(field);
	const message = secret
		? `${table} ${id} ${field} differs from what the audit trail recorded (${what}; not shown: it would unblind)`
		: field === null
			? `${table} ${id} ${what}`
			: `${table} ${id} ${field} is ${JSON.stringify(data)} but the audit trail says ${JSON.stringify(trail)} (${what})`;
	return {
		table,
		id,
		field,
		trail: secret ? CONCEALED : trail,
		data: secret ? CONCEALED : data,
		message
	};
}
