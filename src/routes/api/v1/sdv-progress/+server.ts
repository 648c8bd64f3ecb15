import { apiRoute } from '$lib/server/runtime/api-handler';
import { sdvProgress } from '$lib/server/services/monitoring/sdv-status';

export const GET = apiRoute(async (ctx) => ({ progress: await sdvProgress(ctx) }));
