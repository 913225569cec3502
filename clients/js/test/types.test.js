// The generated event types at work: the server prints them (bin/event-streamer --print-schema
// --format typescript), the example dashboard type-checks against them, and a file that uses a
// field the catalog doesn't declare must not compile.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { eventStreamerHome } from './support/distribution.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'event-streamer-types-'));
  const home = eventStreamerHome();
  const printed = spawnSync(`${home}/bin/event-streamer`, ['--print-schema', '--format', 'typescript'], { encoding: 'utf8' });
  assert.equal(printed.status, 0, `bin/event-streamer --print-schema --format typescript failed (exit ${printed.status}): `
    + `${printed.stderr}`);
  mkdirSync(join(dir, 'generated'));
  writeFileSync(join(dir, 'generated', 'event-streamer-types.d.ts'), printed.stdout);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs tsc on `file` (copied next to the generated types) with the package's compiler options. */
function typecheck(source) {
  const name = source.split('/').at(-1);
  copyFileSync(join(packageDir, source), join(dir, name));
  const config = join(dir, `tsconfig.${name}.json`);
  writeFileSync(config, JSON.stringify({
    extends: join(packageDir, 'tsconfig.json'),
    compilerOptions: { paths: { 'event-streamer-client': [join(packageDir, 'src', 'index.d.ts')] } },
    include: [join(dir, name)],
  }));
  const tsc = spawnSync(process.execPath, [join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
    encoding: 'utf8',
  });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}

test('the example dashboard type-checks against the types the server generates', () => {
  const { status, output } = typecheck('examples/dashboard.ts');
  assert.equal(output, '');
  assert.equal(status, 0);
});

test('a wrong field name, an unknown category or event field do not compile', () => {
  const { status, output } = typecheck('test/fixtures/wrong-field.ts');
  assert.notEqual(status, 0, 'tsc accepted wrong-field.ts');
  // Line 8: e.data.scheduleIdd. The message depends on whether the generated data types have an
  // index signature for extra fields ("comes from an index signature") or not ("does not exist").
  assert.match(output, /wrong-field\.ts\(8,\d+\): error TS(2339|2551|4111): Property 'scheduleIdd' /);
  assert.match(output, /wrong-field\.ts\(10,\d+\): error TS2345: Argument of type '"schedulr"' is not assignable/);
  assert.match(output, /wrong-field\.ts\(13,\d+\): error TS(2339|2551|4111): Property 'reason' /);
  assert.match(output, /wrong-field\.ts\(16,\d+\): error TS2322: Type '"billing"' is not assignable/);
});
