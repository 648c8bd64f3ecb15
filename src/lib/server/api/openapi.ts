// The OpenAPI 3.1 document, generated from the route table with Zod 4's toJSONSchema: the request
// bodies it shows are the schemas the services parse with, so it cannot drift from them.
import { z } from 'zod';
import { apiOperations, type ApiOperation } from './routes';
import { apiError } from './schemas';

type Json = Record<string, unknown>;

/** OpenAPI 3.1 schemas are JSON Schema 2020-12; a body is documented as the client sends it. */
const TO_JSON = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;

function jsonSchema(schema: z.ZodType): Json {
	const { $schema: _, ...rest } = z.toJSONSchema(schema, TO_JSON) as Json;
	return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
	description,
	content: { 'application/json': { schema: errorRef } }
});

const RESPONSES = {
	Unauthorized: errorResponse('No credentials, or a token that is unknown, revoked or disabled.'),
	Forbidden: errorResponse('Your role may not do this.'),
	NotFound: errorResponse('No such record, or one at a site you do not hold.'),
	Conflict: errorResponse(
		'The record changed or was entered in error; on vitals, warnings to confirm (`warnings`).'
	),
	UnsupportedMediaType: errorResponse('A write without content-type: application/json.'),
	Invalid: errorResponse('The body or query has problems: each in `fields` with its dotted path.'),
	ServerError: errorResponse('Unexpected; quote `requestId` to the administrator.')
};

const ref = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });

function parameters(op: ApiOperation): Json[] {
	const path = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
		name,
		in: 'path',
		required: true,
		// A self-report link's token is the one path parameter that is not a record id.
		schema: jsonSchema(
			name === 'token' ? z.string().regex(/^[a-z2-7]{16,64}$/) : z.number().int().positive()
		)
	}));
	const query = Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
		name,
		in: 'query',
		required: !(schema as z.ZodType).safeParse(undefined).success,
		schema: jsonSchema(schema as z.ZodType)
	}));
	return [...path, ...query];
}

function responses(op: ApiOperation): Json {
	const out: Json = {
		[op.creates ? '201' : '200']: {
			description: op.response,
			content: { 'application/json': { schema: {} } }
		}
	};
	if (!op.public) Object.assign(out, { '401': ref('Unauthorized'), '403': ref('Forbidden') });
	if (op.path.includes('{') || op.body) out['404'] = ref('NotFound');
	if (op.method !== 'get') {
		Object.assign(out, { '409': ref('Conflict'), '415': ref('UnsupportedMediaType') });
	}
	if (op.body || op.query) out['422'] = ref('Invalid');
	out['500'] = ref('ServerError');
	return out;
}

const operationId = (op: ApiOperation) =>
	op.method +
	op.path
		.replace('/api/v1', '')
		.split(/[^A-Za-z0-9]+/)
		.filter(Boolean)
		.map((w) => w[0]!.toUpperCase() + w.slice(1))
		.join('');

function operation(op: ApiOperation): Json {
	return {
		operationId: operationId(op),
		tags: [op.tag],
		summary: op.summary,
		...(op.description ? { description: op.description } : {}),
		...(op.public ? { security: [] } : {}),
		parameters: parameters(op),
		...(op.body
			? {
					requestBody: {
						required: true,
						content: {
							'application/json': { schema: { $ref: `#/components/schemas/${op.body.name}` } }
						}
					}
				}
			: {}),
		responses: responses(op)
	};
}

const DESCRIPTION = [
	"Vigil's JSON API over the same services as the pages: every call is checked for role and site",
	'and audited. Authenticate with a personal API token (make one under Account → API tokens) as',
	'`Authorization: Bearer vgl_…`, or with the session cookie of a signed-in browser. Writes send',
	'`content-type: application/json`. Ids are numbers; a record at a site you do not hold answers',
	'404. Date-times without an offset are read in the site time zone.'
].join(' ');

export function openApiDocument(now = new Date()): Json {
	const ops = apiOperations(now);
	const paths: Record<string, Json> = {};
	const schemas: Record<string, Json> = { Error: jsonSchema(apiError) };
	for (const op of ops) {
		(paths[op.path] ??= {})[op.method] = operation(op);
		if (op.body) schemas[op.body.name] ??= jsonSchema(op.body.schema);
	}
	return {
		openapi: '3.1.0',
		info: { title: 'Vigil JSON API', version: '1', description: DESCRIPTION },
		tags: [...new Set(ops.map((o) => o.tag))].map((name) => ({ name })),
		security: [{ bearerAuth: [] }, { sessionCookie: [] }],
		paths,
		components: {
			schemas,
			responses: RESPONSES,
			securitySchemes: {
				bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token.' },
				sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vigil_session' }
			}
		}
	};
}
