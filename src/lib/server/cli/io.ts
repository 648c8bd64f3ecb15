// What a CLI command may touch: its output streams, standard input and the database.
import type { OpenedDatabase } from '../db';

export interface CliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	readStdin: () => Promise<string>;
	open: () => Promise<OpenedDatabase>;
}

/** A wrong command or argument: the message is printed with the command's help, exit code 2. */
export class UsageError extends Error {}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}
