/** Records one cross-field problem at a path such as ['visits', 3, 'anchor']. */
export type Report = (path: (string | number)[], message: string) => void;

/** ['safetyRules', 'vitals', 'systolic'] → "safetyRules.vitals.systolic"; ['visits', 3] → "visits[3]". */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const key of path) {
		if (typeof key === 'number') out += `[${key}]`;
		else out += out === '' ? String(key) : `.${String(key)}`;
	}
	return out;
}
