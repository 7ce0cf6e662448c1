import { describe, expect, it } from 'vitest';
import {
  CONDITIONS,
  HOST_COMPONENT_GUID,
  hostWxs,
  msiFileName,
  msiVersion,
  productCode,
  SEQUENCE,
  UPGRADE_CODE,
  uuidV5,
} from '../../../build/msi.ts';
import { parseXml, type XmlElement } from '../xml.ts';

function find(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => find(child, name))];
}

function one(element: XmlElement, name: string, id?: string): XmlElement {
  const found = find(element, name).filter(
    (candidate) => id === undefined || candidate.attributes.Id === id || candidate.attributes.Action === id,
  );
  expect(found, `${name} ${id ?? ''}`).toHaveLength(1);
  return found[0]!;
}

const wxs = (version = '0.1.0', hostSource = 'host.exe') => parseXml(hostWxs({ version, hostSource, description: 'NodeService host' }));

describe('MSI versions', () => {
  it('keeps major.minor.patch as the ProductVersion', () => {
    expect(msiVersion('0.1.0')).toBe('0.1.0');
    expect(msiVersion('255.255.65535')).toBe('255.255.65535');
    expect(msiFileName('1.2.3')).toBe('NodeService-1.2.3-x64.msi');
  });

  it('refuses what Windows Installer cannot compare: pre-release, build metadata, out-of-range parts, other shapes', () => {
    expect(() => msiVersion('1.2.3-rc.1')).toThrow(/no pre-release or build part/);
    expect(() => msiVersion('1.2.3+abc')).toThrow(/major\.minor\.patch/);
    expect(() => msiVersion('256.0.0')).toThrow(/major is 256, at most 255/);
    expect(() => msiVersion('1.256.0')).toThrow(/minor is 256, at most 255/);
    expect(() => msiVersion('1.2.65536')).toThrow(/patch is 65536, at most 65535/);
    for (const bad of ['', '1.2', '1.2.3.4', '01.2.3', 'v1.2.3', ' 1.2.3', '1.2.3\n', '١.٢.٣'])
      expect(() => msiVersion(bad), JSON.stringify(bad)).toThrow();
  });
});

describe('product identity', () => {
  it('derives UUID v5 as RFC 9562 does', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313E1-3B8A-5372-9B90-0C9AEE199E5D');
  });

  it('gives each version one ProductCode, the same for every build, and keeps the UpgradeCode and component GUID', () => {
    expect(productCode('0.1.0')).toBe(productCode('0.1.0'));
    expect(productCode('0.1.0')).not.toBe(productCode('0.1.1'));
    const [first, second] = [wxs('0.1.0'), wxs('0.2.0')];
    expect(one(first, 'Product').attributes).toMatchObject({ Id: productCode('0.1.0'), Version: '0.1.0', UpgradeCode: UPGRADE_CODE });
    expect(one(second, 'Product').attributes).toMatchObject({ Id: productCode('0.2.0'), Version: '0.2.0', UpgradeCode: UPGRADE_CODE });
    expect(one(first, 'Component').attributes).toEqual(one(second, 'Component').attributes);
    expect(one(first, 'Component').attributes).toMatchObject({ Guid: HOST_COMPONENT_GUID, Win64: 'yes' });
  });
});

describe('the host package source', () => {
  it('installs host.exe into Program Files\\NodeService, per machine, with a major upgrade and an administrator check', () => {
    const doc = wxs();
    expect(one(doc, 'Package').attributes).toMatchObject({ InstallScope: 'perMachine', Compressed: 'yes' });
    expect(one(doc, 'Directory', 'ProgramFiles64Folder').children.map((child) => child.attributes)).toEqual([
      { Id: 'INSTALLDIR', Name: 'NodeService' },
    ]);
    expect(one(doc, 'File').attributes).toEqual({ Id: 'HostExe', Name: 'host.exe', Source: 'host.exe', KeyPath: 'yes' });
    expect(one(doc, 'RemoveFolder').attributes).toMatchObject({ On: 'uninstall' });
    expect(one(doc, 'MajorUpgrade').attributes.DowngradeErrorMessage).toMatch(/newer version/);
    expect(one(doc, 'Condition').text).toBe('Privileged');
    expect(one(doc, 'Media').attributes).toMatchObject({ EmbedCab: 'yes' });
  });

  it('registers and unregisters through host.exe as deferred, no-impersonate actions whose failure fails the package', () => {
    const doc = wxs();
    for (const [id, command] of [
      ['RegisterHost', '/register --event-log'],
      ['UnregisterHost', '/unregister --event-log'],
    ]) {
      expect(one(doc, 'CustomAction', id).attributes).toEqual({
        Id: id,
        FileKey: 'HostExe',
        ExeCommand: command,
        Execute: 'deferred',
        Impersonate: 'no',
        Return: 'check',
      });
    }
  });

  it('unregisters only on a real uninstall, before host.exe is removed, and registers after it is installed', () => {
    const doc = wxs();
    const unregister = one(doc, 'Custom', 'UnregisterHost');
    const register = one(doc, 'Custom', 'RegisterHost');
    expect(unregister.text).toBe(CONDITIONS.uninstall);
    expect(CONDITIONS.uninstall).toContain('NOT UPGRADINGPRODUCTCODE');
    expect(register.text).toBe(CONDITIONS.installed);
    const at = (element: XmlElement) => Number(element.attributes.Sequence);
    const removeExisting = at(one(doc, 'RemoveExistingProducts'));
    expect(SEQUENCE.installInitialize).toBeLessThan(removeExisting);
    expect(removeExisting).toBeLessThan(at(unregister));
    expect(at(unregister)).toBeLessThan(SEQUENCE.removeFiles);
    expect(SEQUENCE.installFiles).toBeLessThan(at(register));
    expect(at(register)).toBeLessThan(SEQUENCE.installFinalize);
  });

  it('escapes what it is given', () => {
    const doc = parseXml(hostWxs({ version: '1.0.0', hostSource: 'a&b "c" <d>.exe', description: 'x < y & "z"' }));
    expect(one(doc, 'File').attributes.Source).toBe('a&b "c" <d>.exe');
    expect(one(doc, 'Package').attributes.Description).toBe('x < y & "z"');
  });

  it('refuses a version it cannot express before writing anything', () => {
    expect(() => hostWxs({ version: '1.0.0-beta', hostSource: 'host.exe', description: '' })).toThrow(/pre-release/);
  });
});
