/**
 * What apply must do to make the machine match the file: for each service, create, update (only
 * the settings that differ) or remove; nothing for those already right. Pure: the inputs are the
 * desired and current states, so every case is unit-tested without Windows. Service names compare
 * case-insensitively, as the SCM's do; a plan names a service as the machine spells it.
 * @module
 */
import { isSame, showValue, STATE_KEYS, type ServiceState, type StateKey } from './service-state.ts';

/** One setting that changes, as a plan shows it. */
export interface Change {
  key: StateKey;
  from: string;
  to: string;
}

/** One thing apply does. */
export type Step =
  | { kind: 'create'; name: string }
  | { kind: 'update'; name: string; changes: Change[]; rotateSecrets: boolean }
  /** `halfInstalled`: the SCM runs this host for it but it has no Parameters (an install that died). */
  | { kind: 'remove'; name: string; halfInstalled: boolean };

/** A service of this host as the machine has it. */
export interface CurrentService {
  name: string;
  /** undefined when half-installed. */
  state: ServiceState | undefined;
}

/** A service as the file declares it. */
export interface DesiredService {
  name: string;
  state: ServiceState;
  /** It has secrets or a password apply could write again (--rotate-secrets). */
  hasSecrets: boolean;
}

/** The steps, in the order they run (removals first: they free display names; then updates; then creations), and what is already right. */
export interface Plan {
  steps: Step[];
  unchanged: string[];
}

/** The settings where `desired` differs from `current`. */
export function changesOf(desired: ServiceState, current: ServiceState): Change[] {
  return STATE_KEYS.filter((key) => !isSame(key, desired[key], current[key])).map((key) => ({
    key,
    from: showValue(key, current[key]),
    to: showValue(key, desired[key]),
  }));
}

/** Plans the steps from `desired` (the file) to `current` (this host's services); `rotateSecrets` writes every secret again. */
export function computePlan(desired: readonly DesiredService[], current: readonly CurrentService[], rotateSecrets = false): Plan {
  const byName = new Map(current.map((service) => [service.name.toLowerCase(), service]));
  const declared = new Set(desired.map((service) => service.name.toLowerCase()));
  const removals: Step[] = current
    .filter((service) => !declared.has(service.name.toLowerCase()) || service.state === undefined)
    .map((service) => ({ kind: 'remove', name: service.name, halfInstalled: service.state === undefined }));
  const updates: Step[] = [];
  const creations: Step[] = [];
  const unchanged: string[] = [];
  for (const service of desired) {
    const existing = byName.get(service.name.toLowerCase());
    if (existing?.state === undefined) {
      creations.push({ kind: 'create', name: service.name });
      continue;
    }
    const changes = changesOf(service.state, existing.state);
    const rotate = rotateSecrets && service.hasSecrets;
    if (changes.length || rotate) updates.push({ kind: 'update', name: existing.name, changes, rotateSecrets: rotate });
    else unchanged.push(existing.name);
  }
  return { steps: [...removals, ...updates, ...creations], unchanged };
}

/** One line per step, as `apply --dry-run` prints it and apply reports what it did. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'create':
      return `+ create ${step.name}`;
    case 'remove':
      return `- remove ${step.name}${step.halfInstalled ? ' (half-installed: it has no Parameters)' : ''}`;
    case 'update': {
      const parts = step.changes.map((change) => `${change.key}: ${change.from} -> ${change.to}`);
      if (step.rotateSecrets) parts.push('secrets and password written again from the environment');
      return `~ update ${step.name}\n${parts.map((part) => `    ${part}`).join('\n')}`;
    }
  }
}
