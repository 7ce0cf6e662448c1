/**
 * The counters of a service instance: its class's `static svcCounters`, published under the
 * service's name while it runs (through PerfLib on Windows, in JS memory elsewhere).
 * @module
 */
import type { CounterSetDefinition } from './counter-set.ts';
import { publishCounters, type PublishedCounterSet } from './publish.ts';

/** What a service without `svcCounters` gets: no counters, nothing to close. */
const NO_COUNTERS: PublishedCounterSet<never> = {
  counters: Object.freeze({}),
  providerGuid: '',
  counterSetGuid: '',
  published: false,
  instance: () => {
    throw new Error('this service declares no counters: give its class a static svcCounters (see defineCounters)');
  },
  deleteInstance: () => {},
  providerValues: () => undefined,
  close: () => {},
};

/** Publishes the counter set a service class declares, or none. */
export function openServiceCounters(definition: CounterSetDefinition | undefined, serviceName: string): PublishedCounterSet {
  if (definition === undefined) return NO_COUNTERS;
  return publishCounters(definition, serviceName, { provider: process.platform === 'win32' });
}
