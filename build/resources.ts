/**
 * Step 3: resedit writes the PE resources Windows shows and uses: version information (Explorer's
 * Details tab, `Get-Item host.exe | % VersionInfo`) and the compiled message table Event Viewer
 * formats host.exe's entries with. Done after the SEA blob is injected (sea.ts), on the finished executable.
 * @module
 */
import fs from 'node:fs';
import * as ResEdit from 'resedit';
import type { CompiledTable } from '../messages/compile.ts';
import { setMessageTables } from '../messages/resource-dll.ts';

/** What the version resource says about the product. */
export interface ProductInfo {
  version: string;
  description: string;
  productName: string;
  originalFilename: string;
  copyright: string;
}

const ENGLISH_US = 1033;
const UNICODE_CODEPAGE = 1200;
const RT_VERSION = 16;
/** Rewrites `exePath` with a version resource for `info` and the message `tables`. */
export function writeResources(exePath: string, info: ProductInfo, tables: readonly CompiledTable[]): void {
  const exe = ResEdit.NtExecutable.from(fs.readFileSync(exePath), { ignoreCert: true });
  const resources = ResEdit.NtExecutableResource.from(exe);
  setMessageTables(resources, tables);
  const [major = 0, minor = 0, patch = 0] = info.version.split(/[.+-]/).map(Number);

  const versionInfo = ResEdit.Resource.VersionInfo.createEmpty();
  versionInfo.lang = ENGLISH_US;
  versionInfo.setFileVersion(major, minor, patch, 0, ENGLISH_US);
  versionInfo.setProductVersion(major, minor, patch, 0, ENGLISH_US);
  versionInfo.setStringValues(
    { lang: ENGLISH_US, codepage: UNICODE_CODEPAGE },
    {
      CompanyName: info.productName,
      FileDescription: info.description,
      FileVersion: info.version,
      InternalName: 'host',
      LegalCopyright: info.copyright,
      OriginalFilename: info.originalFilename,
      ProductName: info.productName,
      ProductVersion: info.version,
    },
  );
  // Replace whatever version resource node.exe carried (Node.js's own).
  resources.entries = resources.entries.filter((entry) => entry.type !== RT_VERSION);
  versionInfo.outputToResourceEntries(resources.entries);
  resources.outputResource(exe);
  fs.writeFileSync(exePath, Buffer.from(exe.generate()));
}
