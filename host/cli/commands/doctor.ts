/**
 * `host.exe doctor [--json] [--selftest]`: checks this machine and every service of this host, and prints each
 * finding with what to do. Exit code 0 when no finding is an error, 1 when one is. doctor loads each
 * service's module to prove it loads (as install does), and a module may leave handles open at its
 * top level (a timer, a server), so doctor ends its process itself once it has printed everything.
 * `--selftest` then proves start, stop, pause and a shared group with temporary services (selftest.ts).
 * @module
 */
import { readRegistration, servicesUsingHost } from '../../layout/registry-layout.ts';
import { terminateCurrentProcess } from '../../../runtime/win32/kernel32.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { doctorExitCode, formatFindings, runCheck, tally, type Finding } from '../../doctor/finding.ts';
import { checkFolders, checkHostEventSource, checkNativeAddon, checkRegistration, wineLimits } from '../../doctor/machine-checks.ts';
import { selftest } from '../../doctor/selftest.ts';
import { checkService } from '../../doctor/service-checks.ts';

/** Every finding about this machine and its services. */
export async function diagnose(): Promise<Finding[]> {
  const registration = readRegistration();
  const findings: Finding[] = [];
  findings.push(...(await runCheck('registration', () => checkRegistration(registration))));
  if (registration) {
    findings.push(...(await runCheck('folders', () => checkFolders(registration))));
    findings.push(...(await runCheck('event source', () => checkHostEventSource(registration))));
  }
  findings.push(...(await runCheck('native addon', () => checkNativeAddon(registration))));
  findings.push(...wineLimits());
  // Without a registration, the services that run this very host.exe are still worth checking.
  const names = servicesUsingHost(registration?.hostPath ?? process.execPath);
  if (names.length === 0) findings.push({ subject: 'services', status: 'ok', message: 'no service of this host is installed' });
  for (const name of names) findings.push(...(await runCheck(`service ${name}`, () => checkService(name, registration))));
  return findings;
}

/** Writes `text` to stdout and waits until it is out (a console on Windows is written asynchronously). */
function print(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
}

export const doctorCommand: Command = {
  name: 'doctor',
  usage: '[--json] [--selftest]',
  summary:
    'check this machine and every service of this host, with what to do for each problem (exit 1 when one is an error); --selftest also installs, runs and removes temporary services',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, selftest: { type: 'boolean' } }, { names: [] });
    const findings = await diagnose();
    if (values.selftest) findings.push(...(await runCheck('selftest', selftest)));
    const code = doctorExitCode(findings);
    await print(values.json ? JSON.stringify({ healthy: code === 0, counts: tally(findings), findings }) : formatFindings(findings));
    terminateCurrentProcess(code);
  },
};
