import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { type Static, type TObject, type TProperties, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/**
 * What each operation answers, declared once as a TypeBox schema: the JSON Schema goes into the OpenAPI
 * document (so the web app's types are generated from it and the e2e tests check every real answer against
 * it, see response-check.ts) and `Static<typeof X>` is its TypeScript type.
 *
 * Shapes live in `apps/api/src/views/*.views.ts`. A shape the web app names is declared with `View(name, …)`:
 * it becomes `components.schemas[name]` and the returned reference can be used inside other shapes.
 */
const views = new Map<string, TSchema>();

export function View<T extends TSchema>(name: string, schema: T): TUnsafe<Static<T>> {
  const known = views.get(name);
  if (known && known !== schema) throw new Error(`response view ${name} is declared twice`);
  views.set(name, schema);
  return Type.Unsafe<Static<T>>({ $ref: `#/components/schemas/${name}` });
}

/**
 * An object of exactly these properties: an answer carrying a field its schema does not list fails the
 * response check (that is how an entity's internals would leak). Combine shapes with `Type.Composite`, not
 * `Type.Intersect` (which would refuse each other's fields).
 */
export function Shape<T extends TProperties>(properties: T, options: { description?: string } = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** `T | null` (OpenAPI 3.0 has no `null` type of its own; openapi-typescript and ajv read this form). */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ anyOf: [schema, { type: 'null' }] });
}

/** A timestamp as the API writes it: ISO 8601 with zone (`2026-12-04T09:00:00.000Z`). */
export const Timestamp = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });
/** A calendar day `YYYY-MM-DD`. */
export const Day = (options: { description?: string } = {}) => Type.String({ format: 'date', ...options });
export const Uuid = (options: { description?: string } = {}) => Type.String({ format: 'uuid', ...options });
/** One of a closed set of strings, typed as their union. */
export function OneOf<const V extends readonly string[]>(values: V, options: { description?: string } = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}
/** `{ items, total, page, pageSize }`, the shape of every paged list. */
export function Page<T extends TSchema>(item: T) {
  return Shape({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
}

interface AnswerOptions {
  /** 200 unless given; a POST that creates answers 201 (Nest's default for POST without @HttpCode). */
  status?: number;
  description?: string;
}

/** The operation answers `status` with JSON of this shape. */
export function Answers(schema: TSchema, options: AnswerOptions = {}): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: options.status ?? 200, description: options.description ?? 'OK', schema: plain(schema) });
}

/** A POST that creates: 201 with JSON of this shape. */
export function AnswersCreated(schema: TSchema, description = 'Created'): MethodDecorator & ClassDecorator {
  return Answers(schema, { status: 201, description });
}

/** The operation answers with no body (204 unless given). */
export function AnswersNothing(status = 204, description = 'No content'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description });
}

/** The operation answers with a file or page of these media types (CSV, xlsx, iCalendar, MARC, PDF...). */
export function AnswersFile(mediaTypes: string[], options: AnswerOptions = {}): MethodDecorator & ClassDecorator {
  const content = Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
  return applyDecorators(ApiResponse({ status: options.status ?? 200, description: options.description ?? 'A file', content }));
}

/** Puts every named view into the document's `components.schemas`. */
export function addResponseViews(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  for (const [name, schema] of [...views.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (document.components.schemas[name]) throw new Error(`response view ${name} has the name of a request DTO`);
    document.components.schemas[name] = plain(schema) as never;
  }
  return document;
}

/** TypeBox marks its schemas with symbols; the document wants plain JSON. */
function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema));
}
