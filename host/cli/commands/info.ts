/**
 * `host.exe info [--json]`: what this host is and where it runs from, proven through a Win32 call.
 * @module
 */
import { readRegistration } from '../../layout/registry-layout.ts';
import { getFileSecurity } from '../../../runtime/win32/advapi32/security.ts';
import { getCurrentProcessId } from '../../../runtime/win32/kernel32.ts';
import { koffiAddonPath } from '../../../runtime/win32/native-addon.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { version } from '../version.ts';

export const info: Command = {
  name: 'info',
  usage: '[--json]',
  summary: 'show the host version, Node version, executable, native addon and registration',
  run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } }, { names: [] });
    const registration = readRegistration();
    const facts = {
      version,
      node: process.version,
      executable: process.execPath,
      pid: process.pid,
      win32ProcessId: getCurrentProcessId(),
      koffiAddon: koffiAddonPath(),
      registeredHost: registration?.hostPath ?? '(not registered)',
      servicesDir: registration?.servicesDir ?? '',
      servicesDirSecurity: registration ? getFileSecurity(registration.servicesDir) : '',
    };
    if (values.json) {
      console.log(JSON.stringify(facts));
    } else {
      for (const [key, value] of Object.entries(facts)) console.log(`${key.padEnd(19)} ${value}`);
    }
  },
};
