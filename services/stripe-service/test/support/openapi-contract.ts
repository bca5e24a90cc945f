import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { repoRoot } from '../../../../scripts/lib/resources';

// Holds the API to its OpenAPI document: every answer the end-to-end suites get must be documented
// for its route and status and match the schema there, and every request the API accepted must
// match the documented request body.

type Json = Record<string, unknown>;
interface Operation {
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}

const document = JSON.parse(readFileSync(join(repoRoot, 'services/stripe-service/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: Json & { responses?: Record<string, Json> };
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Json): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    // The components ride along so that `#/components/...` references resolve from the schema's root.
    fn = ajv.compile({ ...schema, components: document.components });
    compiled.set(key, fn);
  }
  return fn;
}

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

function operationFor(method: string, pathname: string): { template: string; operation: Operation } {
  const matches = templates.filter((t) => t.pattern.test(pathname));
  // A literal segment wins over a parameter, as in API Gateway.
  matches.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  for (const match of matches) {
    const operation = document.paths[match.template]?.[method.toLowerCase()];
    if (operation) return { template: match.template, operation };
  }
  throw new Error(`${method} ${pathname} is not in the OpenAPI document`);
}

function resolved(response: Json): Json {
  const ref = response.$ref;
  if (typeof ref !== 'string') return response;
  const name = ref.replace('#/components/responses/', '');
  const target = document.components.responses?.[name];
  if (!target) throw new Error(`unresolvable ${ref}`);
  return target;
}

/** Throws, naming what differs, when an exchange does not match the document. */
export function checkExchange(exchange: { method: string; url: string; requestBody: unknown; status: number; contentType: string | null; body: unknown }): void {
  const url = new URL(exchange.url);
  const { template, operation } = operationFor(exchange.method, url.pathname);
  const where = `${exchange.method} ${template} → ${exchange.status}`;
  // API Gateway's own answers (no route, body too large) are not the API's.
  if (exchange.contentType === 'application/json' && exchange.body && typeof exchange.body === 'object' && 'message' in exchange.body && Object.keys(exchange.body).length === 1) return;
  const documented = operation.responses[String(exchange.status)] ?? operation.responses.default;
  if (!documented) throw new Error(`${where}: status not documented`);
  const response = resolved(documented);
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  if (content) {
    const mediaType = (exchange.contentType ?? '').split(';')[0]!.trim();
    const schema = content[mediaType]?.schema;
    if (!schema) throw new Error(`${where}: content type ${mediaType || '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`);
    const validate = validator(`${where} ${mediaType}`, schema);
    if (!validate(exchange.body)) throw new Error(`${where}: body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(exchange.body).slice(0, 500)}`);
  }
  if (exchange.status < 300 && exchange.requestBody !== undefined) {
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${where}: accepted a body the document does not describe`);
    const validate = validator(`${where} request`, schema);
    if (!validate(exchange.requestBody)) throw new Error(`${where}: an accepted request does not match the document: ${ajv.errorsText(validate.errors)}`);
  }
}
