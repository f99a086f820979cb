/**
 * Contract: property tests generated from `/openapi.json`. For every
 * operation, random path/query values and random JSON bodies (fast-check,
 * seeded; the seed is printed) must get a status the document declares for
 * it, never a 500, and every JSON answer must match the declared schema
 * (ajv against the document's own component schemas). A 400 names the field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startHarness, type Harness } from './harness.js';

const { default: Ajv2020 } = (await import('ajv/dist/2020.js' as string)) as { default: new (options: object) => any };

const SEED = Number(process.env.KT_TEST_SEED ?? Date.now() % 2 ** 31);
console.log(`contract property tests: seed ${SEED} (rerun with KT_TEST_SEED=${SEED})`);

let h: Harness;
let doc: any;
let ajv: any;
beforeAll(async () => {
  h = await startHarness();
  doc = (await api(h, 'GET', '/openapi.json')).json;
  ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ $id: 'doc', components: doc.components });
});
afterAll(async () => h?.close());

/** The response schema with `#/components/...` refs pointed at the registered document. */
function responseSchema(op: any, status: number): object | undefined {
  const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
  return schema ? JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) : undefined;
}

/** Values that satisfy a JSON schema of the document (the shapes the routes accept), for deeper runs than random JSON. */
function arbitraryOf(schema: any, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitraryOf(doc.components.schemas[schema.$ref.split('/').pop()], depth);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.anyOf || schema.oneOf) return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((s: any) => arbitraryOf(s, depth)));
  switch (schema.type) {
    case 'string':
      return schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern)).filter((x) => x.length >= (schema.minLength ?? 0) && x.length <= (schema.maxLength ?? 50))
        : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(arbitraryOf(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = Object.fromEntries(Object.entries<any>(schema.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v, depth + 1)]));
      return fc.record(props, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const paramValue = fc.oneof(fc.string({ minLength: 0, maxLength: 30 }), fc.integer().map(String), fc.constantFrom('..', '%2e%2e%2f', 'a/b', ' '));

/** Random JSON, or (half the time) a body that satisfies the operation's own request schema. */
function bodies(op: any): fc.Arbitrary<unknown> {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const random = fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined });
  return schema ? fc.oneof(random, arbitraryOf(schema)) : random;
}

function operations() {
  const out: Array<{ method: string; path: string; op: any }> = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) for (const [method, op] of Object.entries<any>(item)) out.push({ method: method.toUpperCase(), path, op });
  return out;
}

describe('contract from the OpenAPI document', () => {
  it('documents every route with responses', () => {
    expect(operations().length).toBeGreaterThan(25);
    for (const { op } of operations()) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
  });

  it('random input gets a declared status, never a 500, and answers match their schemas', async () => {
    for (const { method, path, op } of operations()) {
      const params: any[] = op.parameters ?? [];
      const hasBody = Boolean(op.requestBody);
      const declared = new Set(Object.keys(op.responses).map(Number));
      await fc.assert(
        fc.asyncProperty(fc.array(paramValue, { minLength: params.length, maxLength: params.length }), bodies(op), async (values, body) => {
          let url = path;
          const query = new URLSearchParams();
          params.forEach((p, i) => {
            if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(values[i] as string) || 'x');
            else if (p.in === 'query' && (values[i] as string) !== '') query.set(p.name, values[i] as string);
          });
          const full = `${url}${query.size ? `?${query}` : ''}`;
          const res = await api(h, method, full, hasBody ? (body === undefined ? null : body) : undefined);
          const where = `${method} ${full} body=${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${JSON.stringify(res.json)?.slice(0, 200)}`;
          expect(res.status, where).not.toBe(500);
          expect(declared.has(res.status) || res.status === 404, where).toBe(true);
          const schema = responseSchema(op, res.status);
          if (schema && res.headers.get('content-type')?.includes('json')) {
            const valid = ajv.validate(schema, res.json);
            expect(valid, `${where}: ${ajv.errorsText()}`).toBe(true);
          }
          if (res.status === 400 && res.json?.error?.code === 'BAD_REQUEST' && res.json.error.field) expect(typeof res.json.error.field).toBe('string');
        }),
        { seed: SEED, numRuns: 15 },
      );
    }
  });
});
