import createClient, { type Middleware } from 'openapi-fetch';
import type { Branch, IndicatorRow, paths, Staff } from './schema';
import { i18n } from '../i18n';

/** What the API answers on every error: `{statusCode, code, message, details}`, message in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'culture.tokens';
let tokens: Tokens | null = readTokens();
const listeners = new Set<(t: Tokens | null) => void>();

function readTokens(): Tokens | null {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function currentTokens(): Tokens | null {
  return tokens;
}

export function setTokens(next: Tokens | null): void {
  tokens = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
  listeners.forEach((l) => l(next));
}

export function onTokensChange(listener: (t: Tokens | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function expiresSoon(accessToken: string): boolean {
  try {
    const payload = JSON.parse(atob(accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && payload.exp * 1000 - Date.now() < 30_000;
  } catch {
    return true;
  }
}

// One refresh at a time: refresh tokens rotate, so a second parallel refresh would end the session.
let refreshing: Promise<void> | null = null;
export async function freshAccessToken(): Promise<string | null> {
  if (!tokens) return null;
  if (expiresSoon(tokens.accessToken)) {
    refreshing ??= (async () => {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens!.refreshToken }),
      });
      setTokens(res.ok ? await res.json() : null);
    })().finally(() => (refreshing = null));
    await refreshing;
  }
  return tokens?.accessToken ?? null;
}

const auth: Middleware = {
  async onRequest({ request, schemaPath }) {
    request.headers.set('accept-language', i18n.language === 'en' ? 'en' : 'zh-CN');
    if (schemaPath === '/api/auth/refresh' || schemaPath === '/api/auth/login') return request;
    const token = await freshAccessToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401 && tokens) setTokens(null);
    noteServerClock(response.headers.get('date'));
    return response;
  },
};

// The server's clock as its answers tell it, so a phone a few seconds slow or fast still counts down to
// the moment the server opens a registration. An answer's `Date` header (whole seconds, rounded down) says
// the server's clock had at least reached it when the answer arrived: the largest such lower bound is the
// closest, and never runs ahead of the server (a button enabled by it is not pressed into a "not open
// yet"). A bound two seconds off the one held means a clock was set: start again from it.
let serverOffsetMs: number | null = null;
function noteServerClock(date: string | null): void {
  const at = date ? Date.parse(date) : NaN;
  if (!Number.isFinite(at)) return;
  const bound = at - Date.now();
  serverOffsetMs = serverOffsetMs === null || bound > serverOffsetMs || serverOffsetMs - bound > 2000 ? bound : serverOffsetMs;
}

/** Now by the server's clock, never ahead of it by what its answers tell (the browser's clock before any). */
export function serverNow(): number {
  return Date.now() + (serverOffsetMs ?? 0);
}

/** The typed client: paths, parameters and bodies are checked against the OpenAPI document (schema.d.ts). */
export const client = createClient<paths>({ baseUrl: '' });
client.use(auth);

/**
 * Unwraps an openapi-fetch result. Most operations do not declare a response schema yet, so the caller
 * names the view it expects (views.ts); errors become ApiError with the API's code and message.
 */
export async function call<T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (error ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(response.status, body.code ?? 'HTTP_' + response.status, body.message ?? response.statusText, body.details);
  }
  return data as T;
}

/**
 * Operations that read `Accept-Language` list it as a required header in the OpenAPI document; the
 * middleware sets it on every request anyway, this only satisfies their types.
 */
export const languageHeader = () => ({ 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' });

// Names the pages use for parts of the generated response types (schema.d.ts); no shape is written here.
/** The paging envelope of every list (`BranchPage` is `Page<Branch>`). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export type Role = 'resident' | Staff['role'];
export type OpeningInterval = Branch['openingHours'][number];
export type IndicatorStatus = IndicatorRow['status'];
