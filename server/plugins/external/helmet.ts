import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/** Security headers on every response. Swagger UI needs inline styles and scripts of its own. */
export default fp(async (app) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Officers preview a dossier's PDFs, fetched with their token, from blob: URLs.
        frameSrc: ["'self'", 'blob:'],
        objectSrc: ["'self'", 'blob:'],
      },
    },
  });
});
