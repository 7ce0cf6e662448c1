/**
 * The Windows Installer package of host.exe, as WiX 3 source for Debian's `wixl` (msitools): pure
 * functions from a version to XML, so the shape is unit-tested and package.ts only runs the tool.
 *
 * Why it is shaped so:
 * - One fixed UpgradeCode for every release, and a ProductCode derived from it and the version
 *   (UUID v5): MajorUpgrade finds older releases by the UpgradeCode, and a second build of the same
 *   version is the same product (msiexec answers 1638 "another version is installed") rather than
 *   a second copy registered beside the first.
 * - The one component (host.exe) keeps one GUID across releases: same path, same key file.
 * - `/register` and `/unregister` run as deferred, no-impersonate custom actions of type 18 (an exe
 *   the package installs), so they run as LocalSystem inside the installation script: register
 *   after InstallFiles, unregister before RemoveFiles (host.exe still there to run it).
 * - RemoveExistingProducts is pinned right after InstallInitialize (wixl has no MajorUpgrade/@Schedule
 *   and would put it after InstallFiles): the old release is removed inside the new one's transaction
 *   before the new files go in, so a failed upgrade rolls back to the old release. The old release's
 *   removal runs with UPGRADINGPRODUCTCODE set, and `/unregister` is conditioned on its absence: an
 *   upgrade keeps the registration and every installed service. The new release's `/register` then
 *   runs again, which keeps the registered services folder (installer/register.ts).
 * - RemoveFolder deletes Program Files\NodeService once empty (Wine's RemoveFiles leaves the
 *   folder of a removed component otherwise); `/unregister` has by then deleted a services folder
 *   that holds nothing but its marker.
 * - A real uninstall runs `/unregister`, which refuses while services still use this host: the
 *   uninstall fails (1603) and rolls back, the services keep working. An administrator removes the
 *   services first (`host.exe remove <name>`, or their own packages), as with `/unregister` by hand.
 * @module
 */
import crypto from 'node:crypto';

/** The identity of NodeService across all its releases (Upgrade table). Never change it. */
export const UPGRADE_CODE = 'E297F637-C997-4D9A-9624-B024CF41C455';

/** The component that installs host.exe: the same in every release (same path and key file). */
export const HOST_COMPONENT_GUID = 'C73A5534-0E56-42F5-B64B-4AC62F0A60FB';

/** The largest parts of a ProductVersion: major.minor.build (msdn: ProductVersion property). */
const MSI_VERSION_LIMITS = [255, 255, 65535] as const;

/**
 * package.json's version as an MSI ProductVersion. Windows Installer compares only
 * `major.minor.build` and has no pre-release or build-metadata part, so a version with one is
 * refused rather than folded onto the release it precedes (both would be one product).
 */
export function msiVersion(version: string): string {
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(version);
  if (!match) {
    throw new Error(
      `version "${version}" cannot be an MSI ProductVersion: it must be major.minor.patch (digits only; Windows Installer has no pre-release or build part)`,
    );
  }
  const parts = match.slice(1).map(Number);
  parts.forEach((part, index) => {
    const limit = MSI_VERSION_LIMITS[index]!;
    if (part > limit) {
      throw new Error(
        `version "${version}" cannot be an MSI ProductVersion: ${['major', 'minor', 'patch'][index]} is ${part}, at most ${limit}`,
      );
    }
  });
  return parts.join('.');
}

/** A name-based UUID (RFC 9562 version 5, SHA-1) in `namespace`, upper case as MSI tables hold them. */
export function uuidV5(namespace: string, name: string): string {
  const hash = crypto
    .createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ProductCode of a release: the same for every build of one version. */
export function productCode(version: string): string {
  return uuidV5(UPGRADE_CODE, msiVersion(version));
}

/** The file name `npm run package` writes. */
export function msiFileName(version: string): string {
  return `NodeService-${msiVersion(version)}-x64.msi`;
}

/** What goes into the host package. */
export interface HostPackage {
  /** package.json's version (host.exe's version resource says the same). */
  version: string;
  /** host.exe as wixl finds it: relative to the folder wixl runs in. */
  hostSource: string;
  /** The description shown in Programs and Features' details and the summary information. */
  description: string;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}

/** Windows Installer conditions (msdn: Conditional Statement Syntax). */
export const CONDITIONS = {
  /** A real uninstall, not the removal of an older release by an upgrade. */
  uninstall: 'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE',
  /** Install, upgrade, repair: anything but removing the product. */
  installed: 'NOT (REMOVE~="ALL")',
} as const;

/** Sequence numbers in InstallExecuteSequence (wixl numbers the standard actions as WiX does). */
export const SEQUENCE = {
  installInitialize: 1500,
  removeExistingProducts: 1501,
  unregister: 3400,
  removeFiles: 3500,
  installFiles: 4000,
  register: 4010,
  installFinalize: 6600,
} as const;

/** The WiX source of the host package. */
export function hostWxs(pkg: HostPackage): string {
  const version = msiVersion(pkg.version);
  const text = escapeXml;
  return `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="${productCode(version)}" Name="NodeService" Language="1033" Version="${version}" Manufacturer="NodeService" UpgradeCode="${UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="${text(pkg.description)}" Comments="NodeService ${version}: host.exe, registered for this machine" />
    <MajorUpgrade DowngradeErrorMessage="A newer version of NodeService is already installed." />
    <Condition Message="NodeService must be installed by an administrator.">Privileged</Condition>
    <Media Id="1" Cabinet="host.cab" EmbedCab="yes" />
    <Property Id="ARPNOMODIFY" Value="1" />
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="NodeService">
          <Component Id="HostExe" Guid="${HOST_COMPONENT_GUID}" Win64="yes">
            <File Id="HostExe" Name="host.exe" Source="${text(pkg.hostSource)}" KeyPath="yes" />
            <RemoveFolder Id="RemoveInstallDir" On="uninstall" />
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Host" Title="NodeService host" Level="1">
      <ComponentRef Id="HostExe" />
    </Feature>
    <CustomAction Id="RegisterHost" FileKey="HostExe" ExeCommand="/register --event-log" Execute="deferred" Impersonate="no" Return="check" />
    <CustomAction Id="UnregisterHost" FileKey="HostExe" ExeCommand="/unregister --event-log" Execute="deferred" Impersonate="no" Return="check" />
    <InstallExecuteSequence>
      <RemoveExistingProducts Sequence="${SEQUENCE.removeExistingProducts}" />
      <Custom Action="UnregisterHost" Sequence="${SEQUENCE.unregister}">${text(CONDITIONS.uninstall)}</Custom>
      <Custom Action="RegisterHost" Sequence="${SEQUENCE.register}">${text(CONDITIONS.installed)}</Custom>
    </InstallExecuteSequence>
  </Product>
</Wix>
`;
}
