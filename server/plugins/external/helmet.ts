import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * The content security policy of every response. Swagger UI (/api/docs) needs inline styles and scripts of its
 * own; the web app's shell narrows `script-src` to the hash of its one inline bootstrap script (plugins/app/web.ts).
 */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  // Officers preview a dossier's PDFs, fetched with their token, from blob: URLs.
  frameSrc: ["'self'", 'blob:'],
  objectSrc: ["'self'", 'blob:'],
};

/** The policy as a header value, e.g. with other script sources. */
export function cspHeader(overrides: Record<string, string[]> = {}): string {
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.entries({ ...CSP_DIRECTIVES, ...overrides })
    .map(([name, sources]) => `${kebab(name)} ${sources.join(' ')}`)
    .join(';');
}

/** Security headers on every response. */
export default fp(async (app) => {
  await app.register(helmet, { contentSecurityPolicy: { directives: CSP_DIRECTIVES } });
});
