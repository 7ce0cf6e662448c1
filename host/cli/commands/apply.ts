/**
 * `apply <file>` and `export`: this host's services as a desired state in a JSON file
 * (schema/nodeservice.schema.json). apply reads and checks the whole file, plans from what the
 * machine has, and carries the plan out with the installer's own install/update/remove. Its exit
 * codes tell a configuration tool what happened, as Terraform's -detailed-exitcode and Puppet's
 * --detailed-exitcodes do: 0 nothing to change, 3 changed (or, with --dry-run, would change),
 * 2 a bad command line or file, 1 a failure.
 * @module
 */
import fs from 'node:fs';
import { requireAdministrator } from '../../../installer/admin.ts';
import { readRegistration, type Registration } from '../../layout/registry-layout.ts';
import { acquireApplyLock } from '../../apply/apply-lock.ts';
import { readHostServices, foreignImagePath } from '../../apply/current-state.ts';
import { readApplyFile, type DesiredEntry } from '../../apply/desired-state.ts';
import { toApplyFile } from '../../apply/export-state.ts';
import { computePlan, describeStep } from '../../apply/plan.ts';
import { failureReport, prepareSteps, runSteps } from '../../apply/run-plan.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

/** apply's exit code when it changed something (with --dry-run: when it would). 2 is taken by usage errors. */
export const APPLY_CHANGED_EXIT_CODE = 3;

function requireRegistration(): Registration {
  const registration = readRegistration();
  if (!registration) throw new Error('this machine has no registered host: run "host.exe /register" (as administrator) first');
  return registration;
}

/** Refuses a file that names a service another program runs: apply never takes one over. */
function checkNoForeign(desired: readonly DesiredEntry[], registration: Registration): void {
  const foreign = desired.flatMap((entry) => {
    const imagePath = foreignImagePath(entry.name, registration);
    return imagePath === undefined
      ? []
      : [
          `  ${entry.at}: a service named '${entry.name}' exists and is not this host's (it runs ${imagePath}): apply never changes another program's service; choose another name`,
        ];
  });
  if (foreign.length) throw new Error(`nothing was changed:\n${foreign.join('\n')}`);
}

async function apply(file: string, dryRun: boolean, rotateSecrets: boolean): Promise<number> {
  const desired = readApplyFile(file);
  if (!dryRun) requireAdministrator('apply');
  const registration = requireRegistration();
  using _lock = dryRun ? undefined : acquireApplyLock();
  checkNoForeign(desired, registration);
  const current = readHostServices(registration);
  const plan = computePlan(
    desired.map((entry) => ({
      name: entry.name,
      state: entry.state,
      hasSecrets: Boolean(entry.entry.secretEnvironment || entry.options.account?.kind === 'user'),
    })),
    current,
    rotateSecrets,
  );
  if (plan.steps.length === 0) {
    console.log(`No changes: ${plan.unchanged.length} service(s) as declared.`);
    return 0;
  }
  const byName = new Map(desired.map((entry) => [entry.name.toLowerCase(), entry]));
  const currentStates = new Map(current.map((service) => [service.name.toLowerCase(), service.state]));
  const { prepared, missing } = prepareSteps(plan.steps, byName, currentStates, process.env);
  if (dryRun) {
    console.log(`Plan (nothing changed, --dry-run):\n${plan.steps.map(describeStep).join('\n')}`);
    if (missing.length)
      console.log(
        `Apply would stop first, before any change: ${missing.map((item) => `${item.path} needs the environment variable ${item.variable}`).join('; ')}`,
      );
    return APPLY_CHANGED_EXIT_CODE;
  }
  if (missing.length) {
    throw new UsageError(
      `nothing was changed: set these environment variables first (secrets never go in the file):\n${missing.map((item) => `  ${item.path}: ${item.variable} is not set`).join('\n')}`,
    );
  }
  const result = await runSteps(prepared, (line) => console.log(line));
  if (result.failed) {
    throw new Error(failureReport(result));
  }
  console.log(`Applied: ${summary(plan.steps)}${plan.unchanged.length ? `; ${plan.unchanged.length} unchanged` : ''}.`);
  return APPLY_CHANGED_EXIT_CODE;
}

function summary(steps: readonly { kind: string }[]): string {
  const count = (kind: string) => steps.filter((step) => step.kind === kind).length;
  return `${count('create')} created, ${count('update')} updated, ${count('remove')} removed`;
}

export const applyCommand: Command = {
  name: 'apply',
  usage: '<file.json> [--dry-run] [--rotate-secrets]',
  summary: `make this host's services match a desired-state file: install, update, remove (exit 0: nothing changed, ${APPLY_CHANGED_EXIT_CODE}: changed)`,
  run(argv) {
    const options = { 'dry-run': { type: 'boolean' }, 'rotate-secrets': { type: 'boolean' } } as const;
    const { values, positionals } = parseCommandArgs(argv, options, { names: ['file.json'] });
    return apply(positionals[0]!, values['dry-run'] ?? false, values['rotate-secrets'] ?? false);
  },
};

export const exportCommand: Command = {
  name: 'export',
  usage: '[--out file.json]',
  summary: "write this host's services as a desired-state file for apply (secrets as references, never values)",
  run(argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' } }, { names: [] });
    const registration = requireRegistration();
    const services = readHostServices(registration).flatMap((service) =>
      service.state ? [{ name: service.name, state: service.state, allowOutside: service.parameters?.allowOutside ?? false }] : [],
    );
    const text = `${JSON.stringify(toApplyFile(services), null, 2)}\n`;
    if (values.out === undefined) process.stdout.write(text);
    else {
      fs.writeFileSync(values.out, text);
      console.log(`Wrote ${services.length} service(s) to ${values.out}.`);
    }
  },
};
