import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * A single-page app: the Fastify server (server/plugins/app/web.ts) serves build/ on the API's port and answers
 * every other GET outside /api with the fallback page, so deep links work without a Node renderer.
 */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', precompress: true }),
    typescript: {
      // The build script under scripts/ is type-checked with the app.
      config: (config) => ({ ...config, include: [...config.include, '../scripts/**/*.ts'] }),
    },
  },
};
