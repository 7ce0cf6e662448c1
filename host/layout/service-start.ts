/**
 * What a service's process or worker must set up before its module loads: the working directory
 * and the variables (env file, then `--env`, then `--secret-env`, so the later ones win). Computed
 * here and returned, not applied: where it is applied differs (a service in a process of its own
 * can chdir; a worker thread cannot, as process.chdir() throws there), and the env file is read at
 * every start so that editing it and restarting the service is enough.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from './env-file.ts';
import { serviceVariables, type ServiceParameters } from './registry-layout.ts';

/** What to apply before loading the module. */
export interface ServiceStart {
  /** The working directory: `--cwd`, else the app folder, else the module's folder. */
  cwd: string;
  /** Every variable the service gets, in the order they override each other. */
  variables: Record<string, string>;
}

/** A service's working directory: `--cwd`, else its app folder, else its module's folder. */
export function workingDirectory(parameters: Pick<ServiceParameters, 'module' | 'appDir' | 'workingDirectory'>): string {
  return parameters.workingDirectory ?? parameters.appDir ?? path.win32.dirname(parameters.module);
}

/**
 * Reads the env file (when there is one) and checks the working directory. Throws an Error naming
 * the file or folder to fix, which the host reports as SERVICE_START_FAILED.
 */
export function prepareServiceStart(parameters: ServiceParameters, readFile = readEnvFile, isFolder = isDirectory): ServiceStart {
  let fromFile: Record<string, string> = {};
  if (parameters.envFile) {
    try {
      fromFile = readFile(parameters.envFile);
    } catch (error) {
      throw new Error(
        `its env file cannot be read: ${(error as Error).message} (fix the file, or change it with "host.exe update --dotenv")`,
        { cause: error },
      );
    }
  }
  const cwd = workingDirectory(parameters);
  if (!isFolder(cwd))
    throw new Error(`its working directory ${cwd} is not a folder (create it, or change it with "host.exe update --cwd")`);
  return { cwd, variables: { ...fromFile, ...serviceVariables(parameters) } };
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
