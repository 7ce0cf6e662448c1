/**
 * Security descriptors as Windows keeps them, for the assertions Wine cannot show (it keeps no file
 * or registry ACLs: there the tests observe host.exe's calls on its trace channels). On Windows a
 * test reads back what host.exe set, through Windows Node running fixtures/security-api.ts, and
 * compares it with the SDDL host.exe was meant to set: owner, protection, and the ACEs as a set
 * (SDDL has several spellings of one ACE: `KR`/`0x20019`, `BA`/`S-1-5-32-544`, `CIOI`/`OICI`).
 * @module
 */
import path from 'node:path';
import { expect } from 'vitest';
import { windowsNode } from '../../build/paths.ts';
import { rightsOf, sidOf } from '../../installer/folder-security.ts';
import { windowsScript } from '../windows-node.ts';
import { runWindowsProgram, windowsPath } from './wine.ts';

async function call(args: string[]): Promise<string> {
  const result = await runWindowsProgram(windowsNode, [
    windowsPath(await windowsScript(path.join(import.meta.dirname, 'fixtures', 'security-api.ts'))),
    ...args,
  ]);
  expect(result.code, `security-api ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** The owner and DACL of a file or folder (a Windows path), as SDDL. */
export function fileSecurity(file: string): Promise<string> {
  return call(['file', file]);
}

/** The owner and DACL of `HKLM\<subkey>`, as SDDL. */
export function keySecurity(subkey: string): Promise<string> {
  return call(['key', subkey.replace(/^HKLM\\/i, '')]);
}

/** Sets the owner (`O:`) and DACL (`D:`, protected with `D:P`) of a file or folder. */
export async function setFileSecurity(file: string, sddl: string): Promise<void> {
  await call(['set-file', file, sddl]);
}

/** What an SDDL says, one spelling for each thing: the owner as S-1-…, the DACL's protection, its ACEs sorted. */
export function securityParts(sddl: string): { owner?: string; protected: boolean; aces: string[] } {
  const owner = /O:([^:()]+?)(?=[GDS]:|$)/.exec(sddl)?.[1];
  const dacl = /D:([^:]*?)(?=S:|$)/.exec(sddl)?.[1] ?? '';
  const flags = dacl.slice(0, dacl.indexOf('(') < 0 ? dacl.length : dacl.indexOf('('));
  const aces = [...dacl.matchAll(/\(([^)]*)\)/g)].map(([, body]) => {
    const [type = '', aceFlags = '', rights = '', object = '', inherited = '', sid = ''] = body!.split(';');
    const flagPairs = (aceFlags.toUpperCase().match(/../g) ?? []).sort().join('');
    return [type.toUpperCase(), flagPairs, `0x${rightsOf(rights).toString(16)}`, object, inherited, sidOf(sid)].join(';');
  });
  return { ...(owner ? { owner: sidOf(owner) } : {}), protected: flags.replace(/AI|AR/g, '').includes('P'), aces: aces.sort() };
}

/**
 * Expects `actual` (read back) to be what `expected` (the SDDL host.exe set) describes: the same
 * owner when `expected` names one, the same protection and exactly its ACEs (an inherited or
 * left-over ACE fails).
 */
export function expectSecurity(actual: string, expected: string): void {
  const want = securityParts(expected);
  const { owner: _owner, ...got } = securityParts(actual);
  expect(want.owner === undefined ? got : securityParts(actual), `read back: ${actual}`).toEqual(want);
}
