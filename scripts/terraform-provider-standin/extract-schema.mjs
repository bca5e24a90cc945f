#!/usr/bin/env node
// Rebuilds the AWS provider's schema from the code cdktf generated from it (@cdktf/provider-aws),
// in the shape of `terraform providers schema -json`, for the stand-in provider to serve.
// Dependency-free: scripts/ensure-tools.mjs runs it before node_modules may exist.
//
// What the generated code keeps of the schema, and so what this recovers:
// - every settable attribute with its type (the `*ToHclTerraform` attribute tables) and whether it
//   is optional (a `reset*` method) or required (none);
// - computed-only attributes (getters without a settable twin, commented `computed: true`);
// - nested blocks with their nesting (list, set, single, map), a maximum of one (an OutputReference
//   rather than a List) and whether one is required.
// It loses whether an optional attribute is also computed; only `id` is taken to be both.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ATTRIBUTE = /(?:"([^"]+)"|(\w+)): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;
const FLAGS = /\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)/;

const SIMPLE_TYPES = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  any: 'dynamic',
  stringList: ['list', 'string'],
  numberList: ['list', 'number'],
  booleanList: ['list', 'bool'],
  stringMap: ['map', 'string'],
  numberMap: ['map', 'number'],
  booleanMap: ['map', 'bool'],
  stringMapMap: ['map', ['map', 'string']],
  stringMapList: ['list', ['map', 'string']],
  stringListList: ['list', ['list', 'string']],
};

const GETTER_TYPES = {
  getStringAttribute: 'string',
  getNumberAttribute: 'number',
  getBooleanAttribute: 'bool',
  getListAttribute: ['list', 'string'],
  getNumberListAttribute: ['list', 'number'],
  getStringMapAttribute: ['map', 'string'],
  getNumberMapAttribute: ['map', 'number'],
  getBooleanMapAttribute: ['map', 'bool'],
  interpolationForAttribute: 'dynamic',
};

const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function attributeTable(body) {
  const attrs = [];
  for (const m of body.matchAll(ATTRIBUTE)) {
    const camel = /(?:this\._|struct\.|struct\[")(\w+)/.exec(m[3])?.[1];
    attrs.push({ name: m[1] ?? m[2], camel, isBlock: m[4] === 'true', kind: m[5], storage: m[6] });
  }
  return attrs;
}

/** The classes and attribute tables of one generated module (index.js and its index-structs/). */
function readModule(dir) {
  const files = [join(dir, 'index.js')];
  const structsDir = join(dir, 'index-structs');
  if (existsSync(structsDir)) files.push(...readdirSync(structsDir).filter((f) => f.endsWith('.js')).map((f) => join(structsDir, f)));
  const structs = new Map();
  const classes = new Map();
  const resourceTypes = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{([\s\S]*?)^\}/gm)) structs.set(capitalize(m[1]), attributeTable(m[2]));
    const starts = [...text.matchAll(/^class (\w+) extends ([\w.]+) \{/gm)];
    starts.forEach((m, i) => {
      const body = text.slice(m.index, i + 1 < starts.length ? starts[i + 1].index : text.length);
      classes.set(m[1], parseClass(m[2], body));
    });
    for (const m of text.matchAll(/^(\w+)\.tfResourceType = "([^"]+)";/gm)) resourceTypes.push({ className: m[1], type: m[2] });
  }
  return { structs, classes, resourceTypes };
}

