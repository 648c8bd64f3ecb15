// XML in the ODM and define.xml writers is Markup, which only the builder makes: text and
// attribute values go in as plain strings and come out escaped, and a plain string passed where
// markup is wanted is a type error (the @ts-expect-error lines below fail `npm run check` if it
// ever compiles).
import { describe, expect, it } from 'vitest';
import {
	closeTag,
	concat,
	el,
	EMPTY,
	NEWLINE,
	openTag,
	textEl,
	type Markup
} from '../../../src/lib/server/export/xml';

const hostile = `<script>alert("x")</script> & 'more'\u0001`;

describe('the XML builder', () => {
	it('escapes text and attribute values, and replaces characters XML cannot hold', () => {
		expect(textEl('Comment', hostile, { Note: hostile })).toBe(
			'<Comment Note="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;more&apos;\uFFFD">' +
				'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;more&apos;\uFFFD</Comment>'
		);
		// A line break in an attribute is kept as a character reference, not normalised away.
		expect(el('A', { v: 'a\nb\tc' })).toBe('<A v="a&#10;b&#9;c"/>');
	});

	it('nests markup as given, leaves out nothing-children, and writes a streamed document', () => {
		const doc = concat(
			openTag('ODM', { x: '1' }),
			NEWLINE,
			el('S', {}, EMPTY, textEl('T', 'a<b'), EMPTY),
			closeTag('ODM')
		);
		expect(doc).toBe('<ODM x="1">\n<S><T>a&lt;b</T></S></ODM>');
		expect(el('Empty', {}, EMPTY)).toBe('<Empty/>');
	});

	it('refuses a plain string where markup is wanted (a type error)', () => {
		const raw = '<Injected/>';
		// @ts-expect-error a plain string is not Markup: it would reach the file unescaped
		const child: Markup = raw;
		// @ts-expect-error nor can one be passed as an element's child
		el('Parent', {}, raw);
		// @ts-expect-error nor joined into a document
		concat(NEWLINE, raw);
		expect(child).toBe(raw);
	});
});
