/**
 * A service's environment variables as NodeService stores them in its Parameters key: plain ones
 * as `NAME=value` lines (REG_MULTI_SZ `Environment`), secret ones sealed with DPAPI for this
 * machine (REG_BINARY `ProtectedEnvironment`), so no secret is in the registry in clear.
 * @module
 */
import { protectData, unprotectData } from '../../runtime/win32/crypt32.ts';
import { multiString, parseMultiString } from '../../runtime/win32/strings.ts';

/** Variables by name. */
export type Variables = Readonly<Record<string, string>>;

/** `{ NAME: 'value' }` → `['NAME=value']`. */
export function variableLines(variables: Variables): string[] {
  return Object.entries(variables).map(([name, value]) => `${name}=${value}`);
}

/** `['NAME=value']` → `{ NAME: 'value' }` (the value may contain '='). */
export function parseVariableLines(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf('=');
      return at === -1 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}

/** Seals variables for this machine. */
export function sealVariables(variables: Variables): Buffer {
  return protectData(multiString(variableLines(variables)), 'NodeService protected environment');
}

/** Opens what sealVariables sealed (on the same machine). */
export function openVariables(sealed: Buffer): Record<string, string> {
  return parseVariableLines(parseMultiString(unprotectData(sealed)));
}
