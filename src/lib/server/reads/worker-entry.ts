// Where the read worker's code is. Run from source (tsx, vitest, vite dev) it is the TypeScript
// file beside this one, loaded through tsx; in the built server vite.config.ts replaces this
// module with the URL of the bundled worker chunk (see readWorkerPlugin there).
export interface WorkerEntry {
	url: URL;
	/** Needs the tsx loader. */
	typescript: boolean;
}

const SOURCE = './worker.ts';

export const READ_WORKER_ENTRY: WorkerEntry = {
	url: new URL(SOURCE, import.meta.url),
	typescript: true
};
