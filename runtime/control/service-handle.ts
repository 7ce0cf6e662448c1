/**
 * An open service that the caller owns, as Go's mgr.Service and windows-service-rs's Service are:
 * it reads and changes the configuration, the security and the status, deletes the service, and
 * closes its handle with `close()` or at the end of a `using` block. The raw handle never leaves.
 *
 * Security: the SCM answers QueryServiceObjectSecurity with an owner on Windows. Wine's (8 and 10) is a
 * stub (no owner, an empty DACL; SetServiceObjectSecurity keeps nothing, and `sc sdset` fakes
 * success), so where no owner comes back, a DACL is composed on the one Windows gives a new
 * service rather than on an empty one, which would lock everyone else out on a real SCM.
 * @module
 */
import { changeServiceConfig, createService as createNativeService } from '../win32/advapi32/service-config.ts';
import { queryServiceSecurity, setServiceSecurity } from '../win32/advapi32/service-security.ts';
import { SecurityInformation } from '../win32/advapi32/security.ts';
import { closeServiceHandle, deleteService, queryServiceStatusEx, type ScHandle } from '../win32/advapi32/services.ts';
import { isWine } from '../win32/kernel32.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';
import { ErrorControl, readConfig, StartupType, type ServiceConfig } from './config.ts';
import { applySetting, querySetting, settings } from './config-settings.ts';
import { aboutService } from './service-errors.ts';
import { databaseDependencies } from './service-database.ts';
import {
  baseChange,
  changesBase,
  changesFailureActions,
  checkDefinition,
  checkServiceSecurity,
  levelChanges,
  mergeFailureActions,
  type LevelChanges,
  type ServiceDefinition,
  type ServiceSettings,
} from './service-definition.ts';
import { controlDacl } from './service-sddl.ts';
import { SERVICE_ALL_ACCESS } from './service-rights.ts';
import { describeStatus, type ServiceStatusInfo } from './status.ts';
import { ServiceType } from '../service/constants.ts';

/** A service opened through a {@link ServiceManager}; close it when done. */
export class Service implements Disposable {
  /** The service's name. */
  readonly name: string;
  /** Whether the service is on this machine (the SCM's database here may stand in for a level the SCM lacks). */
  readonly #local: boolean;
  readonly #handle: OwnedHandle<ScHandle>;

  /** @internal Made by ServiceManager.open and ServiceManager.create. */
  constructor(handle: ScHandle, name: string, local: boolean) {
    this.#handle = new OwnedHandle(handle, closeServiceHandle, `handle to the ${name} service`);
    this.name = name;
    this.#local = local;
  }

  /** Runs `action` on the open handle, its WindowsErrors naming the service. */
  #use<T>(action: (handle: ScHandle) => T): T {
    const handle = this.#handle.handle;
    return aboutService(this.name, () => action(handle));
  }

  /** The current status (needs QUERY_STATUS). */
  status(): ServiceStatusInfo {
    return describeStatus(this.name, this.#use(queryServiceStatusEx));
  }

  /** Everything the SCM holds for the service (needs QUERY_CONFIG). */
  config(): ServiceConfig {
    return this.#use((handle) => readConfig(handle, this.name, this.#local));
  }

  /**
   * Changes what `change` gives and leaves the rest (needs CHANGE_CONFIG, and QUERY_CONFIG for a
   * failure change, which is merged into the current one). Every value is checked before the SCM
   * is called; a level the SCM refuses after others were set leaves those set.
   */
  changeConfig(change: ServiceSettings): void {
    const base = baseChange(change);
    const levels = levelChanges(change);
    this.#use((handle) => {
      // Only when something of it changes: Wine 8's SCM rewrites the whole entry and loses the
      // dependencies, so there they are given again, as its database has them.
      if (changesBase(base))
        changeServiceConfig(
          handle,
          this.#local && base.dependencies === undefined && isWine() ? { ...base, dependencies: databaseDependencies(this.name) } : base,
        );
      applyLevels(handle, this.name, levels, this.#local);
    });
  }

  /** Marks the service for deletion (needs DELETE); it goes once every handle to it is closed and it has stopped. */
  delete(): void {
    this.#use(deleteService);
  }

  /** The owner, group and DACL as SDDL, as the SCM reports them (needs READ_CONTROL). */
  security(): string {
    return this.#use(queryServiceSecurity);
  }

  /**
   * Sets the parts `sddl` has: the DACL (D:, needs WRITE_DAC), the owner and group (O:, G:, need
   * WRITE_OWNER). The SACL (S:) is refused: it needs SeSecurityPrivilege. A malformed descriptor is
   * a SyntaxError before the SCM is called.
   */
  setSecurity(sddl: string): void {
    const parsed = checkServiceSecurity(sddl);
    let info = 0;
    if (parsed.owner !== undefined) info |= SecurityInformation.OWNER;
    if (parsed.group !== undefined) info |= SecurityInformation.GROUP;
    if (parsed.dacl !== undefined) info |= SecurityInformation.DACL;
    this.#use((handle) => setServiceSecurity(handle, info, sddl));
  }

  /**
   * Allows `sids` (SID strings) to start, stop, pause, continue, interrogate and query the status
   * of the service and read its security, not to configure or delete it; resolves to the DACL set.
   * Needs READ_CONTROL and WRITE_DAC. Where the SCM reports no security (Wine), the ACE is added to
   * the DACL Windows gives a new service.
   */
  allowControl(sids: string | readonly string[]): string {
    const dacl = controlDacl(this.security(), [sids].flat());
    this.#use((handle) => setServiceSecurity(handle, SecurityInformation.DACL, dacl));
    return dacl;
  }

  /** Closes the handle (throwing if CloseServiceHandle fails); later calls throw. Closing twice does nothing. */
  close(): void {
    this.#handle.close();
  }

  /** Closes the handle; a failure is a warning, never an error that hides the block's own (see owned-handle.ts). */
  [Symbol.dispose](): void {
    this.#handle[Symbol.dispose]();
  }
}

