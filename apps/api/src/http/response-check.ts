import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What an answer did wrong against its operation's declared response, or null when it matches. */
export type ResponseProblem = { operation: string; status: number; problem: string };

/** `json`: the answer's validator, compiled the first time the operation answers (an app starts in every test file). */
type Declared = { statuses: Map<number, { json?: () => ValidateFunction; mediaTypes: string[] }> };

/**
 * Checks real answers against the response schemas of the OpenAPI document (RESPONSE_CHECK=strict; the e2e
 * tests run so, which makes every test a check of the contract the web app's types are generated from).
 * An operation that declares no response is left alone here; test/response-schemas.e2e-spec.ts fails
 * while one exists.
 */
export class ResponseChecker {
  private readonly operations = new Map<string, Declared>();

  constructor(document: OpenAPIObject) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // The components once, under an id the operations' references are rewritten to point into.
    ajv.addSchema({ $id: 'api', components: JSON.parse(JSON.stringify(document.components ?? {})) });
    const compile = (schema: unknown) => {
      let validate: ValidateFunction | undefined;
      return () => (validate ??= ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"api#/components/'))));
    };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const operation = item[method];
        if (!operation?.responses || !declaresResponses(operation.responses)) continue;
        const statuses: Declared['statuses'] = new Map();
        for (const [status, response] of Object.entries(operation.responses)) {
          const code = Number(status);
          if (!Number.isInteger(code) || code >= 400) continue;
          const content = (response && 'content' in response ? response.content : undefined) ?? {};
          const json = content['application/json']?.schema;
          statuses.set(code, {
            // A file declared as JSON (`@AnswersFile(['application/json'])`, a download) is checked by media type only.
            json: json && !isFile(json) ? compile(json) : undefined,
            mediaTypes: Object.keys(content),
          });
        }
        if (statuses.size) this.operations.set(`${method.toUpperCase()} ${path}`, { statuses });
      }
    }
  }

  /** Compiles every declared body schema now (a schema ajv cannot compile fails here); answers how many. */
  compileAll(): number {
    let count = 0;
    for (const { statuses } of this.operations.values()) {
      for (const answer of statuses.values()) if (answer.json && answer.json()) count++;
    }
    return count;
  }

  /** Routes are written `/api/branches/:id` in Fastify and `/api/branches/{id}` in the document. */
  static operationOf(method: string, routeUrl: string): string {
    return `${method.toUpperCase()} ${routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
  }

  /** `body`: the serialised answer, null for none, undefined for a stream (a file: checked by media type only). */
  check(operation: string, status: number, contentType: string | undefined, body: string | null | undefined): ResponseProblem | null {
    const declared = this.operations.get(operation);
    if (!declared || status >= 400 || status === 304) return null;
    const answer = declared.statuses.get(status);
    if (!answer) return { operation, status, problem: `status ${status} is not declared (declared: ${[...declared.statuses.keys()].join(', ')})` };
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!answer.mediaTypes.length) {
      return body ? { operation, status, problem: `answered a ${mediaType || 'body'} where no content is declared` } : null;
    }
    if (!answer.mediaTypes.includes(mediaType)) {
      return { operation, status, problem: `answered ${mediaType || 'no content type'}, declared ${answer.mediaTypes.join(', ')}` };
    }
    if (mediaType !== 'application/json' || !answer.json || body === undefined) return null;
    let value: unknown;
    try {
      value = body === null || body === '' ? undefined : JSON.parse(body);
    } catch {
      return { operation, status, problem: 'the body is not JSON' };
    }
    const validate = answer.json();
    if (validate(value)) return null;
    return { operation, status, problem: describe(validate.errors ?? []) };
  }

  /** Adds the check to every answer: a mismatch is logged and, in strict mode, replaces the answer with a 500. */
  install(fastify: FastifyInstance, onProblem: (problem: ResponseProblem) => void): void {
    fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const route = request.routeOptions?.url;
      if (!route || !route.startsWith('/api/')) return payload;
      // JSON answers arrive here serialised; streams (files) are checked by media type only.
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? null : undefined;
      const contentType = reply.getHeader('content-type') as string | undefined;
      const problem = this.check(ResponseChecker.operationOf(request.method, route), reply.statusCode, contentType, body);
      if (!problem) return payload;
      onProblem(problem);
      reply.status(500).header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify({
        statusCode: 500,
        code: 'RESPONSE_SCHEMA_MISMATCH',
        message: `${problem.operation} ${problem.status}: ${problem.problem}`,
        details: problem,
      });
    });
  }
}

/**
 * Whether the operation's responses were written down (`@Answers…` always give a description); Nest's
 * own default, a bare `{ description: '' }` for 200/201, says nothing about the body.
 */
export function declaresResponses(responses: Record<string, unknown>): boolean {
  return Object.values(responses).some((r) => typeof r === 'object' && r !== null && Boolean((r as { description?: string }).description));
}

function isFile(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as { format?: string }).format === 'binary';
}

function describe(errors: ErrorObject[]): string {
  // The deepest failures say most; anyOf/oneOf wrappers repeat them.
  const useful = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  return (useful.length ? useful : errors)
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}
