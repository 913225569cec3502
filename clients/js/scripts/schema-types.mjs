// Writes the TypeScript declarations of the server's event types to the file named by the first
// argument, as the distribution prints them:
//   $EVENT_STREAMER_HOME/bin/event-streamer --print-schema --format typescript
// EVENT_STREAMER_HOME defaults to the distribution built by this repository
// (distribution/target/event-streamer). Exits non-zero, with the reason, when that fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { eventStreamerHome } from '../test/support/distribution.js';

const output = process.argv[2];
if (!output) {
  console.error('usage: node scripts/schema-types.mjs <output .d.ts file>');
  process.exit(2);
}
const home = eventStreamerHome();
let declarations;
try {
  declarations = execFileSync(`${home}/bin/event-streamer`, ['--print-schema', '--format', 'typescript'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (error) {
  console.error(`${home}/bin/event-streamer --print-schema --format typescript failed `
    + `(exit ${error.status}): ${String(error.stderr || error.message).trim()}`);
  process.exit(1);
}
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, declarations);
console.log(`wrote ${output} (${declarations.length} characters) from ${home}`);
