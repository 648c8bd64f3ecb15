// On a slow tablet the server's page is on screen, and typed into, before its scripts run. When
// they do, hydration sets every field to the value the page was rendered with, which would wipe
// what the nurse typed. The root layout notes what differs from the rendered page just before the
// page is hydrated (its script runs first) and puts it back once it is, announcing each field as
// typing would (input, change), so bound state and live totals follow.

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface Typed {
	field: Field;
	/** A text field's value, a box's checked state, or a list's chosen options. */
	value?: string;
	checked?: boolean;
	selected?: boolean[];
}

/** Inputs that hold nothing typed. */
const NOT_TYPED = new Set(['hidden', 'submit', 'button', 'reset', 'image', 'file']);

/** The option a single-choice list shows before anyone touches it. */
function defaultIndex(select: HTMLSelectElement): number {
	const options = [...select.options];
	const marked = options.map((o) => o.defaultSelected).lastIndexOf(true);
	return marked >= 0 ? marked : options.findIndex((o) => !o.disabled);
}

function typedIn(field: Field): Typed | null {
	if (field instanceof HTMLSelectElement) {
		const changed =
			field.multiple || field.size > 1
				? [...field.options].some((o) => o.selected !== o.defaultSelected)
				: field.selectedIndex !== defaultIndex(field);
		return changed ? { field, selected: [...field.options].map((o) => o.selected) } : null;
	}
	if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
		// A radio the user left is unchecked by the one chosen: only the chosen one is noted.
		if (field.type === 'radio' && !field.checked) return null;
		return field.checked !== field.defaultChecked ? { field, checked: field.checked } : null;
	}
	if (field instanceof HTMLInputElement && NOT_TYPED.has(field.type)) return null;
	return field.value !== field.defaultValue ? { field, value: field.value } : null;
}

/** What the user has typed or chosen in the page as the server rendered it. */
export function noteTyped(root: ParentNode = document): Typed[] {
	const fields = root.querySelectorAll<Field>('input, textarea, select');
	return [...fields].map(typedIn).filter((t): t is Typed => t !== null);
}

/** Puts back what hydration changed, and tells the page as typing would have. */
export function putBackTyped(typed: Typed[]): void {
	for (const { field, value, checked, selected } of typed) {
		if (!field.isConnected) continue;
		if (field instanceof HTMLSelectElement && selected) {
			if ([...field.options].every((o, i) => o.selected === selected[i])) continue;
			for (const [i, o] of [...field.options].entries()) o.selected = selected[i] ?? false;
		} else if (field instanceof HTMLInputElement && checked !== undefined) {
			if (field.checked === checked) continue;
			field.checked = checked;
		} else if (value !== undefined) {
			if (field.value === value) continue;
			field.value = value;
		} else {
			continue;
		}
		field.dispatchEvent(new Event('input', { bubbles: true }));
		field.dispatchEvent(new Event('change', { bubbles: true }));
	}
}
