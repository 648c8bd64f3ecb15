// Text produced piece by piece as a web stream of UTF-8 bytes, as SvelteKit endpoints return. The
// stream pulls: nothing is read from the database until the client asks for more, and a client
// that goes away stops the reading (cancel closes the generator).

/**
 * A piece a source yields where it is about to go quiet for a while (define.xml before it measures
 * the rows, the auditor bundle between files): the bytes gathered so far are handed on at once
 * instead of waiting for a chunk's worth (reads/executor.ts coalesce). Known by its identity, it
 * carries no bytes.
 */
export const FLUSH: Uint8Array = new Uint8Array(0);

/** Bytes gathered before a chunk is handed on: large enough for throughput, small for memory. */
const CHUNK_BYTES = 32 * 1024;

export function textStream(
	pieces: AsyncIterable<string>,
	chunkChars = CHUNK_BYTES
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const iterator = pieces[Symbol.asyncIterator]();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				let buffer = '';
				while (buffer.length < chunkChars) {
					const next = await iterator.next();
					if (next.done) {
						if (buffer) controller.enqueue(encoder.encode(buffer));
						controller.close();
						return;
					}
					buffer += next.value;
				}
				controller.enqueue(encoder.encode(buffer));
			},
			async cancel() {
				await iterator.return?.();
			}
		},
		{ highWaterMark: 0 }
	);
}

/** An export ready to send: its name, type and bytes, read only as the client takes them. */
export interface ExportFile {
	filename: string;
	contentType: string;
	stream: ReadableStream<Uint8Array>;
	/** Rows (CSV) or transactions (ODM) counted when the export started. */
	rowCountHint?: number;
}
