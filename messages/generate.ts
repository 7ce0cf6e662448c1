/**
 * `npm run messages`: regenerates the TypeScript constants of a `.mc` file.
 *   node messages/generate.ts messages/host.mc runtime/eventlog/host-messages.ts
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileMessageFile, toTypeScript } from './compile.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node messages/generate.ts <file.mc> <constants.ts>');
  process.exitCode = 2;
} else {
  try {
    fs.writeFileSync(output, toTypeScript(compileMessageFile(input), path.relative(process.cwd(), input).replaceAll(path.sep, '/')));
    console.log(`wrote ${output}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
