// Bundles the page into dist/: src/main.ts (and the generated client) into one ES module,
// beside index.html and style.css. No GraphQL library is bundled: documents are strings.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: 'dist/app.js',
  logLevel: 'warning',
});
copyFileSync('index.html', 'dist/index.html');
copyFileSync('style.css', 'dist/style.css');
console.log('built dist/ (index.html, app.js, style.css)');
