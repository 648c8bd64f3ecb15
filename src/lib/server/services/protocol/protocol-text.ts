// A protocol pasted or read from a file: JSON first, then the protocol schema. Each problem is
// named by its field path, so the admin sees e.g. "safetyRules.vitals.systolic.high.action.value".
import { parseProtocol, type Protocol, type ProtocolError } from '../../../domain/protocol';
import { ValidationError } from '../../runtime/errors';

export type CheckedProtocol =
	{ ok: true; definition: unknown; protocol: Protocol } | { ok: false; errors: ProtocolError[] };

/** Line and column (from 1) of a character offset. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
	const before = text.slice(0, position);
	return { line: before.split('\n').length, column: position - before.lastIndexOf('\n') };
}

/**
 * V8 says where it stopped ("… in JSON at position 42", newer ones add "(line 3 column 5)") or that
 * the text ended early; either becomes a line and column. The path is empty: the whole text.
 */
function syntaxError(text: string, e: unknown): ProtocolError {
	const raw = e instanceof Error ? e.message : String(e);
	const at = /at position (\d+)/.exec(raw);
	const position = at ? Number(at[1]) : /end of JSON input/.test(raw) ? text.length : null;
	const what = raw
		.replace(/\s*\(line \d+ column \d+\)/, '')
		.replace(/\s*in JSON at position \d+/, '')
		.replace(/^Unexpected end of JSON input$/, 'The text ends before the JSON does')
		.replace(/\.$/, '');
	if (position === null) return { path: '', message: `Not valid JSON: ${what}.` };
	const { line, column } = lineAndColumn(text, position);
	return { path: '', message: `Not valid JSON at line ${line}, column ${column}: ${what}.` };
}

/** Parses the JSON text, then checks it as a protocol (defaults filled in). */
export function validateProtocolText(text: string): CheckedProtocol {
	if (text.trim() === '') {
		return { ok: false, errors: [{ path: '', message: 'Paste the protocol definition (JSON).' }] };
	}
	let definition: unknown;
	try {
		definition = JSON.parse(text);
	} catch (e) {
		return { ok: false, errors: [syntaxError(text, e)] };
	}
	const parsed = parseProtocol(definition);
	return parsed.ok ? { ok: true, definition, protocol: parsed.protocol } : parsed;
}

/** The parsed protocol, or a ValidationError whose field errors are keyed by path. */
export function protocolOrThrow(definition: unknown): Protocol {
	const parsed = parseProtocol(definition);
	if (parsed.ok) return parsed.protocol;
	const fieldErrors: Record<string, string[]> = {};
	for (const e of parsed.errors) (fieldErrors[e.path] ??= []).push(e.message);
	throw new ValidationError(fieldErrors, 'The protocol has errors.');
}
