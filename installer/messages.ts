/**
 * A service's own messages (`install --messages`): an `.mc` file compiled with our compiler into a
 * resource-only DLL beside the module, or a prebuilt message DLL, registered as the first message
 * file of the service's event source, before host.exe.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileMessageFile, type CompiledTable } from '../messages/compile.ts';
import { writeMessageDll } from '../messages/resource-dll.ts';

/** Where a service's message DLL goes and, when it comes from an .mc file, what it holds. */
export interface MessageFilePlan {
  dll: string;
  /** The compiled tables, when the DLL is to be written from an .mc file. */
  tables?: CompiledTable[];
}

/**
 * The DLL written for service `service` of module `modulePath`: `<module>.<service>.messages.dll`
 * beside it, one per service, so removing one of two services of a module leaves the other's
 * (issue 15, item 7).
 */
export function messageDllPath(modulePath: string, service: string): string {
  return path.join(path.dirname(modulePath), `${path.basename(modulePath, path.extname(modulePath))}.${service}.messages.dll`);
}

/**
 * Checks `source` (an .mc file or a message DLL) before anything is installed: an .mc file is
 * compiled now, so a malformed one fails with file:line and nothing written.
 */
export function planMessageFile(source: string, modulePath: string, service: string): MessageFilePlan {
  if (!fs.existsSync(source)) throw new Error(`message file not found: ${source}`);
  const extension = path.extname(source).toLowerCase();
  if (extension === '.mc') {
    const { tables } = compileMessageFile(source);
    if (tables.length === 0) throw new Error(`${source} defines no messages`);
    return { dll: messageDllPath(modulePath, service), tables };
  }
  if (extension === '.dll' || extension === '.exe') return { dll: source };
  throw new Error(`--messages takes an .mc file or a message DLL, not ${source}`);
}

/** Writes the planned DLL when it comes from an .mc file. */
export function writePlannedMessageFile(plan: MessageFilePlan): void {
  if (plan.tables) writeMessageDll(plan.tables, plan.dll);
}
