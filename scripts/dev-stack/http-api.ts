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

/** Textual bodies arrive as strings; anything else base64-encoded, as API Gateway does. */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/xml' ||
    type.endsWith('+xml')
  );
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

export function toEvent(request: IncomingMessage, body: Buffer, route: Route, match: RegExpExecArray, domainName: string): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', `http://${domainName}`);
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
  const pathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
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
      time: now.toISOString(),
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

/** Lambda's result becomes the HTTP response; a bare object or string means 200 JSON, as in AWS. */
function writeResult(response: ServerResponse, result: unknown, requestId: string): void {
  const base = { 'apigw-requestid': requestId };
  const structured =
    result !== null && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
  const headers: Record<string, string | string[]> = { ...base };
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? '' : structured.isBase64Encoded ? Buffer.from(structured.body, 'base64') : structured.body;
  response.writeHead(structured.statusCode ?? 200, headers);
  response.end(body);
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
}

export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  let domainName = '';
  const server = createServer((request, response) => {
    void (async () => {
      const gatewayRequestId = randomUUID();
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      let match: RegExpExecArray | null = null;
      const route = options.routes.find((r) => r.method === request.method && (match = r.pattern.exec(path)) !== null);
      if (!route || !match) {
        await readBody(request);
        send(response, 404, { 'content-type': 'application/json', 'apigw-requestid': gatewayRequestId }, '{"message":"Not Found"}');
        return;
      }
      const body = await readBody(request);
      if (body === 'too_large') {
        send(response, 413, { 'content-type': 'application/json', 'apigw-requestid': gatewayRequestId }, '{"message":"Request Entity Too Large"}');
        return;
      }
      const event = toEvent(request, body, route, match, domainName);
      try {
        writeResult(response, await invoke(route.fn, route.handler, event, options.region), event.requestContext.requestId);
      } catch (error) {
        // A function that throws or times out gives API Gateway's opaque 500: nothing leaks.
        options.onError(error, route);
        send(response, 500, { 'content-type': 'application/json', 'apigw-requestid': event.requestContext.requestId }, '{"message":"Internal Server Error"}');
      }
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