function parseClass(base, body) {
  const resets = new Set([...body.matchAll(/^ {4}reset(\w+)\(\) \{/gm)].map((m) => m[1]));
  const getters = new Map();
  for (const m of body.matchAll(/((?:\/\/[^\n]*\n\s*)?)get (\w+)\(\) \{\s*return (cdktf\.Fn\.tolist\()?this\.(\w+)\('([^']+)'\)/g)) {
    const flags = FLAGS.exec(m[1]);
    getters.set(m[5], { camel: m[2], asSet: Boolean(m[3]), getter: m[4], flags: flags && { computed: flags[2] === 'true', optional: flags[3] === 'true', required: flags[4] === 'true' } });
  }
  const fields = new Map();
  for (const m of body.matchAll(/((?:\/\/[^\n]*\n\s*)?)this\._(\w+) = new ([\w.]+)\(this, "([^"]+)"(?:, (true|false))?\);/g)) {
    const flags = FLAGS.exec(m[1]);
    fields.set(m[4], { camel: m[2], className: m[3], isSet: m[5] === 'true', flags: flags && { computed: flags[2] === 'true', optional: flags[3] === 'true', required: flags[4] === 'true' } });
  }
  const synth = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}/.exec(body);
  return { base, resets, getters, fields, synthesized: synth ? attributeTable(synth[1]) : null };
}

function structOf(storage, kind) {
  if (kind === 'struct') return storage;
  if (kind === 'map') return storage.replace(/Map$/, '');
  return storage.replace(/List$/, '');
}

/** The cty type of a computed-only struct, from its OutputReference's getters and fields. */
function computedObjectType(mod, structName, depth = 0) {
  const cls = mod.classes.get(`${structName}OutputReference`);
  const attrs = {};
  if (!cls || depth > 8) return ['object', attrs];
  for (const [name, g] of cls.getters) attrs[name] = g.asSet && Array.isArray(GETTER_TYPES[g.getter]) ? ['set', GETTER_TYPES[g.getter][1]] : GETTER_TYPES[g.getter] ?? 'dynamic';
  for (const [name, f] of cls.fields) attrs[name] = fieldType(mod, f, depth + 1);
  return ['object', attrs];
}

function fieldType(mod, field, depth) {
  if (field.className === 'cdktf.StringMap') return ['map', 'string'];
  if (field.className === 'cdktf.NumberMap') return ['map', 'number'];
  if (field.className === 'cdktf.BooleanMap') return ['map', 'bool'];
  const m = /^(\w+?)(OutputReference|List|Map)$/.exec(field.className);
  if (!m) return 'dynamic';
  const object = computedObjectType(mod, m[1], depth);
  if (m[2] === 'List') return [field.isSet ? 'set' : 'list', object];
  if (m[2] === 'Map') return ['map', object];
  return object;
}

function buildBlock(mod, attrs, cls, depth = 0) {
  const block = { attributes: {}, block_types: {} };
  const settable = new Set(attrs.map((a) => a.name));
  for (const attr of attrs) {
    const field = cls?.fields.get(attr.name);
    if (attr.isBlock) {
      const structName = structOf(attr.storage, attr.kind);
      const single = field && /OutputReference$/.test(field.className);
      const nesting = attr.kind === 'struct' ? 'single' : attr.kind;
      const nested = {
        nesting_mode: nesting,
        block: depth > 12 ? { attributes: {}, block_types: {} } : buildBlock(mod, mod.structs.get(structName) ?? [], mod.classes.get(`${structName}OutputReference`), depth + 1),
      };
      if (field?.flags?.required) nested.min_items = 1;
      if (single && nesting === 'list') nested.max_items = 1;
      block.block_types[attr.name] = nested;
      continue;
    }
    let type = SIMPLE_TYPES[attr.storage];
    if (!type) throw new Error(`unknown storage class ${attr.storage} for ${attr.name}`);
    if (attr.kind === 'set' && Array.isArray(type)) type = ['set', type[1]];
    const optional = cls ? cls.resets.has(capitalize(attr.camel ?? '')) : true;
    const flags = cls?.getters.get(attr.name)?.flags ?? field?.flags;
    const described = { type };
    if (!optional && !flags?.optional) described.required = true;
    else described.optional = true;
    if (described.optional && ((attr.name === 'id' && depth === 0) || flags?.computed)) described.computed = true;
    block.attributes[attr.name] = described;
  }
  if (cls) {
    for (const [name, g] of cls.getters) {
      if (settable.has(name)) continue;
      const base = GETTER_TYPES[g.getter] ?? 'dynamic';
      block.attributes[name] = { type: g.asSet && Array.isArray(base) ? ['set', base[1]] : base, computed: true };
    }
    for (const [name, f] of cls.fields) {
      if (settable.has(name)) continue;
      block.attributes[name] = { type: fieldType(mod, f, depth + 1), computed: true };
    }
  }
  return block;
}

const hasDynamic = (block) =>
  Object.values(block.attributes).some((a) => JSON.stringify(a.type).includes('"dynamic"')) || Object.values(block.block_types).some((nb) => hasDynamic(nb.block));

/**
 * Terraform refuses a schema that breaks its own rules (configschema's InternalValidate); where
 * cdktf's code says less than the schema did, the recovered block is brought back within them.
 */
function conform(block) {
  for (const nested of Object.values(block.block_types)) {
    conform(nested.block);
    if (nested.nesting_mode === 'single' || nested.nesting_mode === 'map') {
      delete nested.min_items;
      delete nested.max_items;
    }
    // cdktf gives a block too deep to generate as `any`; a set cannot hold a dynamic type.
    if (nested.nesting_mode === 'set' && hasDynamic(nested.block)) nested.nesting_mode = 'list';
  }
  return block;
}

/**
 * A data source's optional arguments are nearly all filters the provider fills in when left out
 * (aws_region's name, aws_caller_identity's id): taken as computed too, so the stand-in may answer
 * them, as the real provider would.
 */
function computedOptionals(block) {
  for (const attribute of Object.values(block.attributes)) if (attribute.optional) attribute.computed = true;
  for (const nested of Object.values(block.block_types)) computedOptionals(nested.block);
  return block;
}

export function extractSchema(packageDir) {
  const lib = join(packageDir, 'lib');
  const schema = { provider: null, resource_schemas: {}, data_source_schemas: {} };
  for (const name of readdirSync(lib).sort()) {
    const dir = join(lib, name);
    if (!existsSync(join(dir, 'index.js'))) continue;
    const mod = readModule(dir);
    for (const { className, type } of mod.resourceTypes) {
      const cls = mod.classes.get(className);
      if (!cls?.synthesized) throw new Error(`${type}: no attribute table in ${className}`);
      if (cls.base === 'cdktf.TerraformProvider') {
        schema.provider = { version: 0, block: conform(buildBlock(mod, cls.synthesized.filter((a) => a.name !== 'alias'), cls)) };
        continue;
      }
      if (cls.base === 'cdktf.TerraformDataSource') {
        schema.data_source_schemas[type] = { version: 0, block: conform(computedOptionals(buildBlock(mod, cls.synthesized, cls))) };
      } else {
        schema.resource_schemas[type] = { version: 0, block: conform(buildBlock(mod, cls.synthesized, cls)) };
      }
    }
  }
  if (!schema.provider) throw new Error('no provider class found');
  return schema;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [packageDir, out] = process.argv.slice(2);
  if (!packageDir || !out) {
    process.stderr.write('usage: extract-schema.mjs <@cdktf/provider-aws package dir> <schema.json>\n');
    process.exit(2);
  }
  const schema = extractSchema(packageDir);
  writeFileSync(out, JSON.stringify(schema));
  process.stderr.write(`${Object.keys(schema.resource_schemas).length} resources, ${Object.keys(schema.data_source_schemas).length} data sources\n`);
}
