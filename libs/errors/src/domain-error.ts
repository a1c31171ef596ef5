/**
 * What went wrong, in terms a transport can translate. The HTTP filter maps each kind to a
 * status in one exhaustive switch; domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'too_large'
  | 'too_many_requests'
  | 'unavailable';

export type Locale = 'zh-CN' | 'en';

export interface ErrorDefinition {
  kind: ErrorKind;
  /** zh-CN text; `{name}` is filled from the error's details. */
  zh: string;
  /** English text; same placeholders. */
  en: string;
  /** Words for detail values that are codes (`{status}` = "delivered" reads 已配送 in Chinese); a value without one is shown as it is. */
  labels?: Record<string, Record<string, { zh: string; en: string }>>;
}

export type ErrorDetails = Record<string, unknown>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly definition: ErrorDefinition,
    readonly details: ErrorDetails = {},
  ) {
    super(fill(definition, 'en', details));
    this.name = 'DomainError';
  }

  get kind(): ErrorKind {
    return this.definition.kind;
  }

  messageIn(locale: Locale): string {
    return fill(this.definition, locale, this.details);
  }
}

function fill(definition: ErrorDefinition, locale: Locale, details: ErrorDetails): string {
  const template = locale === 'en' ? definition.en : definition.zh;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (details[key] === undefined) return whole;
    const value = String(details[key]);
    const label = definition.labels?.[key]?.[value];
    return label ? (locale === 'en' ? label.en : label.zh) : value;
  });
}

export type ErrorFactories<T extends Record<string, ErrorDefinition>> = {
  [K in keyof T]: (details?: ErrorDetails) => DomainError;
};

/**
 * Declares a domain's errors once: stable code, kind, and both texts.
 *   const AccountError = defineErrors({ PHONE_TAKEN: { kind: 'conflict', zh: '…', en: '…' } });
 *   throw AccountError.PHONE_TAKEN({ field: 'phone' });
 */
export function defineErrors<T extends Record<string, ErrorDefinition>>(definitions: T): ErrorFactories<T> {
  const factories = {} as ErrorFactories<T>;
  for (const code of Object.keys(definitions) as Array<keyof T & string>) {
    factories[code] = (details?: ErrorDetails) => new DomainError(code, definitions[code], details);
  }
  return factories;
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
