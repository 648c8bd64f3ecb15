// The audit trail in words: each changed field by its label, its values with units, before → after,
// and the action as a sentence fragment. Used by the audit explorer and a record's history.
import { fieldInfo, fieldLabel, isRecordType, RECORD_TYPE_NAMES } from './fields';

export interface ReadableChange {
	/** The stored key, for those who need it. */
	field: string;
	label: string;
	/** The value before, in words; null when there was none (a first entry). */
	before: string | null;
	after: string | null;
}

/** The trail speaks of some records by a shorter name than the table's. */
const ENTITY_ALIASES: Record<string, string> = {
	vitals: 'vital_reading',
	scale: 'scale_administration'
};

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * One name for a field however its entry spelt it: trails written before the payload keys were
 * unified (server/audit/payloads.ts) say `heart_rate` where later ones say `heartRate`.
 */
export const fieldKey = (key: string) =>
	key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z$/;

/** One value as a person reads it: units, yes/no, UTC times without the T and Z. */
export function formatFieldValue(type: string, field: string, value: unknown): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (typeof value === 'number') {
		const unit = fieldInfo(ENTITY_ALIASES[type] ?? type, snake(field))?.unit;
		return unit ? `${value} ${unit}` : String(value);
	}
	if (typeof value === 'string') {
		const time = ISO_TIME.exec(value);
		return time ? `${time[1]} ${time[2]} UTC` : value;
	}
	if (Array.isArray(value)) return value.map((v) => formatFieldValue(type, '', v)).join(', ');
	if (typeof value === 'object') {
		return Object.entries(value as Record<string, unknown>)
			.map(([k, v]) => `${fieldLabel('', k)}: ${formatFieldValue(type, k, v)}`)
			.join('; ');
	}
	return String(value);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each field that changed, by label, before → after. A first entry has only "after"; fields
 * stored with the same value on both sides are left out.
 */
export function readableChanges(
	entityType: string,
	oldValues: unknown,
	newValues: unknown
): ReadableChange[] {
	const type = ENTITY_ALIASES[entityType] ?? entityType;
	if (oldValues === null && newValues === null) return [];
	if (
		!(isObject(oldValues) || oldValues === null) ||
		!(isObject(newValues) || newValues === null)
	) {
		return [
			{
				field: '',
				label: 'Value',
				before: oldValues === null ? null : formatFieldValue(type, '', oldValues),
				after: newValues === null ? null : formatFieldValue(type, '', newValues)
			}
		];
	}
	const before = oldValues ?? {};
	const after = newValues ?? {};
	const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return fields
		.filter((f) => !(f in before && f in after && same(before[f], after[f])))
		.map((field) => ({
			field,
			label: fieldLabel(type, snake(field)).replace(/^./, (c) => c.toUpperCase()),
			before: field in before ? formatFieldValue(type, field, before[field]) : null,
			after: field in after ? formatFieldValue(type, field, after[field]) : null
		}));
}

const FAMILY_NAMES: Record<string, string> = {
	auth: 'Sign-in',
	vitals: 'Vital signs',
	scale: 'Rating scale',
	flag: 'Flag',
	signature: 'Signature',
	alert: 'E-mail alert',
	api_token: 'API token',
	export: 'Export'
};
const VERBS: Record<string, string> = {
	create: 'recorded',
	update: 'corrected',
	entered_in_error: 'marked entered in error',
	not_done: 'recorded as not done',
	raise: 'raised',
	acknowledge: 'acknowledged',
	action: 'action recorded',
	close: 'closed',
	auto_close: 'closed automatically',
	escalate: 'escalated',
	sent: 'sent',
	failed: 'failed'
};

/** 'vitals.update' → 'Vital signs corrected'; unknown ones in plain words. */
export function actionWords(action: string): string {
	const [family = '', verb = ''] = action.split('.');
	const noun =
		FAMILY_NAMES[family] ??
		(isRecordType(family) ? RECORD_TYPE_NAMES[family] : fieldLabel('', family));
	const words = VERBS[verb] ?? verb.replace(/_/g, ' ');
	const sentence = words ? `${noun} ${words}` : noun;
	return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
