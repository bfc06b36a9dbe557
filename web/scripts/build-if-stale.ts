/**
 * `npm start` runs this first: it builds the web app when web/build is missing or older than its sources, so
 * the two-command quick start serves the current UI, and a restart with unchanged sources costs no build.
 * Staleness is judged by a hash of the sources' contents (clones and checkouts reset file times).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const web = join(repo, 'web');
const stamp = join(web, 'build', '.source-hash');
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);
/** Everything the build reads: the app and its config, the shared catalogues it imports, the installed versions. */
const sourceDirs = ['web/src', 'web/static', 'schemas'];
const sourceFiles = ['web/svelte.config.js', 'web/vite.config.ts', 'server/dossiers/dossier.table.ts', 'engine/calendar/working-time.ts', 'package-lock.json'];

function sourceHash(): string {
  const files = [
    ...sourceDirs.flatMap((dir) =>
      readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name)),
    ),
    ...sourceFiles.map((file) => join(repo, file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(repo, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const current = sourceHash();
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current) {
  console.log('web: the build is up to date');
} else if (!existsSync(bin('vite'))) {
  // An install without dev dependencies cannot build: the API still starts, without the web app.
  console.warn('web: vite is not installed (npm ci installs it); starting without building the web app');
} else {
  console.log('web: building the web app…');
  const started = Date.now();
  // The generated tsconfig that web/tsconfig.json extends exists only after a sync.
  execFileSync(bin('svelte-kit'), ['sync'], { cwd: web, stdio: 'inherit' });
  execFileSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  writeFileSync(stamp, current);
  console.log(`web: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
