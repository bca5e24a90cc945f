import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FunctionDefinition } from '../../lib/resources';
import { compileRoute, listen, PortInUseError, startHttpApi, type HttpApi } from '../http-api';
import type { Handler } from '../lambda-runtime';

const fn = (id: string, timeoutSeconds = 5): FunctionDefinition => ({ id, entry: 'unused.ts', timeoutSeconds, memoryMb: 128, tables: [], secrets: [] });

let api: HttpApi;
const seen: APIGatewayProxyEventV2[] = [];
const errors: unknown[] = [];

const echo: Handler = async (event) => {
  seen.push(event as APIGatewayProxyEventV2);
  return { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes' }, body: JSON.stringify({ ok: true }), cookies: ['a=1', 'b=2'] };
};
const failing: Handler = async () => {
  throw new Error('database password is hunter2');
};
const slow: Handler = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 1500));
const bare: Handler = async () => ({ hello: 'world' });
const binary: Handler = async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true });
const malformed: Handler = async () => ({ statusCode: 200, body: { not: 'a string' } });
const named = (name: string): Handler => async () => ({ statusCode: 200, body: name });

/** fetch folds repeated headers and refuses GET bodies; a raw request sends exactly what we say. */
function rawRequest(method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer | string): Promise<number> {
  const { port } = api.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    request({ host: '127.0.0.1', port, path, method, headers: { ...headers, ...length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end(body);
  });
}

beforeAll(async () => {
  api = await startHttpApi({
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    onError: (error) => errors.push(error),
    routes: [
      compileRoute('POST /things/{thingId}/parts/{partId}', fn('echo'), echo),
      compileRoute('GET /files/{path+}', fn('echo'), echo),
      compileRoute('GET /fail', fn('failing'), failing),
      compileRoute('GET /slow', fn('slow', 1), slow),
      compileRoute('GET /bare', fn('bare'), bare),
      compileRoute('GET /binary', fn('binary'), binary),
      compileRoute('GET /malformed', fn('malformed'), malformed),
      // Listed least specific first: API Gateway still prefers the literal, then the parameter.
      compileRoute('GET /items/{path+}', fn('greedy'), named('greedy')),
      compileRoute('GET /items/{itemId}', fn('param'), named('param')),
      compileRoute('GET /items/summary', fn('literal'), named('literal')),
    ],
  });
});
afterAll(() => api.stop());
beforeEach(() => {
  seen.length = 0;
  errors.length = 0;
});

describe('the local HTTP API', () => {
  it('builds a payload format 2.0 event with the raw body, path parameters, query and joined headers', async () => {
    const body = '{"b":2,  "a":1}\n';
    const status = await rawRequest(
      'POST',
      '/things/t%201/parts/p2?x=1&x=2&y=3',
      { 'content-type': 'application/json', 'x-multi': ['one', 'two'], cookie: 'session=abc; theme=dark' },
      body,
    );
    expect(status).toBe(201);
    const response = await fetch(`${api.url}/things/a/parts/b`, { method: 'POST' });
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.headers.get('apigw-requestid')).toBe(seen[1]?.requestContext.requestId);
    const event = seen[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /things/{thingId}/parts/{partId}',
      rawPath: '/things/t%201/parts/p2',
      rawQueryString: 'x=1&x=2&y=3',
      queryStringParameters: { x: '1,2', y: '3' },
      pathParameters: { thingId: 't 1', partId: 'p2' },
      cookies: ['session=abc', 'theme=dark'],
      body,
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' }, stage: '$default', routeKey: 'POST /things/{thingId}/parts/{partId}' },
    });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
  });

  it('base64-encodes a body that is not text and matches greedy path parameters', async () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]);
    await fetch(`${api.url}/files/a/b/c.bin`, { method: 'GET' });
    expect(seen[0]?.pathParameters).toEqual({ path: 'a/b/c.bin' });
    await rawRequest('GET', '/files/x', { 'content-type': 'application/octet-stream' }, bytes);
    expect(seen[1]).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
  });

  it('answers 404 like API Gateway for an unknown route or method', async () => {
    for (const [method, path] of [['GET', '/nowhere'], ['DELETE', '/bare']] as const) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('hides a thrown error behind an opaque 500 and reports it', async () => {
    const response = await fetch(`${api.url}/fail`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(text).not.toContain('hunter2');
    expect(errors).toHaveLength(1);
  });

  it('fails an invocation that outlives the function timeout', async () => {
    const response = await fetch(`${api.url}/slow`);
    expect(response.status).toBe(500);
    expect(String(errors[0])).toContain('timed out after 1 s');
  });

  it('turns a bare object result into a 200 JSON response and decodes base64 results', async () => {
    const bare = await fetch(`${api.url}/bare`);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe('application/json');
    expect(await bare.json()).toEqual({ hello: 'world' });
    const binary = await fetch(`${api.url}/binary`);
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('names the port and the variable when the port is taken', async () => {
    const second = createServer();
    const port = (api.server.address() as AddressInfo).port;
    const attempt = listen(second, port, '127.0.0.1', 'the API', 'PORT');
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(`port ${port} (the API) is already in use`);
    await expect(attempt).rejects.toThrow('PORT=<port>');
  });

  it('base64-encodes bodies without a content type and form posts, as API Gateway does', async () => {
    await rawRequest('POST', '/things/a/parts/b', {}, Buffer.from([0xff, 0xfe, 0x00]));
    await rawRequest('POST', '/things/a/parts/b', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=%C3%A9');
    expect(seen[0]).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') });
    expect(seen[1]).toMatchObject({ isBase64Encoded: true, body: Buffer.from('a=1&b=%C3%A9').toString('base64') });
  });

  it('writes requestContext.time the way API Gateway does', async () => {
    await rawRequest('POST', '/things/a/parts/b', { 'content-type': 'application/json' }, '{}');
    expect(seen[0]?.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('chooses the most specific route whatever the order of declaration', async () => {
    const body = async (path: string) => (await fetch(`${api.url}${path}`)).text();
    expect(await body('/items/summary')).toBe('literal');
    expect(await body('/items/42')).toBe('param');
    expect(await body('/items/42/parts')).toBe('greedy');
  });

  it('answers 400 to a malformed escape and 404 to a path that only looks like another host', async () => {
    expect(await rawRequest('GET', '/items/%E0%A4%A', {})).toBe(400);
    expect(await rawRequest('GET', '//evil/bare', {})).toBe(404);
  });

  it('answers 500 when the function returns a malformed result', async () => {
    const response = await fetch(`${api.url}/malformed`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(String(errors[0])).toContain('body that is not a string');
  });
});
