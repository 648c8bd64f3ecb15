// XML 1.0 text and attributes, escaped; elements written as strings so a document can stream.
// Everything a writer puts in a document is Markup, and only this module makes Markup: text and
// attribute values go in as plain strings and come out escaped, so a raw string cannot reach an
// ODM or define.xml file unescaped (passing one where Markup is wanted is a type error).

declare const markupBrand: unique symbol;
/** Well-formed, escaped XML (an element, a run of them, or nothing). */
export type Markup = string & { readonly [markupBrand]: true };

const markup = (xml: string) => xml as Markup;

/** No markup: a child left out. */
export const EMPTY = markup('');
/** A line break between elements (the writers end each top-level piece with one). */
export const NEWLINE = markup('\n');
/** The XML declaration every document starts with. */
export const XML_DECLARATION = markup('<?xml version="1.0" encoding="UTF-8"?>\n');

/** Pieces of markup one after the other. */
export function concat(...parts: Markup[]): Markup {
	return markup(parts.join(''));
}

/** XML 1.0 §2.2 Char: anything else (most C0 controls, lone surrogates, U+FFFE/F) cannot appear. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	// In attributes a raw tab or line break would be normalised to a space (XML 1.0 §3.3.3).
	'\t': '&#9;',
	'\n': '&#10;',
	'\r': '&#13;'
};

/** Characters XML cannot carry become U+FFFD, so the loss is visible rather than silent. */
function clean(value: string): string {
	return value.replace(NOT_XML_CHAR, '\uFFFD');
}

export function escapeText(value: string): string {
	return clean(value).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c]!);
}

export function escapeAttr(value: string): string {
	return clean(value).replace(/[&<>"'\t\n\r]/g, (c) => TEXT_ESCAPES[c]!);
}

export type Attrs = Record<string, string | number | null | undefined>;

function attrText(attrs: Attrs): string {
	let out = '';
	for (const [name, value] of Object.entries(attrs)) {
		if (value === null || value === undefined) continue;
		out += ` ${name}="${escapeAttr(String(value))}"`;
	}
	return out;
}

/** An element with child markup, or self-closing without any. */
export function el(name: string, attrs: Attrs = {}, ...children: Markup[]): Markup {
	const body = children.join('');
	return markup(
		body ? `<${name}${attrText(attrs)}>${body}</${name}>` : `<${name}${attrText(attrs)}/>`
	);
}

/** An element holding text. */
export function textEl(name: string, text: string, attrs: Attrs = {}): Markup {
	return markup(`<${name}${attrText(attrs)}>${escapeText(text)}</${name}>`);
}

/** A start tag, for a document streamed in pieces (closeTag ends it). */
export function openTag(name: string, attrs: Attrs = {}): Markup {
	return markup(`<${name}${attrText(attrs)}>`);
}

export function closeTag(name: string): Markup {
	return markup(`</${name}>`);
}
