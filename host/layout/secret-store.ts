/**
 * Where a service's secret variables live: `Parameters\Secrets`, one REG_BINARY value per variable,
 * each sealed with DPAPI for this machine, under a key whose protected DACL lets only SYSTEM,
 * Administrators and the service's own SID read it (issue 15, item 5). Machine-scope DPAPI opens for
 * any local account, so the key's DACL is what keeps the values from users; the Services key's
 * inherited ACL (Users: read) is cut off. The names are not secret: they are also kept in clear
 * as `Parameters\SecretNames`, so `status` can show them without opening anything, and nothing
 * but the service's start opens a value.
 * @module
 */
import { RegistryKey } from '../../runtime/system/registry.ts';
import { setRegistryKeySecurity } from '../../runtime/win32/advapi32/security.ts';
import { protectData, unprotectData } from '../../runtime/win32/crypt32.ts';
import { serviceSid } from './service-sid.ts';

/** The SDDL of a service's Secrets key: full control for SYSTEM and Administrators, read for the service's SID, nobody else. */
export function secretsKeySddl(service: string): string {
  return `D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)(A;OICI;KR;;;${serviceSid(service)})`;
}

/** The path below HKLM of the key holding `parametersKey`'s secrets. */
export function secretsKeyPath(parametersKey: string): string {
  return `${parametersKey}\\Secrets`;
}

/**
 * Writes `secrets` (sealed) and deletes the `removed` ones. The key gets its DACL before any value
 * is written, so no value is ever readable by more than those three.
 */
export function writeSecrets(
  service: string,
  parametersKey: string,
  secrets: Readonly<Record<string, string>>,
  removed: readonly string[],
): void {
  const keyPath = secretsKeyPath(parametersKey);
  if (Object.keys(secrets).length === 0) {
    using key = RegistryKey.open(keyPath, { write: true });
    for (const name of removed) key?.deleteValue(name);
    return;
  }
  RegistryKey.create(keyPath).close();
  setRegistryKeySecurity(keyPath, secretsKeySddl(service));
  using key = RegistryKey.create(keyPath);
  for (const [name, value] of Object.entries(secrets))
    key.setBinary(name, protectData(Buffer.from(value, 'utf16le'), 'NodeService secret variable'));
  for (const name of removed) key.deleteValue(name);
}

/** Opens the secrets `names` of the service (at its start only); a missing one is left out. */
export function readSecrets(parametersKey: string, names: readonly string[]): Record<string, string> {
  if (names.length === 0) return {};
  using key = RegistryKey.open(secretsKeyPath(parametersKey));
  if (!key) return {};
  const values: Record<string, string> = {};
  for (const name of names) {
    const sealed = key.getBinary(name);
    if (sealed) values[name] = unprotectData(sealed).toString('utf16le');
  }
  return values;
}
