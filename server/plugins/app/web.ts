import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { cspHeader } from '../external/helmet.js';

/** Where `npm run build:web` (SvelteKit, adapter-static) writes the web app. */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../../web/build', import.meta.url));
/** The single-page app's shell, answered for every page URL (adapter-static's `fallback`). */
const FALLBACK_PAGE = '200.html';
const IMMUTABLE = `${sep}_app${sep}immutable${sep}`;

const isApi = (url: string) => /^\/api(?:[/?#]|$)/.test(url);

/**
 * The web app on the API's port: content-hashed assets cached for a year, everything else revalidated, and the
 * app's shell for any other GET outside /api so that deep links and reloads work; unknown /api paths keep their
 * problem+json 404. Without a build (the API tests, or before `npm run build:web`) only the API is served.
 */
export default fp<{ root?: string }>(async (app, options) => {
  const root = options.root ?? WEB_BUILD_DIR;
  if (!existsSync(join(root, FALLBACK_PAGE))) {
    app.log.warn({ root }, 'no web build: serving the API only (npm run build:web)');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // One route per file of the build (read at start): no wildcard that would take over unknown paths.
    wildcard: false,
    index: false,
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz'],
    // Swagger UI registers its own instance with the reply decorators.
    decorateReply: false,
    setHeaders: (reply, path) => reply.header('cache-control', path.includes(IMMUTABLE) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const shell = await readFile(join(root, FALLBACK_PAGE));
  // The shell's inline scripts (SvelteKit's bootstrap) run by hash: no other inline script can run on its pages.
  const scriptHashes = [...shell.toString('utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  const policy = cspHeader({ scriptSrc: ["'self'", ...scriptHashes] });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    if (isApi(request.url)) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', policy).send(shell);
  });
});
