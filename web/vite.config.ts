import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // `npm run dev:web` next to `npm start`: the dev server forwards API calls to the running server.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
