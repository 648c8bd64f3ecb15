// An export as an HTTP download: streamed, never cached, named for the browser to save.
import type { RequestEvent } from '@sveltejs/kit';
import { apiContext, errorResponse } from './api-handler';
import type { ServiceContext } from './context';
import type { ExportFile } from '../export/stream';

/** The row count the export started with, for a progress bar (the length is not known ahead). */
export const ROW_COUNT_HEADER = 'x-vigil-row-count';

export function downloadResponse(file: ExportFile): Response {
	const headers: Record<string, string> = {
		'content-type': file.contentType,
		'content-disposition': `attachment; filename="${file.filename}"`,
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff'
	};
	if (file.rowCountHint !== undefined) headers[ROW_COUNT_HEADER] = String(file.rowCountHint);
	return new Response(file.stream, { headers });
}

/** A GET that streams an export; failures before the first byte answer in the API's JSON shape. */
export function exportRoute(
	open: (ctx: ServiceContext, event: RequestEvent) => Promise<ExportFile>
) {
	return async (event: RequestEvent): Promise<Response> => {
		try {
			return downloadResponse(await open(await apiContext(event), event));
		} catch (e) {
			return errorResponse(e, event);
		}
	};
}

/** The query string as the filters' input: every parameter once. */
export const queryOf = (url: URL): Record<string, string> => Object.fromEntries(url.searchParams);
