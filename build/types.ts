/**
 * The `nodeservice` package authors install with `npm i -D nodeservice` to compile their services:
 * the runtime's declarations (the code itself is inside host.exe) and an entry point that explains
 * this when a service module is run with plain Node.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { dist, root } from './paths.ts';
import { nodeVersion } from './sea.ts';

/** Where the build writes the package. */
export const typesPackage = path.join(dist, 'package');

const ENTRY = path.join(root, 'runtime', 'index.ts');

const OUTSIDE_HOST = `'use strict';
throw new Error(
  "nodeservice: the NodeService runtime lives inside host.exe. Run this service with " +
  "'host.exe debug <module>' or install it with 'host.exe install <module>'; this package only " +
  "provides the types to compile it.",
);
`;

/** Relative imports of the sources end in .ts; the emitted declarations must name .js files. */
function toJsSpecifiers(declaration: string): string {
  return declaration.replace(/(['"])(\.{1,2}\/[^'"]+)\.ts\1/g, '$1$2.js$1');
}

/** Emits the declarations of runtime/index.ts and what it reaches into `outDir`; throws on type errors. */
function emitDeclarations(outDir: string): void {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts', 'lib.es2024.promise.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    strict: true,
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    rootDir: path.join(root, 'runtime'),
    outDir,
    paths: { koffi: [path.join(root, 'build', 'win32', 'node_modules', 'koffi', 'index.d.ts')] },
  };
  const program = ts.createProgram([ENTRY], options);
  const result = program.emit(undefined, (file, text) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, toJsSpecifiers(text));
  });
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(`the runtime's declarations do not compile:\n${ts.formatDiagnostics(errors, host)}`);
  }
}

/** Writes the `nodeservice` package (declarations, package.json, README) to `outDir`. */
export function writeTypesPackage(version: string, outDir = typesPackage): void {
  fs.rmSync(outDir, { recursive: true, force: true });
  emitDeclarations(outDir);
  fs.writeFileSync(path.join(outDir, 'outside-host.cjs'), OUTSIDE_HOST);
  const manifest = {
    name: 'nodeservice',
    version,
    description: `Types for NodeService services: the runtime itself is inside host.exe, which carries Node.js ${nodeVersion}`,
    license: 'MIT',
    types: './index.d.ts',
    exports: { '.': { types: './index.d.ts', default: './outside-host.cjs' } },
    // The Node.js inside host.exe, which services run on: @types/node of that major fits them.
    nodeservice: { hostNode: nodeVersion },
    peerDependencies: { '@types/node': `>=${nodeVersion.split('.')[0]}` },
    peerDependenciesMeta: { '@types/node': { optional: true } },
  };
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
