import { json } from '@sveltejs/kit';
import { openApiDocument } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

// Public: the document describes the API and holds no data.
export const GET: RequestHandler = () => json(openApiDocument());
