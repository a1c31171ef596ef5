import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * Emits /sw.js: service-worker.js with this build's files as the app shell to keep (a hand-rolled
 * stand-in for a PWA plugin). The list changes with every build, so a new build installs a new worker.
 */
function deskServiceWorker(): Plugin {
  return {
    name: 'desk-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => /\.(js|css|svg|png|woff2?)$/.test(f) && !f.endsWith('.map')).map((f) => `/${f}`);
      const shell = ['/index.html', ...files.sort()];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const body = readFileSync(fileURLToPath(new URL('./service-worker.js', import.meta.url)), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: `const SHELL = ${JSON.stringify(shell)};\nconst VERSION = '${version}';\n${body}` });
    },
  };
}

// Built into dist/web, which the API serves at `/` (see WEB_DIR). React's JSX goes through Vite's own
// transform (automatic runtime); no dev-server plugin is needed because the app is only ever served built.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [deskServiceWorker()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // React Query marks its hooks "use client" for server-component bundlers; meaningless in this SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'http://localhost:3000', ws: true } } },
});
