import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { startApi } from '../support/api-under-test';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown> };
}

/** Every `$ref` under `node`. */
function refsOf(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsOf(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

/** The routes Express has (Nest's controllers), as `GET /figures/{figureId}/explain`. */
function routesOf(api: ApiUnderTest): string[] {
  const express = api.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`) : [],
  );
}

/**
 * The OpenAPI document is made by @nestjs/swagger from the controllers and the response DTO
 * classes (apps/api/src/openapi/response.dto.ts): it must list every route, give each its
 * answer's schema, and every schema it names must be in it.
 */
describe('the OpenAPI document (/docs-json)', () => {
  let api: ApiUnderTest;
  let doc: Document;
  beforeAll(async () => {
    api = await startApi();
    doc = (await request(api.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => api.close());

  it('lists every route the API serves, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    // Not the OpenAPI pages, the dashboard's page (served by @nestjs/serve-static), or the catch-alls of middleware.
    const served = routesOf(api).filter((route) => !/ \/docs/.test(route) && !route.includes('{*') && route !== 'GET /');
    expect(served.length).toBeGreaterThan(15);
    expect([...new Set(documented)].sort()).toEqual([...new Set(served)].sort());
  });

  it('gives every route the schema of its successful answer', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const successes = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        const typed = successes.some(([, response]) => Object.values(response.content ?? {}).some((media) => media.schema && ('$ref' in media.schema || 'type' in media.schema)));
        if (!typed) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('defines every schema it refers to, with its properties', () => {
    const schemas = doc.components.schemas ?? {};
    const refs = [...new Set(refsOf(doc.paths).concat(refsOf(schemas)))];
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => !(ref.replace('#/components/schemas/', '') in schemas))).toEqual([]);
    expect(schemas['ReportDocumentResponse']).toMatchObject({
      properties: { figures: { type: 'object', additionalProperties: { type: 'number', nullable: true } }, logPosition: { type: 'integer' } },
    });
    expect(schemas['HealthResponse']).toMatchObject({ required: expect.arrayContaining(['status', 'store', 'head', 'projections']) });
    expect(schemas['HealthResponse']).not.toMatchObject({ required: expect.arrayContaining(['lastWriteError']) });
  });
});
