import { apiRoute } from '$lib/server/runtime/api-handler';
import { studyJson } from '$lib/server/api/serialize';
import { listStudies } from '$lib/server/services/protocol/studies';

export const GET = apiRoute(async (ctx) => ({ studies: (await listStudies(ctx)).map(studyJson) }));
