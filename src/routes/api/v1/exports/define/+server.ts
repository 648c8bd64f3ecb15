import { exportRoute, queryOf } from '$lib/server/runtime/export-response';
import { exportDefineXml } from '$lib/server/services/audit/exports';
import type { RequestHandler } from './$types';

// define.xml (CDISC Define-XML 2.1) describing the SDTM datasets the same filters give.
export const GET: RequestHandler = exportRoute((ctx, event) =>
	exportDefineXml(ctx, queryOf(event.url))
);
