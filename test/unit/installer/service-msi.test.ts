import { describe, expect, it } from 'vitest';
import {
  createTableSql,
  escapeFormatted,
  insertSql,
  quoteArgument,
  servicePackageSummary,
  servicePackageTables,
  serviceUpgradeCode,
  SUMMARY,
  type MsiTable,
  type ServicePackage,
} from '../../../installer/service-msi.ts';

const PKG: ServicePackage = {
  serviceName: 'Smällest✓',
  productName: 'Smallest',
  version: '1.2.3',
  manufacturer: 'Tests',
  files: [
    { relativePath: 'app.js', size: 10 },
    { relativePath: 'data\\données ✓.txt', size: 3 },
    { relativePath: 'data\\deep\\x.json', size: 2 },
    { relativePath: 'README', size: 1 },
  ],
  installArguments: '"[SERVICEDIR]app.js" --name Smällest✓',
  productCode: '11111111-1111-4111-8111-111111111111',
  packageCode: '22222222-2222-4222-8222-222222222222',
};

function table(name: string, tables = servicePackageTables(PKG)): MsiTable {
  const found = tables.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} table`);
  return found;
}

/** What CommandLineToArgvW makes of one quoted argument (the rules Node's Windows argv follows). */
function parseQuoted(text: string): string {
  let out = '';
  let backslashes = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    if (char === '"') {
      out += '\\'.repeat(Math.floor(backslashes / 2));
      if (backslashes % 2) out += '"';
      else quoted = !quoted;
    } else out += '\\'.repeat(backslashes) + char;
    backslashes = 0;
  }
  expect(quoted).toBe(false);
  return out + '\\'.repeat(backslashes);
}

describe('service package tables', () => {
  it('quotes arguments so the Windows command line gives them back unchanged', () => {
    for (const arg of ['plain', '', 'two words', 'C:\\Program Files\\x\\', 'say "hi"', 'a\\"b', 'trailing\\\\', 'tab\there', '✓ ünï']) {
      expect(parseQuoted(quoteArgument(arg))).toBe(arg);
    }
    expect(quoteArgument('--startup')).toBe('--startup');
  });

  it('escapes what a formatted string would read as a property reference', () => {
    expect(escapeFormatted('a[b]{c}')).toBe('a[\\[]b[\\]][\\{]c[\\}]');
    expect(escapeFormatted('C:\\plain text')).toBe('C:\\plain text');
  });

  it('keeps one UpgradeCode per service name, whatever its case, and a different one for another service', () => {
    expect(serviceUpgradeCode('MyService')).toBe(serviceUpgradeCode('myservice'));
    expect(serviceUpgradeCode('MyService')).not.toBe(serviceUpgradeCode('OtherService'));
    expect(serviceUpgradeCode('MyService')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('puts each file in its folder under the service folder, with unique short names and sequence numbers', () => {
    const directories = table('Directory').rows;
    expect(directories.slice(0, 3)).toEqual([
      ['TARGETDIR', null, 'SourceDir'],
      ['SERVICESDIR', 'TARGETDIR', '.'],
      ['SERVICEDIR', 'SERVICESDIR', 'S0000000|Smällest✓'],
    ]);
    expect(directories.slice(3)).toEqual([
      ['D1', 'SERVICEDIR', 'D0000002|data'],
      ['D2', 'D1', 'D0000003|deep'],
    ]);
    const files = table('File').rows;
    expect(files.map((row) => row[2])).toEqual(['F0000000.JS|app.js', 'F0000001.TXT|données ✓.txt', 'F0000002|x.json', 'F0000003|README']);
    expect(files.map((row) => row[7])).toEqual([1, 2, 3, 4]);
    const components = table('Component').rows;
    expect(components.map((row) => row[2])).toEqual(['SERVICEDIR', 'D1', 'D2', 'SERVICEDIR']);
    expect(new Set(components.map((row) => row[1])).size).toBe(4);
    expect(table('Media').rows).toEqual([[1, 4, null, '#service.cab', null, null]]);
    // Every folder the package made is removed at uninstall.
    expect(table('RemoveFile').rows.map((row) => row[3])).toEqual(['SERVICEDIR', 'D1', 'D2']);
  });

  it('gives a file the same component GUID in every build, so the component is the same one', () => {
    const again = servicePackageTables({ ...PKG, productCode: '33333333-3333-4333-8333-333333333333' });
    expect(table('Component', again).rows).toEqual(table('Component').rows);
  });

  it('runs host.exe install after InstallFiles and remove before RemoveFiles, each rollback scheduled right after its step', () => {
    const actions = table('CustomAction').rows;
    expect(actions).toContainEqual(['InstallService', 50 | 0x400 | 0x800, 'NODESERVICEHOST', `install ${PKG.installArguments}`]);
    expect(actions).toContainEqual(['RemoveService', 50 | 0x400 | 0x800, 'NODESERVICEHOST', 'remove Smällest✓ --missing-ok']);
    expect(actions).toContainEqual(['InstallServiceRollback', 50 | 0x500 | 0x800, 'NODESERVICEHOST', 'remove Smällest✓ --missing-ok']);
    const sequence = new Map(table('InstallExecuteSequence').rows.map((row) => [row[0] as string, row[2] as number]));
    const at = (action: string) => sequence.get(action)!;
    expect(at('FindRelatedProducts')).toBeLessThan(at('LaunchConditions'));
    expect(at('AppSearch')).toBeLessThan(at('LaunchConditions'));
    expect(at('RemoveExistingProducts')).toBe(at('InstallInitialize') + 1);
    expect(at('RemoveService')).toBeLessThan(at('RemoveServiceRollback'));
    expect(at('RemoveServiceRollback')).toBeLessThan(at('RemoveFiles'));
    expect(at('InstallFiles')).toBeLessThan(at('InstallService'));
    expect(at('InstallService')).toBeLessThan(at('InstallServiceRollback'));
    expect(at('InstallServiceRollback')).toBeLessThan(at('InstallFinalize'));
  });

  it('finds older builds up to this version (inclusive) to replace, and a newer one to refuse', () => {
    const code = `{${serviceUpgradeCode(PKG.serviceName)}}`;
    expect(table('Upgrade').rows).toEqual([
      [code, null, '1.2.3', null, 0x200, null, 'OLDERSERVICEFOUND'],
      [code, '1.2.3', null, null, 0x2, null, 'NEWERSERVICEFOUND'],
    ]);
    expect(table('LaunchCondition').rows.map((row) => row[0])).toEqual([
      'Privileged',
      'NODESERVICEHOST AND SERVICESDIR',
      'NOT NEWERSERVICEFOUND',
    ]);
  });

  it('writes SQL the installer parses: backquoted names, a primary key, one marker per column', () => {
    const property = table('Property');
    expect(createTableSql(property)).toBe(
      'CREATE TABLE `Property` (`Property` CHAR(72) NOT NULL, `Value` LONGCHAR NOT NULL LOCALIZABLE PRIMARY KEY `Property`)',
    );
    expect(insertSql(property)).toBe('INSERT INTO `Property` (`Property`, `Value`) VALUES (?, ?)');
    for (const each of servicePackageTables(PKG)) {
      for (const row of each.rows) expect(row).toHaveLength(each.columns.length);
    }
  });

  it('says x64, compressed, long names, and the build as PackageCode in the summary', () => {
    const summary = servicePackageSummary(PKG);
    expect(summary.get(SUMMARY.template)).toBe('x64;1033');
    expect(summary.get(SUMMARY.wordCount)).toBe(2);
    expect(summary.get(SUMMARY.revisionNumber)).toBe(`{${PKG.packageCode}}`);
  });

  it('refuses a package with no files', () => {
    expect(() => servicePackageTables({ ...PKG, files: [] })).toThrow('at least one file');
  });
});
