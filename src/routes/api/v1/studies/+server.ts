import { apiRoute } from '$lib/server/api';
import { studyJson } from '$lib/server/api/serialize';
import { listStudies } from '$lib/server/services/studies';

export const GET = apiRoute(async (ctx) => ({ studies: (await listStudies(ctx)).map(studyJson) }));
