import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvFileError, MAX_VALUE_LENGTH, parseEnvFile, readEnvFile } from '../../../../host/layout/env-file.ts';

function fails(text: string, message: string | RegExp): void {
  expect(() => parseEnvFile(text, 'app.env')).toThrow(message);
}

describe('parseEnvFile (dotenv rules, strict about what dotenv skips)', () => {
  it('reads NAME=value lines, comments, blank lines and the export prefix', () => {
    const text = [
      '# a comment',
      '',
      'BASIC=basic',
      '  SPACED  =  value with spaces  ',
      'export EXPORTED=yes',
      'export\tTAB=tab',
      '   # indented comment',
      'EMPTY=',
      'DOTTED.NAME-X=1',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      BASIC: 'basic',
      SPACED: 'value with spaces',
      EXPORTED: 'yes',
      TAB: 'tab',
      EMPTY: '',
      'DOTTED.NAME-X': '1',
    });
  });

  it('ends an unquoted value at # (quote it to keep a #) and keeps = and quotes inside it', () => {
    expect(parseEnvFile('A=abc#123\nB=x # note\nC="abc#123"\nD=a=b=c\nE=it\'s\nF=say "hi"')).toEqual({
      A: 'abc',
      B: 'x',
      C: 'abc#123',
      D: 'a=b=c',
      E: "it's",
      F: 'say "hi"',
    });
  });

  it('strips quotes, keeps spaces inside them, and expands \\n and \\r in double quotes only', () => {
    const text = [
      `S='  single \\n '`,
      `D="  double \\n\\r end"`,
      'B=`back \\n tick`',
      `Q="a 'b' c"`,
      `E=""`,
      `F=''`,
      `C="x" # trailing comment`,
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      S: '  single \\n ',
      D: '  double \n\r end',
      B: 'back \\n tick',
      Q: "a 'b' c",
      E: '',
      F: '',
      C: 'x',
    });
  });

  it('keeps a backslash-escaped quote inside a value as written, as dotenv does', () => {
    expect(parseEnvFile(String.raw`A="say \"hi\""`)).toEqual({ A: String.raw`say \"hi\"` });
  });

  it('reads quoted values over several lines and counts lines after them', () => {
    const text = 'KEY="-----BEGIN-----\nline two\n-----END-----"\nNEXT=1\nBAD';
    expect(() => parseEnvFile(text, 'f.env')).toThrow('f.env:5: expected NAME=VALUE');
    expect(parseEnvFile(text.replace('\nBAD', ''))).toEqual({ KEY: '-----BEGIN-----\nline two\n-----END-----', NEXT: '1' });
  });

  it('reads CRLF and CR line ends and a UTF-8 BOM like LF', () => {
    expect(parseEnvFile('\uFEFFA=1\r\nB="x\r\ny"\r\nC=3\rD=4\r\n')).toEqual({ A: '1', B: 'x\ny', C: '3', D: '4' });
  });

  it('keeps unicode names and values intact (names as dotenv allows: \\w . -)', () => {
    expect(parseEnvFile('GREETING=grüße 👋 日本\nQ="ünï\\ncode"')).toEqual({ GREETING: 'grüße 👋 日本', Q: 'ünï\ncode' });
    fails('GRÜSSE=1', "app.env:1: 'GRÜSSE' is not a variable name");
  });

  it('reads an empty file, and one of only comments, as no variables', () => {
    expect(parseEnvFile('')).toEqual({});
    expect(parseEnvFile('\n\n# only\r\n   \n')).toEqual({});
  });

  it('takes __proto__ and constructor as names, without touching any prototype', () => {
    const variables = parseEnvFile('__proto__=polluted\nconstructor=c');
    expect(Object.keys(variables)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(variables, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect({ ...variables }).toHaveProperty('constructor', 'c');
  });

  it('lets a later line win', () => {
    expect(parseEnvFile('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('names the file and line of what dotenv would skip silently', () => {
    fails('A=1\njust words', 'app.env:2: expected NAME=VALUE');
    fails('A=1\n\nexport B', 'app.env:3: expected NAME=VALUE');
    fails('MY VAR=1', "app.env:1: 'MY VAR' is not a variable name");
    fails('=value', "app.env:1: '' is not a variable name");
    fails('A="open\nB=2\nC=3', 'app.env:1: the " that opens the value of A is never closed');
    fails("A='x' y", "app.env:1: text after the closing ' of A");
    fails('A=1\nB="x\ny" z', 'app.env:3: text after the closing " of B');
    fails('A=a\0b', 'app.env:1: the value of A holds a NUL character');
  });

  it('refuses a value longer than Windows keeps, and accepts the longest it does', () => {
    expect(parseEnvFile(`A=${'x'.repeat(MAX_VALUE_LENGTH)}`).A).toHaveLength(MAX_VALUE_LENGTH);
    fails(`A=1\nB="${'x'.repeat(MAX_VALUE_LENGTH + 1)}"`, `app.env:2: the value of B is ${MAX_VALUE_LENGTH + 1} characters long`);
  });

  it('takes linear time on huge and hostile input', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `NAME_${i}=value number ${i}`);
    let started = performance.now();
    expect(Object.keys(parseEnvFile(lines.join('\r\n')))).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(2000);
    // dotenv's regex backtracks on an unclosed quote full of escaped quotes; this scan does not.
    started = performance.now();
    fails(`A="${'\\"'.repeat(200_000)}`, 'app.env:1: the " that opens the value of A is never closed');
    fails(`A='${'x\n'.repeat(200_000)}`, "app.env:1: the ' that opens the value of A is never closed");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('readEnvFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-file-'));
  const file = (name: string, data: string | Buffer) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, data);
    return target;
  };

  it('reads UTF-8 and UTF-16LE (as PowerShell 5 writes with >) files', () => {
    expect(readEnvFile(file('utf8.env', 'A=ä\n'))).toEqual({ A: 'ä' });
    expect(readEnvFile(file('utf16.env', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A=ä\r\nB=2\r\n', 'utf16le')])))).toEqual({
      A: 'ä',
      B: '2',
    });
  });

  it('names a missing file, a folder and bytes that are not UTF-8', () => {
    expect(() => readEnvFile(path.join(dir, 'missing.env'))).toThrow(`${path.join(dir, 'missing.env')}: no such file`);
    expect(() => readEnvFile(dir)).toThrow(`${dir}: is a folder, not a file`);
    expect(() => readEnvFile(file('latin1.env', Buffer.from([0x41, 0x3d, 0xe4, 0x0a])))).toThrow(/latin1\.env: is not UTF-8 text/);
  });

  it('throws EnvFileError with the file and line', () => {
    const target = file('bad.env', 'A=1\nB\n');
    try {
      readEnvFile(target);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvFileError);
      expect(error).toMatchObject({ file: target, line: 2, message: `${target}:2: expected NAME=VALUE` });
    }
  });
});
