import { NotFoundError } from '$lib/server/runtime/errors';
import { isSdtmDomain } from '$lib/server/export/filters';
import { exportRoute, queryOf } from '$lib/server/runtime/export-response';
import { exportDomainXpt } from '$lib/server/services/audit/exports';
import type { RequestHandler } from './$types';

// One SDTM domain (dm, sv, ds, ex, cm, ae, vs, qs) as a SAS XPORT v5 transport file.
export const GET: RequestHandler = exportRoute((ctx, event) => {
	const domain = (event.params.domain ?? '').toUpperCase();
	if (!isSdtmDomain(domain)) throw new NotFoundError('SDTM domain');
	return exportDomainXpt(ctx, domain, queryOf(event.url));
});
