import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import problems from '../../server/plugins/app/problems.js';
import web from '../../server/plugins/app/web.js';

/** The web plugin over a stand-in build: the API's own 404 next to the app's shell and assets. */
async function appServing(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(problems);
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.register(web, { root });
  return app;
}

const BOOTSTRAP = '{ __sveltekit_x = { base: "" }; }';

describe('the web app on the API port', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dvc-web-'));
    mkdirSync(join(root, '_app', 'immutable', 'entry'), { recursive: true });
    writeFileSync(join(root, '200.html'), `<!doctype html><title>Cổng Dịch vụ công</title><script>${BOOTSTRAP}</script>`);
    writeFileSync(join(root, '_app', 'immutable', 'entry', 'start.abc123.js'), 'export {};');
    writeFileSync(join(root, '_app', 'version.json'), '{"version":"1"}');
    app = await appServing(root);
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('hashed assets are cached for a year, other files revalidated', async () => {
    const asset = await app.inject({ url: '/_app/immutable/entry/start.abc123.js' });
    expect([asset.statusCode, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    const version = await app.inject({ url: '/_app/version.json' });
    expect([version.statusCode, version.headers['cache-control']]).toEqual([200, 'no-cache']);
  });

  test('every page URL gets the app shell, so deep links and reloads work', async () => {
    for (const url of ['/', '/dossiers/123/form', '/procedures?q=cap%20phep', '/apis']) {
      const page = await app.inject({ url });
      expect([url, page.statusCode, page.headers['content-type'], page.headers['cache-control']]).toEqual([url, 200, 'text/html; charset=utf-8', 'no-cache']);
      expect(page.body).toContain('Cổng Dịch vụ công');
    }
  });

  test('the shell runs only its own inline script: script-src names its hash, not unsafe-inline', async () => {
    const policy = (await app.inject({ url: '/tasks' })).headers['content-security-policy'] as string;
    const scriptSrc = policy.split(';').find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${createHash('sha256').update(BOOTSTRAP).digest('base64')}'`);
    expect(policy).toContain("default-src 'self'");
  });

  test('the API keeps its routes and its problem+json 404', async () => {
    expect((await app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    for (const url of ['/api', '/api/nope', '/api?x=1']) {
      const missing = await app.inject({ url });
      expect([url, missing.statusCode, missing.headers['content-type']]).toEqual([url, 404, 'application/problem+json; charset=utf-8']);
    }
    expect((await app.inject({ method: 'POST', url: '/dossiers' })).statusCode).toBe(404);
  });

  test('without a build only the API is served', async () => {
    const bare = await appServing(join(root, 'missing'));
    expect((await bare.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/dossiers' })).headers['content-type']).toBe('application/problem+json; charset=utf-8');
    await bare.close();
  });
});
