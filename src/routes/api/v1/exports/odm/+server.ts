import { exportRoute, queryOf } from '$lib/server/runtime/export-response';
import { exportOdm } from '$lib/server/services/audit/exports';
import type { RequestHandler } from './$types';

// The study's audited history as one CDISC ODM 1.3.2 Transactional file, streamed.
export const GET: RequestHandler = exportRoute((ctx, event) => exportOdm(ctx, queryOf(event.url)));