/** Applies the ChangeServiceConfig2W levels of a change, in the order install always used. */
export function applyLevels(handle: ScHandle, name: string, levels: LevelChanges, local: boolean): void {
  if (levels.description !== undefined) applySetting(handle, name, settings.description, levels.description, local);
  if (levels.delayedAutoStart !== undefined) applySetting(handle, name, settings.delayedAutoStart, levels.delayedAutoStart, local);
  if (levels.failure) {
    if (changesFailureActions(levels.failure)) {
      const current = querySetting(handle, name, settings.failureActions, local);
      applySetting(handle, name, settings.failureActions, mergeFailureActions(current, levels.failure), local);
    }
    const flag = levels.failure.onNonCrashFailures;
    if (flag !== undefined) applySetting(handle, name, settings.failureActionsOnNonCrashFailures, flag ? 1 : 0, local);
  }
  if (levels.preshutdownTimeout !== undefined) applySetting(handle, name, settings.preshutdownTimeout, levels.preshutdownTimeout, local);
  if (levels.requiredPrivileges !== undefined) applySetting(handle, name, settings.requiredPrivileges, levels.requiredPrivileges, local);
  if (levels.sidType !== undefined) applySetting(handle, name, settings.sidType, levels.sidType, local);
  if (levels.triggers !== undefined) {
    // Removing triggers from a service that has none is ERROR_INVALID_PARAMETER on Windows: nothing to do.
    const none = levels.triggers.length === 0 && querySetting(handle, name, settings.triggers, local).length === 0;
    if (!none) applySetting(handle, name, settings.triggers, levels.triggers, local);
  }
}

/**
 * Creates a service (CreateServiceW) through `scm` (opened with CREATE_SERVICE), then sets its
 * levels and security; when one of those fails, deletes the half-made service before throwing.
 */
export function createOwnedService(scm: ScHandle, definition: ServiceDefinition, local: boolean): Service {
  checkDefinition(definition);
  const base = baseChange(definition);
  const levels = levelChanges(definition);
  const { name } = definition;
  const handle = aboutService(name, () =>
    createNativeService(
      scm,
      {
        name,
        displayName: definition.displayName ?? name,
        serviceType: base.serviceType ?? ServiceType.WIN32_OWN_PROCESS,
        startType: base.startType ?? StartupType.manual,
        errorControl: base.errorControl ?? ErrorControl.normal,
        binaryPath: definition.binaryPath,
        loadOrderGroup: base.loadOrderGroup,
        dependencies: base.dependencies,
        account: base.account,
        password: base.password,
      },
      SERVICE_ALL_ACCESS,
    ),
  );
  const service = new Service(handle, name, local);
  try {
    aboutService(name, () => applyLevels(handle, name, levels, local));
    if (definition.security !== undefined) service.setSecurity(definition.security);
    return service;
  } catch (error) {
    throw deleteHalfMade(service, error);
  }
}

/** Deletes a service a failed `create` made and closes it; the error to throw (`error`, or one saying the service is left). */
function deleteHalfMade(service: Service, error: unknown): unknown {
  try {
    service.delete();
    return error;
  } catch (cleanup) {
    const reason = (error as Error)?.message ?? String(error);
    const why = (cleanup as Error)?.message ?? String(cleanup);
    return new Error(
      `${reason}; the half-made ${service.name} service could not be deleted (${why}): delete it with "sc delete ${service.name}"`,
      { cause: error },
    );
  } finally {
    // Not close(): a failed close must not replace the error being thrown.
    service[Symbol.dispose]();
  }
}
