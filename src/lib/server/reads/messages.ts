// What the request thread and a read worker say to each other. A stream moves by credit: the
// worker sends one chunk for each 'pull', so a slow client slows the reading, never the memory.

export interface WorkerError {
	name: string;
	message: string;
}

export type ToWorker =
	| { type: 'query'; id: number; sql: string; parameters: readonly unknown[] }
	| { type: 'call'; id: number; job: string; args: unknown }
	| { type: 'start'; id: number; job: string; args: unknown }
	| { type: 'pull'; id: number }
	| { type: 'cancel'; id: number };

export type FromWorker =
	| { type: 'rows'; id: number; rows: unknown[] }
	| { type: 'value'; id: number; value: unknown }
	| { type: 'chunk'; id: number; bytes: Uint8Array }
	| { type: 'end'; id: number }
	| { type: 'error'; id: number; error: WorkerError };

export function workerError(e: unknown): WorkerError {
	return e instanceof Error
		? { name: e.name, message: e.message }
		: { name: 'Error', message: String(e) };
}
