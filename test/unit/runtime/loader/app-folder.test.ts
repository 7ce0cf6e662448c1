import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFolderError, exportsTarget, resolveAppFolder } from '../../../../runtime/loader/app-folder.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'app-folder-'));
let count = 0;

/** A new app folder with these files (a string is written as is, anything else as JSON). */
function app(files: Record<string, unknown>): string {
  const dir = path.join(root, `app${count++}`);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function refuses(dir: string, message: string | RegExp): void {
  expect(() => resolveAppFolder(dir)).toThrow(AppFolderError);
  expect(() => resolveAppFolder(dir)).toThrow(message);
}

describe('exportsTarget', () => {
  it('takes a string, a "." subpath, conditions in the package order, arrays, and nested conditions', () => {
    expect(exportsTarget('./a.js')).toBe('./a.js');
    expect(exportsTarget({ '.': './a.js', './x': './x.js' })).toBe('./a.js');
    expect(exportsTarget({ types: './a.d.ts', import: './a.mjs', require: './a.cjs' })).toBe('./a.mjs');
    expect(exportsTarget({ require: './a.cjs', import: './a.mjs' })).toBe('./a.cjs');
    expect(exportsTarget({ '.': { browser: './b.js', node: { import: './n.mjs' }, default: './d.js' } })).toBe('./n.mjs');
    expect(exportsTarget({ '.': [{ worker: './w.js' }, './fallback.js'] })).toBe('./fallback.js');
    expect(exportsTarget({ './x': './x.js' })).toBeUndefined();
    expect(exportsTarget({ '.': { browser: './b.js' } })).toBeUndefined();
    expect(exportsTarget({ '.': null })).toBeUndefined();
  });

  it('refuses an object that mixes subpaths and conditions, as Node does', () => {
    expect(() => exportsTarget({ '.': './a.js', import: './b.js' })).toThrow(/mixes subpaths/);
  });
});

describe('resolveAppFolder', () => {
  it('finds the entry from exports first, then main, then index.js', () => {
    const both = app({
      'package.json': { main: 'main.js', exports: { '.': { import: './dist/app.mjs' } } },
      'main.js': '',
      'dist/app.mjs': '',
    });
    expect(resolveAppFolder(both)).toEqual({ appDir: both, entry: path.join(both, 'dist', 'app.mjs'), exportName: undefined });
    const main = app({ 'package.json': { main: './lib/server' }, 'lib/server.js': '' });
    expect(resolveAppFolder(main).entry).toBe(path.join(main, 'lib', 'server.js'));
    const folderMain = app({ 'package.json': { main: 'lib' }, 'lib/index.js': '' });
    expect(resolveAppFolder(folderMain).entry).toBe(path.join(folderMain, 'lib', 'index.js'));
    const index = app({ 'package.json': { name: 'x' }, 'index.js': '' });
    expect(resolveAppFolder(index).entry).toBe(path.join(index, 'index.js'));
    const typescript = app({ 'package.json': { main: 'src/service.ts' }, 'src/service.ts': '' });
    expect(resolveAppFolder(typescript).entry).toBe(path.join(typescript, 'src', 'service.ts'));
  });

  it('takes the export name from "nodeservice": { "export": … }, and the BOM npm writers leave', () => {
    const dir = app({ 'package.json': `\uFEFF${JSON.stringify({ main: 'a.js', nodeservice: { export: 'Orders' } })}`, 'a.js': '' });
    expect(resolveAppFolder(dir)).toMatchObject({ entry: path.join(dir, 'a.js'), exportName: 'Orders' });
  });

  it('says what to fix when the folder cannot be installed', () => {
    refuses(app({}), /has no package\.json: add one whose "main" names the service's entry file/);
    refuses(app({ 'package.json': '{ "main": ' }), /package\.json is not valid JSON/);
    refuses(app({ 'package.json': '[]' }), /must hold a JSON object/);
    refuses(
      app({ 'package.json': { main: 'dist/index.js' } }),
      /"main" in .* names dist\/index\.js, which does not exist .*build the app, or fix the path/,
    );
    refuses(app({ 'package.json': { main: 42 } }), /"main" in .* must be a path/);
    refuses(app({ 'package.json': { main: '../outside.js' } }), /names \.\.\/outside\.js, which is not a file inside the app folder/);
    refuses(app({ 'package.json': { exports: './missing.mjs' } }), /"exports" in .* names \.\/missing\.mjs, which does not exist/);
    refuses(app({ 'package.json': { exports: { './sub': './sub.js' } } }), /has no "\." entry for the conditions node, import, require/);
    refuses(app({ 'package.json': { exports: '../evil.js' } }), /a target must start with "\.\/" and stay inside the package/);
    refuses(app({ 'package.json': { exports: './node_modules/x/index.js' } }), /a target must start with "\.\/"/);
    refuses(app({ 'package.json': { exports: './a/../../b.js' } }), /a target must start with "\.\/"/);
    refuses(app({ 'package.json': { name: 'x' } }), /names no entry point and there is no index\.js: add "main"/);
    refuses(app({ 'package.json': { main: 'a.js', nodeservice: 'Orders' }, 'a.js': '' }), /"nodeservice" in .* must be an object/);
    refuses(
      app({ 'package.json': { main: 'a.js', nodeservice: { exprot: 'X' } }, 'a.js': '' }),
      /unknown key\(s\) exprot: it knows "export" only/,
    );
    refuses(
      app({ 'package.json': { main: 'a.js', nodeservice: { export: '' } }, 'a.js': '' }),
      /"nodeservice\.export" .* must name an export/,
    );
  });

  it('does not take a folder named like the main file for the file', () => {
    refuses(app({ 'package.json': { exports: './dist' }, 'dist/index.js': '' }), /names \.\/dist, which does not exist/);
  });
});
