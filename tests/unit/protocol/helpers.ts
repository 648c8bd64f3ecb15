import demoJson from '../../../src/lib/domain/protocol/demo-protocol.json';
import { parseProtocol } from '../../../src/lib/domain/protocol';
import type { ProtocolError } from '../../../src/lib/domain/protocol';

export type DemoInput = typeof demoJson;

/** A fresh, writable copy of the demo protocol file, changed by `change`. */
export function demoWith(change: (p: DemoInput) => void = () => {}): DemoInput {
	const copy = structuredClone(demoJson);
	change(copy);
	return copy;
}

/** The element at `index`, or a thrown error (keeps tests free of `!`). */
export function item<T>(list: T[], index: number): T {
	const found = list[index];
	if (found === undefined) throw new Error(`No element ${index}`);
	return found;
}

/** A loosely typed view, for writing values of the wrong type on purpose. */
export function loose(value: object): Record<string, unknown> {
	return value as Record<string, unknown>;
}

export function errorsOf(input: unknown): ProtocolError[] {
	const result = parseProtocol(input);
	return result.ok ? [] : result.errors;
}
