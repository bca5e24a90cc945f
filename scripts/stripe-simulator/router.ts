// A small method + path router. Resource modules register their routes on it.
import type { IncomingHttpHeaders } from 'node:http';
import type { FormObject } from './form';
import type { SimulatorCore } from './core';
import type { StripeEvent } from './events';
import type { StripeObject } from './store';

export interface RequestContext {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Named path segments, e.g. `{ id: 'cus_…' }` for `/v1/customers/:id`. */
  pathParams: Record<string, string>;
  /** Body parameters for POST, query parameters otherwise. */
  params: FormObject;
  query: FormObject;
  headers: IncomingHttpHeaders;
  rawBody: string;
  requestId: string;
  idempotencyKey: string | undefined;
  core: SimulatorCore;
  /** Records an event attributed to this request. */
  emit(type: string, object: StripeObject, previousAttributes?: Record<string, unknown>): StripeEvent;
}

/** A non-JSON answer (HTML pages, redirects). */
export class RawResponse {
  constructor(
    readonly status: number,
    readonly body: string | Buffer,
    readonly headers: Record<string, string> = {},
  ) {}

  static html(body: string, status = 200): RawResponse {
    return new RawResponse(status, body, { 'Content-Type': 'text/html; charset=utf-8' });
  }

  static redirect(location: string, status = 303): RawResponse {
    return new RawResponse(status, '', { Location: location });
  }
}

/** A JSON answer with a status other than 200. */
export class JsonResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export type Handler = (ctx: RequestContext) => unknown;

export interface RouteOptions {
  /** Whether the secret key is required (Stripe's API: yes; hosted pages, simulator controls: no). */
  auth?: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  options: Required<RouteOptions>;
}

export interface RouteMatch {
  handler: Handler;
  pathParams: Record<string, string>;
  options: Required<RouteOptions>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler, options: RouteOptions = {}): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path
        .split('/')
        .map((segment) => {
          if (segment.startsWith(':')) {
            keys.push(segment.slice(1));
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/')}/?$`,
    );
    this.routes.push({ method, pattern, keys, handler, options: { auth: options.auth ?? true } });
  }

  get(path: string, handler: Handler, options?: RouteOptions): void {
    this.add('GET', path, handler, options);
  }

  post(path: string, handler: Handler, options?: RouteOptions): void {
    this.add('POST', path, handler, options);
  }

  delete(path: string, handler: Handler, options?: RouteOptions): void {
    this.add('DELETE', path, handler, options);
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        pathParams[key] = decodeURIComponent(m[i + 1]!);
      });
      return { handler: route.handler, pathParams, options: route.options };
    }
    return undefined;
  }

  /** Whether any route serves this path, under any method. */
  knowsPath(path: string): boolean {
    return this.routes.some((r) => r.pattern.test(path));
  }
}
