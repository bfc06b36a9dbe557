import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/** File uploads: one file per request, bounded before anything is buffered (components set tighter limits). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export default fp(async (app) => {
  await app.register(multipart, { limits: { files: 1, fields: 5, fileSize: MAX_UPLOAD_BYTES, fieldSize: 1024, parts: 6 } });
});
