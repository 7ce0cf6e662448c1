/**
 * Carries out a plan with the installer's own `install`, `update` and `remove` (so apply does
 * exactly what those verbs do, rollback of a failed install included), one step at a time, and
 * stops at the first step that fails. What is left is then reported plainly: the steps done, the
 * one that failed (an install removes what it made; an update may have written part of its
 * settings), and those not tried. Nothing is undone: the next apply plans again from what the
 * machine has, so re-running it once the cause is fixed converges.
 * @module
 */
import { install, remove, update } from '../../installer/install.ts';
import type { DesiredEntry } from './desired-state.ts';
import { describeStep, type Step } from './plan.ts';
import type { ServiceState } from './service-state.ts';
import { createOptions, updateOptions, type MissingVariable, type StepOptions } from './step-options.ts';

/** A step with what it passes to the installer. */
export interface PreparedStep {
  step: Step;
  desired?: DesiredEntry;
  prepared?: StepOptions;
}

/** The outcome of running a plan. */
export interface RunResult {
  done: Step[];
  failed?: { step: Step; error: Error };
  notTried: Step[];
}

/** Pairs each step with its options; the variables missing from `env` for any step, all of them. */
export function prepareSteps(
  steps: readonly Step[],
  desired: ReadonlyMap<string, DesiredEntry>,
  current: ReadonlyMap<string, ServiceState | undefined>,
  env: Readonly<Record<string, string | undefined>>,
): { prepared: PreparedStep[]; missing: MissingVariable[] } {
  const prepared = steps.map((step): PreparedStep => {
    if (step.kind === 'remove') return { step };
    const entry = desired.get(step.name.toLowerCase())!;
    if (step.kind === 'create') return { step, desired: entry, prepared: createOptions(entry, env) };
    return {
      step,
      desired: entry,
      prepared: updateOptions(entry, current.get(step.name.toLowerCase())!, step.changes, step.rotateSecrets, env),
    };
  });
  return { prepared, missing: prepared.flatMap((item) => item.prepared?.missing ?? []) };
}

async function runStep({ step, desired, prepared }: PreparedStep): Promise<void> {
  switch (step.kind) {
    case 'remove':
      return remove(step.name);
    case 'create':
      await install(desired!.spec, prepared!.options);
      return;
    case 'update': {
      const moduleChanged = step.changes.some((change) => change.key === 'module');
      return update(step.name, moduleChanged ? desired!.spec : undefined, prepared!.options);
    }
  }
}

/** Runs the steps in order, printing each as it is done; stops at the first failure. */
export async function runSteps(steps: readonly PreparedStep[], print: (line: string) => void): Promise<RunResult> {
  const done: Step[] = [];
  for (const [index, item] of steps.entries()) {
    try {
      await runStep(item);
    } catch (error) {
      return {
        done,
        failed: { step: item.step, error: error instanceof Error ? error : new Error(String(error)) },
        notTried: steps.slice(index + 1).map((next) => next.step),
      };
    }
    done.push(item.step);
    print(describeStep(item.step));
  }
  return { done, notTried: [] };
}

/** The report of a run that stopped at a failed step. */
export function failureReport(result: RunResult): string {
  const { failed, done, notTried } = result;
  if (!failed) return '';
  const what =
    failed.step.kind === 'create'
      ? 'the failed install removed what it had made'
      : failed.step.kind === 'update'
        ? 'the failed update may have written some of its settings'
        : 'the service may still exist';
  return [
    `failed at: ${describeStep(failed.step).split('\n')[0]!.slice(2)}: ${failed.error.message}`,
    `state left: ${done.length} step(s) done, ${what}, ${notTried.length} step(s) not tried${notTried.length ? `: ${notTried.map((step) => `${step.kind} ${step.name}`).join(', ')}` : ''}.`,
    'Fix the cause and run apply again: it plans from what the machine has now, so it does only what is still missing.',
  ].join('\n');
}
