// A local stand-in for API Gateway HTTP API: each request becomes a payload-format-2.0 event for the
// function that owns its route, and the function's result becomes the response, as in AWS.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionDefinition } from '../lib/resources';
import { invoke, type Handler } from './lambda-runtime';

export interface Route {
  method: string;
  /** The route key as API Gateway writes it, e.g. `GET /stripe/payments/{paymentId}`. */
  routeKey: string;
  pattern: RegExp;
  parameterNames: string[];
  fn: FunctionDefinition;
  handler: Handler;
}

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export function compileRoute(routeKey: string, fn: FunctionDefinition, handler: Handler): Route {
  const [method, path] = routeKey.split(' ') as [string, string];
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        parameterNames.push(greedy[1]!);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        parameterNames.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, routeKey, pattern: new RegExp(`^${source}$`), parameterNames, fn, handler };
}

/**
 * API Gateway (HTTP API) passes text bodies as they are and base64-encodes everything else,
 * including a body with no content type and form posts.
 */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/javascript', 'application/xml'].includes(type);
}

/** The request target as a URL; a path starting with `//` stays a path, never a host. */
function requestUrl(request: IncomingMessage, domainName: string): URL {
  return new URL(`http://${domainName}${request.url?.startsWith('/') ? request.url : `/${request.url ?? ''}`}`);
}

/** CLF-style time as API Gateway writes `requestContext.time`: `23/Nov/2026:09:00:00 +0000`. */
function gatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/**
 * API Gateway picks the most specific route: literal segments before `{param}`, `{proxy+}` last.
 * Sorting once makes the first match the one AWS would choose.
 */
export function byPrecedence(a: Route, b: Route): number {
  const weight = (route: Route) =>
    route.routeKey
      .split(' ')[1]!
      .split('/')
      .map((segment) => (/^\{\w+\+\}$/.test(segment) ? 2 : /^\{\w+\}$/.test(segment) ? 1 : 0));
  const [wa, wb] = [weight(a), weight(b)];
  for (let i = 0; i < Math.max(wa.length, wb.length); i += 1) {
    const [x, y] = [wa[i] ?? -1, wb[i] ?? -1];
    if (x !== y) return x - y;
  }
  return 0;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_PAYLOAD_BYTES ? 'too_large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function toEvent(request: IncomingMessage, body: Buffer, route: Route, parameters: string[], domainName: string): APIGatewayProxyEventV2 {
  const url = requestUrl(request, domainName);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
      continue;
    }
    // Repeated headers are joined with commas, as API Gateway does in format 2.0.
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const pathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, parameters[i]!]));
  const now = new Date();
  const textual = isTextual(headers['content-type']);
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.parameterNames.length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  response.writeHead(status, headers);
  response.end(body);
}

interface HttpResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

/**
 * Lambda's result as the HTTP response API Gateway would send: a bare object or string means 200
 * JSON; a malformed structured result (a body that is not a string, say) throws, which the caller
 * turns into API Gateway's 500 before anything is written.
 */
function toHttpResult(result: unknown, requestId: string): HttpResult {
  const structured =
    result !== null && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
  const status = structured.statusCode ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`the function returned an invalid statusCode ${String(status)}`);
  if (structured.body !== undefined && typeof structured.body !== 'string') throw new Error('the function returned a body that is not a string');
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? '' : structured.isBase64Encoded ? Buffer.from(structured.body, 'base64') : structured.body;
  return { status, headers, body };
}

/** Matches a route and decodes its parameters; `undefined` when none matches, `'bad'` for a malformed escape. */
function route(routes: Route[], method: string | undefined, path: string): { route: Route; parameters: string[] } | 'bad' | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    try {
      return { route: candidate, parameters: match.slice(1).map((value) => decodeURIComponent(value)) };
    } catch {
      return 'bad';
    }
  }
  return undefined;
}

export interface HttpApi {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

export interface HttpApiOptions {
  routes: Route[];
  port: number;
  host: string;
  /** The variable that chooses the port, named in the error when it is taken. */
  portVariable?: string;
  region: string;
  onError(error: unknown, route: Route): void;
  /** Pages the local stack serves itself (not functions, not in API Gateway), for a GET no route matches. */
  staticFiles?: (pathname: string) => { contentType: string; body: Buffer } | undefined;
}

export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  let domainName = '';
  const routes = [...options.routes].sort(byPrecedence);
  const server = createServer((request, response) => {
    void (async () => {
      const gatewayRequestId = randomUUID();
      const gatewayError = (status: number, message: string) =>
        send(response, status, { 'content-type': 'application/json', 'apigw-requestid': gatewayRequestId }, JSON.stringify({ message }));
      const matched = route(routes, request.method, requestUrl(request, 'local').pathname);
      const body = await readBody(request);
      if (matched === 'bad') return gatewayError(400, 'Bad Request');
      if (!matched) {
        const file = request.method === 'GET' ? options.staticFiles?.(requestUrl(request, 'local').pathname) : undefined;
        if (file) return send(response, 200, { 'content-type': file.contentType, 'cache-control': 'no-cache' }, file.body);
        return gatewayError(404, 'Not Found');
      }
      if (body === 'too_large') return gatewayError(413, 'Request Entity Too Large');
      const event = toEvent(request, body, matched.route, matched.parameters, domainName);
      let result: HttpResult;
      try {
        result = toHttpResult(await invoke(matched.route.fn, matched.route.handler, event, options.region), event.requestContext.requestId);
      } catch (error) {
        // A function that throws, times out or answers nonsense gives API Gateway's opaque 500: nothing leaks.
        options.onError(error, matched.route);
        result = { status: 500, headers: { 'content-type': 'application/json', 'apigw-requestid': event.requestContext.requestId }, body: '{"message":"Internal Server Error"}' };
      }
      response.writeHead(result.status, result.headers);
      response.end(result.body);
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await listen(server, options.port, options.host, 'the API', options.portVariable);
  const port = (server.address() as AddressInfo).port;
  domainName = `${options.host}:${port}`;
  return {
    url: `http://${options.host}:${port}`,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export class PortInUseError extends Error {
  constructor(readonly what: string, readonly port: number, readonly variable?: string) {
    super(
      `port ${port} (${what}) is already in use: stop whatever holds it (\`lsof -i :${port}\`)` +
        (variable ? ` or choose another with ${variable}=<port>` : ''),
    );
    this.name = 'PortInUseError';
  }
}

/** Listens, turning EADDRINUSE into an error that says which port and what to do. */
export function listen(server: Server, port: number, host: string, what: string, variable?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(what, port, variable) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
