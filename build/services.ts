/**
 * Compiles service modules (the samples, the test fixtures) from TypeScript to the JavaScript
 * host.exe loads: one file each, Node built-ins and `nodeservice` left as imports.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { nodeVersion } from './sea.ts';
import { dist, root } from './paths.ts';

/** Where the build puts the compiled samples. */
export const examplesOut = path.join(dist, 'examples');

/** Compiles one service module to `outfile` as CommonJS (`.js`, `.cjs`) or ESM (`.mjs`). */
export async function compileService(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${nodeVersion.split('.')[0]}`,
    format: outfile.endsWith('.mjs') ? 'esm' : 'cjs',
    external: ['nodeservice'],
    logLevel: 'warning',
  });
}

/** Compiles the samples, examples/services/*.ts and examples/clients/*.ts, to dist/examples/*.js. */
export async function compileExamples(): Promise<string[]> {
  const outputs: string[] = [];
  for (const folder of ['services', 'clients']) {
    const sources = path.join(root, 'examples', folder);
    for (const file of fs.readdirSync(sources).filter((name) => name.endsWith('.ts'))) {
      const outfile = path.join(examplesOut, file.replace(/\.ts$/, '.js'));
      await compileService(path.join(sources, file), outfile);
      outputs.push(outfile);
    }
  }
  return outputs;
}
