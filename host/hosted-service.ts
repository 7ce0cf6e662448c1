/**
 * One service of host.exe from START_PENDING to STOPPED: reads which module implements it from the
 * registry, loads it, and runs it with a ServiceRunner, taking controls all along. The same in a
 * process of its own (service-main.ts) and in a worker thread of a shared process (service-worker.ts);
 * only where its status goes differs.
 * @module
 */
import { ServiceControl, ServiceState } from '../runtime/service/constants.ts';
import { ServiceRunner } from '../runtime/service/runner.ts';
import type { StatusReporter } from '../runtime/service/status-reporter.ts';
import { readServiceParameters, serviceVariables } from '../installer/layout.ts';
import { checkServiceModule } from '../installer/location.ts';
import { serviceEvents } from './service-events.ts';
import { instantiate, loadServiceClass } from '../runtime/loader/service-module.ts';

/** The service-specific exit code of a service that could not be loaded. */
const LOAD_FAILURE_EXIT_CODE = 2;
/** How long the SCM should wait for module loading before the first checkpoint. */
const START_WAIT_HINT_MS = 30_000;

/** A service this host runs. */
export class HostedService {
  readonly #name: string;
  readonly #startArgs: readonly string[];
  #runner: ServiceRunner | undefined;
  #stopRequested = false;

  /** @param args ServiceMain's arguments: the service's name, then its start arguments. */
  constructor(args: readonly string[]) {
    const [name = '', ...startArgs] = args;
    this.#name = name;
    this.#startArgs = startArgs;
  }

  /** The service's name. */
  get name(): string {
    return this.#name;
  }

  /** Handles a control (HandlerEx); one that comes before the service is loaded is kept for when it is. */
  handleControl(control: number): number {
    if (this.#runner) return this.#runner.handleControl(control);
    if (control === ServiceControl.STOP || control === ServiceControl.SHUTDOWN) this.#stopRequested = true;
    return 0;
  }

  /**
   * Reports START_PENDING, loads the service and runs it until it has reported STOPPED.
   * `onLoaded` learns whether the loaded service takes user-defined controls (128–255).
   */
  async run(reporter: StatusReporter, onLoaded: (userControls: boolean) => void = () => {}): Promise<void> {
    const events = serviceEvents(this.#name);
    reporter.report(ServiceState.START_PENDING, { waitHint: START_WAIT_HINT_MS });
    events.starting();
    let runner: ServiceRunner;
    try {
      const parameters = readServiceParameters(this.#name);
      if (!parameters) throw new Error(`the registry has no NodeService parameters for '${this.#name}' (reinstall it with "host.exe install")`);
      checkServiceModule(this.#name, parameters);
      // The service's own variables are in place before its module's top level runs. In a shared
      // process this is the worker's own copy of process.env: the other services do not see them.
      Object.assign(process.env, serviceVariables(parameters));
      const { serviceClass } = await loadServiceClass({ modulePath: parameters.module, exportName: parameters.exportName });
      const service = instantiate(serviceClass);
      runner = new ServiceRunner(service, reporter, events, [...parameters.arguments, ...this.#startArgs], this.#name);
      onLoaded(typeof (service as { svcOtherControl?: unknown }).svcOtherControl === 'function');
    } catch (error) {
      events.startFailed(error instanceof Error ? error.message : String(error));
      reporter.report(ServiceState.STOPPED, { exitCode: LOAD_FAILURE_EXIT_CODE });
      return;
    }
    this.#runner = runner;
    const running = runner.run();
    if (this.#stopRequested) runner.handleControl(ServiceControl.STOP);
    await running;
  }
}
