// npm pack into target/ (created if missing), then prints what was packed and its size.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const destination = process.argv[2] || 'target';
mkdirSync(destination, { recursive: true });
const npm = process.env.npm_execpath;
const command = npm ? [process.execPath, [npm]] : ['npm', []];
const output = execFileSync(command[0], [...command[1], 'pack', '--json', '--pack-destination', destination], { encoding: 'utf8' });
const [packed] = JSON.parse(output);
console.log(`packed ${destination}/${packed.filename}: ${packed.size} B (${packed.unpackedSize} B unpacked, `
  + `${packed.entryCount} files: ${packed.files.map((f) => f.path).join(', ')})`);
