import { checkExchange } from '../support/openapi-contract';
import type { E2eTarget } from './target';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/** A JSON client for the service's HTTP API, as an application would call it; every exchange is checked against the OpenAPI document. */
export function httpClient(target: () => E2eTarget) {
  return async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const response = await fetch(`${target().baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const requestBody = typeof options.body === 'string' ? safeJson(options.body) : options.body;
    checkExchange({ method, url: response.url, requestBody, status: response.status, contentType: response.headers.get('content-type'), body });
    return { status: response.status, headers: response.headers, body };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
