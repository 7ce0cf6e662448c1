import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLocation, checkServiceModule, isInServicesFolder, packageRootOf } from '../../../../host/layout/location.ts';
import type { ServiceParameters } from '../../../../host/layout/registry-layout.ts';
import { checkPackageLocation, isBareSpecifier, isInsideFolder, packageRoot } from '../../../../runtime/loader/package-scope.ts';

const registration = { hostPath: 'C:\\NodeService\\host.exe', servicesDir: 'C:\\NodeService\\services' };

function parameters(module: string, allowOutside = false): ServiceParameters {
  return { module, exportName: 'default', environment: {}, secretNames: [], arguments: [], allowOutside };
}

describe('the services folder (issue 15, item 2)', () => {
  it('is inside only below it, case-insensitively, after resolving ..', () => {
    expect(isInServicesFolder('C:\\NodeService\\services\\a.js', registration.servicesDir)).toBe(true);
    expect(isInServicesFolder('c:\\nodeservice\\SERVICES\\app\\a.js', registration.servicesDir)).toBe(true);
    expect(isInServicesFolder('C:\\NodeService\\services\\..\\evil\\a.js', registration.servicesDir)).toBe(false);
    expect(isInServicesFolder('C:\\NodeService\\services-evil\\a.js', registration.servicesDir)).toBe(false);
    expect(isInServicesFolder('C:\\NodeService\\services', registration.servicesDir)).toBe(false);
    expect(() => checkLocation('C:\\elsewhere\\a.js', registration, false)).toThrow(
      /outside the services folder C:\\NodeService\\services/,
    );
    expect(() => checkLocation('C:\\elsewhere\\a.js', registration, true)).not.toThrow();
  });

  it('is checked at every start: a module moved outside fails, naming the path, unless --allow-outside was recorded', () => {
    expect(() => checkServiceModule('Svc', parameters('C:\\Users\\Public\\evil.js'), registration)).toThrow(
      'the module C:\\Users\\Public\\evil.js of the Svc service is outside the services folder C:\\NodeService\\services, and it was not installed with --allow-outside',
    );
    expect(() => checkServiceModule('Svc', parameters('C:\\Users\\Public\\evil.js', true), registration)).not.toThrow();
    expect(() => checkServiceModule('Svc', parameters('C:\\NodeService\\services\\app\\svc.js'), registration)).not.toThrow();
    expect(packageRoot()).toMatch(/services$/);
  });

  it('confines packages to the services folder for a module in it, else to the module folder', () => {
    expect(packageRootOf('C:\\NodeService\\services\\app\\svc.js', registration)).toBe('C:\\NodeService\\services');
    expect(packageRootOf('/opt/apps/svc.js', registration)).toBe('/opt/apps');
  });
});

describe('package scope (issue 15, item 1)', () => {
  it('tells bare specifiers from paths, URLs and builtins', () => {
    for (const bare of ['planted', '@scope/pkg', 'pkg/sub.js', 'fs']) expect(isBareSpecifier(bare), bare).toBe(true);
    for (const other of [
      './a',
      '../a',
      '.',
      '..',
      '/abs',
      'C:\\x.js',
      'c:/x.js',
      'file:///C:/x.js',
      'node:fs',
      '\\\\server\\share\\x.js',
    ]) {
      expect(isBareSpecifier(other), other).toBe(false);
    }
  });

  it('refuses a bare import that resolved above the package root, and lets one inside through', () => {
    // This platform's absolute paths (C:\srv\services on Windows), as the runtime hook gets them.
    const drive = path.resolve('/');
    const root = path.join(drive, 'srv', 'services');
    const planted = path.join(drive, 'node_modules', 'planted', 'index.js');
    expect(() => checkPackageLocation('planted', pathToFileURL(planted).href, root)).toThrow(
      `Cannot find package 'planted': NodeService loads a service's packages only from node_modules folders inside ${root}, and 'planted' resolved to ${planted}`,
    );
    expect(() => checkPackageLocation('good', pathToFileURL(path.join(root, 'node_modules', 'good', 'index.js')).href, root)).not.toThrow();
    expect(() => checkPackageLocation('fs', 'node:fs', root)).not.toThrow();
    expect(() => checkPackageLocation('./local.js', pathToFileURL(path.join(drive, 'elsewhere', 'local.js')).href, root)).not.toThrow();
    const evil = path.join(drive, 'srv', 'services-evil', 'node_modules', 'planted', 'index.js');
    expect(() => checkPackageLocation('planted', pathToFileURL(evil).href, root)).toThrow(/Cannot find package/);
    expect(isInsideFolder('/srv/services/x', '/srv/services', path.posix)).toBe(true);
  });
});
