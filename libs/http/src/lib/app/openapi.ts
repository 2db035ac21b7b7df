import { INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, reasonPhrase } from '../problem/problem';

export interface OpenApiOptions {
  /** Defaults to the service name. */
  title?: string;
  description?: string;
  version?: string;
}

const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } };

/** Documents that an operation may answer `status` with a problem, e.g. `@ApiProblemResponse(409, 'Move not allowed')`. */
export function ApiProblemResponse(
  status: number,
  description = reasonPhrase(status),
): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, content: problemContent });
}

/** Serves the document at `/openapi.json` and Swagger UI at `/docs`. */
export async function setUpOpenApi(
  app: INestApplication,
  serviceName: string,
  options: OpenApiOptions = {},
): Promise<OpenAPIObject> {
  await assertSwaggerUiAssetsLoadable();
  const config = new DocumentBuilder()
    .setTitle(options.title ?? serviceName)
    .setDescription(options.description ?? `The HTTP API of ${serviceName}.`)
    .setVersion(options.version ?? '1')
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = describeProblems(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: `${config.info.title} — API`,
  });
  return document;
}

/** Adds the problem schema and, on every operation, a `default` answer that is a problem. */
function describeProblems(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    FieldError: {
      type: 'object',
      required: ['field', 'message'],
      properties: {
        field: {
          type: 'string',
          description: 'Property path: `title`, `tags[0]`, `address.city`.',
          example: 'tags[0]',
        },
        message: { type: 'string', example: 'must be a string' },
      },
    },
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details; the body of every error answer.',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: { type: 'string', example: 'about:blank' },
        title: {
          type: 'string',
          description: 'The reason phrase of the status.',
          example: 'Bad Request',
        },
        status: { type: 'integer', example: 400 },
        detail: { type: 'string', example: 'Invalid request fields: title.' },
        instance: {
          type: 'string',
          description: 'The path of the failed request.',
          example: '/api/v1/tickets',
        },
        errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
      },
      additionalProperties: true,
    },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of [
      'get',
      'put',
      'post',
      'delete',
      'options',
      'head',
      'patch',
      'trace',
    ] as const) {
      const operation = pathItem[method];
      if (operation && !operation.responses['default']) {
        operation.responses['default'] = {
          description: 'Error (problem details)',
          content: problemContent,
        };
      }
    }
  }
  return document;
}

/**
 * Swagger UI's files are served by @fastify/static. When it cannot be loaded,
 * Nest calls process.exit(1) — which under Jest kills the test run with no
 * clue; fail with the cause instead.
 */
async function assertSwaggerUiAssetsLoadable(): Promise<void> {
  try {
    await import('@fastify/static');
  } catch (error) {
    throw new Error(
      `@fastify/static (serves Swagger UI) failed to load: ${error instanceof Error ? error.message : String(error)}. ` +
        'Under Jest, its ESM-only dependency content-disposition must be transformed to CommonJS (see libs/http/README.md).',
    );
  }
}
