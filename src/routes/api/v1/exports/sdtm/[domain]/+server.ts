import { NotFoundError } from '$lib/server/runtime/errors';
import { isSdtmDomain } from '$lib/server/export/filters';
import { exportRoute, queryOf } from '$lib/server/runtime/export-response';
import { exportDomainCsv } from '$lib/server/services/audit/exports';
import type { RequestHandler } from './$types';

// One SDTM domain (dm, sv, ds, ex, cm, ae, vs, qs) as RFC 4180 CSV, streamed as it is read.
export const GET: RequestHandler = exportRoute((ctx, event) => {
	const domain = (event.params.domain ?? '').toUpperCase();
	if (!isSdtmDomain(domain)) throw new NotFoundError('SDTM domain');
	return exportDomainCsv(ctx, domain, queryOf(event.url));
});
