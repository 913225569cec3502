// Prints the size of src/index.js as browsers get it: minified (esbuild) and gzipped.
// Exits 1 when over the budget (10 KB), so that the build notices growth.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 10 * 1024;
const source = readFileSync(new URL('../src/index.js', import.meta.url));
const result = await build({
  entryPoints: [new URL('../src/index.js', import.meta.url).pathname],
  bundle: false,
  minify: true,
  format: 'esm',
  target: 'es2020',
  write: false,
});
const minified = result.outputFiles[0].contents;
const gzipped = gzipSync(minified, { level: 9 }).length;
console.log(`src/index.js: ${source.length} B source, ${minified.length} B minified, ${gzipped} B minified+gzip (budget ${BUDGET} B)`);
if (gzipped > BUDGET) {
  console.error(`over the budget by ${gzipped - BUDGET} B`);
  process.exit(1);
}
