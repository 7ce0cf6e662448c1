/**
 * Issue 15's security findings, each shown under Wine against the real SCM and registry: code that
 * runs as LocalSystem comes only from protected places, other products' keys stay safe, bad input
 * gets one clear line. Where Wine keeps no ACLs, the calls are observed through its trace channels;
 * on Windows the security they set is read back (security-descriptors.ts).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_FAILED, SERVICE_START_FAILED } from '../../runtime/eventlog/host-messages.ts';
import { compileService } from '../../build/services.ts';
import { serviceSid } from '../../host/layout/service-sid.ts';
import { host, hostExe, net, prefixDir, reg, regValue, sc, scQuery, windowsPath } from './wine.ts';
import { eventsOf, expectRefused, waitForState } from './helpers.ts';
import { expectSecurity, fileSecurity, keySecurity, setFileSecurity } from './security-descriptors.ts';
import { underWine } from '../platform.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');

const SERVICES_DIR = 'C:\\NodeSecure\\services';
const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const EVENTLOG_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application';
/** What /register sets on the services folder and on %ProgramData%\NodeService (installer/register.ts). */
const ADMIN_FOLDER_SDDL = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;AU)';

/** A CommonJS service module: `body` is its svcDoRun. */
function serviceSource(
  className: string,
  body = "await new Promise((resolve) => this.stopSignal.addEventListener('abort', resolve));",
  head = '',
): string {
  return [
    "const { ServiceFramework, logInfoMsg } = require('nodeservice');",
    head,
    `class ${className} extends ServiceFramework {`,
    `  static svcName = '${className}';`,
    `  async svcDoRun() { ${body} }`,
    '}',
    `module.exports = ${className};`,
    '',
  ].join('\n');
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const services = (...parts: string[]) => prefixDir('NodeSecure', 'services', ...parts);

describe('security (issue 15)', () => {
  beforeAll(async () => {
    const registered = await host(['/register', '--services-dir', SERVICES_DIR]);
    expect(registered.code, registered.stderr).toBe(0);
    expect(fs.existsSync(services('.nodeservice-services'))).toBe(true);
    // A package an unprivileged user planted at the drive root, one in NODE_PATH, and a legitimate one.
    write(prefixDir('node_modules', 'planted-dep', 'index.js'), "module.exports = 'PLANTED';\n");
    write(prefixDir('nodepath', 'np-dep', 'index.js'), "module.exports = 'FROM NODE_PATH';\n");
    write(services('node_modules', 'good-dep', 'index.js'), "module.exports = 'good';\n");
    write(
      services('good-service.js'),
      serviceSource('GoodDepTest', undefined, "if (require('good-dep') !== 'good') throw new Error('wrong good-dep');"),
    );
    write(services('app', 'planted-service.js'), serviceSource('PlantedTest', undefined, "require('planted-dep');"));
    write(
      services('app', 'planted-service.mjs'),
      "import { ServiceFramework } from 'nodeservice';\nimport dep from 'planted-dep';\nexport default class PlantedEsm extends ServiceFramework { static svcName = 'PlantedEsm'; async svcDoRun() {} }\n",
    );
    write(services('app', 'nodepath-service.js'), serviceSource('NodePathTest', undefined, "require('np-dep');"));
    write(services('lazy-planted.js'), serviceSource('LazyPlanted', "logInfoMsg(require('planted-dep'));"));
    write(services('c#app', 'hash-service.js'), serviceSource('HashFolderTest'));
    write(prefixDir('NodeSecureOutside', 'outside-service.js'), serviceSource('OutsideTest'));
    write(
      services('secret-service.js'),
      serviceSource(
        'SecretTest',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the service's own source, with its template literal
        "logInfoMsg(`API_KEY length=${process.env.API_KEY?.length}`); await new Promise((resolve) => this.stopSignal.addEventListener('abort', resolve));",
      ),
    );
    await compileService(path.join(fixtures, 'orders-service.ts'), services('orders-service.js'));
    fs.copyFileSync(path.join(fixtures, 'orders.mc'), services('orders.mc'));
  });

  afterAll(async () => {
    for (const name of ['GoodDepTest', 'LazyPlanted', 'HashFolderTest', 'OutsideTest', 'OrdersTest', 'SecretTest'])
      await host(['remove', name]);
    await sc(['delete', 'HungStopTest']);
    await reg(['delete', `${EVENTLOG_KEY}\\ForeignSource`, '/f']);
    expect((await host(['/unregister'])).code).toBe(0);
    expect(fs.existsSync(prefixDir('ProgramData', 'NodeService', 'registered'))).toBe(false);
  });

  describe('1. planted dependencies', () => {
    it('resolves a bare import from node_modules inside the services folder, under the SCM', async () => {
      // No failure actions for GoodDepTest and LazyPlanted: section 1 and 2 make their starts fail on
      // purpose, and install's default (restart after 1 s, non-crash failures included) would have
      // Windows' SCM start them again and again for the rest of the file (Wine runs none).
      const installed = await host(['install', `${SERVICES_DIR}\\good-service.js`, '--failure-actions', 'none']);
      expect(installed.code, installed.stderr).toBe(0);
      const started = await host(['start', 'GoodDepTest']);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toMatch(/^GoodDepTest {2}RUNNING/);
      expect((await host(['stop', 'GoodDepTest'])).code).toBe(0);
    });

    it('refuses a package planted in C:\\node_modules (CommonJS and ESM), and one in NODE_PATH', async () => {
      for (const file of ['planted-service.js', 'planted-service.mjs']) {
        const result = await host(['debug', `${SERVICES_DIR}\\app\\${file}`]);
        expectRefused(
          result,
          1,
          /Cannot find package 'planted-dep': NodeService loads a service's packages only from node_modules folders inside C:\\NodeSecure\\services, and 'planted-dep' resolved to C:\\node_modules\\planted-dep\\index\.js/,
        );
        expect(result.stdout).not.toContain('has started');
      }
      const install = await host(['install', `${SERVICES_DIR}\\app\\planted-service.js`]);
      expectRefused(install, 1, /Cannot find package 'planted-dep'/);
      expect((await sc(['query', 'PlantedTest'])).code).not.toBe(0);
      const nodePath = await host(['debug', `${SERVICES_DIR}\\app\\nodepath-service.js`], { env: { NODE_PATH: 'C:\\nodepath' } });
      expectRefused(nodePath, 1, /Cannot find package 'np-dep'.*resolved to C:\\nodepath\\np-dep\\index\.js/);
    });

    it('refuses it in a running service too: the SCM sees the failure and the log says why', async () => {
      expect((await host(['install', `${SERVICES_DIR}\\lazy-planted.js`, '--failure-actions', 'none'])).code).toBe(0);
      await net(['start', 'LazyPlanted']);
      await waitForState('LazyPlanted', 'STOPPED', { polls: 100 });
      expect(await scQuery('LazyPlanted')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 1 });
      const failure = eventsOf('LazyPlanted').find((event) => event.id === SERVICE_FAILED);
      expect(failure?.strings[1]).toContain("Cannot find package 'planted-dep'");
      expect(eventsOf('LazyPlanted').some((event) => event.strings.includes('PLANTED'))).toBe(false);
    });
  });

  describe('2. the module path is checked at every start', () => {
    it('fails the start with SERVICE_START_FAILED naming a Module moved outside the services folder', async () => {
      const key = `${SERVICES_KEY}\\GoodDepTest\\Parameters`;
      expect((await reg(['add', key, '/v', 'Module', '/d', 'C:\\NodeSecureOutside\\outside-service.js', '/f'])).code).toBe(0);
      await net(['start', 'GoodDepTest']);
      await waitForState('GoodDepTest', 'STOPPED', { polls: 100 });
      expect(await scQuery('GoodDepTest')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 2 });
      const failed = eventsOf('GoodDepTest').find((event) => event.id === SERVICE_START_FAILED);
      expect(failed?.strings[1]).toContain(
        'the module C:\\NodeSecureOutside\\outside-service.js of the GoodDepTest service is outside the services folder C:\\NodeSecure\\services',
      );
      expect(await regValue(key, 'AllowOutside')).toBeUndefined();
    });

    it('honours --allow-outside recorded at install (Parameters\\AllowOutside)', async () => {
      const installed = await host(['install', 'C:\\NodeSecureOutside\\outside-service.js', '--allow-outside']);
      expect(installed.code, installed.stderr).toBe(0);
      expect(await regValue(`${SERVICES_KEY}\\OutsideTest\\Parameters`, 'AllowOutside')).toBe('0x1');
      const started = await host(['start', 'OutsideTest']);
      expect(started.code, started.stderr).toBe(0);
      expect((await host(['stop', 'OutsideTest'])).code).toBe(0);
    });
  });

  describe('10. input', () => {
    it('refuses service names the SCM would refuse, with exit code 2 and one line', async () => {
      const module = `${SERVICES_DIR}\\good-service.js`;
      expectRefused(
        await host(['install', module, '--name', 'x'.repeat(300)]),
        2,
        /--name: a service name has at most 256 characters \(this one has 300\)/,
      );
      expectRefused(
        await host(['install', module, '--name', ' Spacey ']),
        2,
        /--name: ' Spacey ' cannot be a service name: it starts or ends with a space/,
      );
      expectRefused(await host(['install', module, '--name', 'a\\b']), 2, /slash or backslash/);
      expectRefused(await host(['install', module, '--name', '']), 2, /a service name cannot be empty/);
      expect((await sc(['query', ' Spacey '])).code).not.toBe(0);
    });

    it('stop --timeout bounds the ControlService call itself, against a handler that does not answer', async () => {
      // A NodeService service answers every control at once from its main thread (host/scm/supervisor.ts),
      // so the hung handler is a C service's, built with mingw.
      const exe = prefixDir('NodeSecure', 'hung-handler-service.exe');
      const built = spawnSync(
        'x86_64-w64-mingw32-gcc',
        ['-O2', '-s', '-municode', '-o', exe, path.join(fixtures, 'hung-handler-service.c')],
        { encoding: 'utf8' },
      );
      expect(built.status, built.stderr).toBe(0);
      expect((await sc(['create', 'HungStopTest', 'binPath=', 'C:\\NodeSecure\\hung-handler-service.exe'])).code).toBe(0);
      expect((await host(['start', 'HungStopTest'])).code).toBe(0);
      const began = Date.now();
      const result = await host(['stop', 'HungStopTest', '--timeout', '2']);
      const took = Date.now() - began;
      expectRefused(
        result,
        1,
        /ControlService: did not return within 2000 ms: the HungStopTest service's handler is not answering, gave up waiting for it \(1053\)/,
      );
      expect(took).toBeLessThan(6000);
      // The handler returns after its 8 s; the service then stops as asked.
      await waitForState('HungStopTest', 'STOPPED', { polls: 100 });
    });

    it("installs a module whose folder has a '#' in its name", async () => {
      const result = await host(['install', `${SERVICES_DIR}\\c#app\\hash-service.js`]);
      expect(result.code, result.stderr).toBe(0);
      expect(await regValue(`${SERVICES_KEY}\\HashFolderTest\\Parameters`, 'Module')).toBe(`${SERVICES_DIR}\\c#app\\hash-service.js`);
    });
  });

  describe("6. other products' event sources", () => {
    it('refuses to install under the name of an event source NodeService did not create, and leaves it as it was', async () => {
      const key = `${EVENTLOG_KEY}\\ForeignSource`;
      expect((await reg(['add', key, '/v', 'EventMessageFile', '/t', 'REG_EXPAND_SZ', '/d', 'C:\\Foreign\\foreign.dll', '/f'])).code).toBe(
        0,
      );
      const result = await host([
        'install',
        `${SERVICES_DIR}\\good-service.js`,
        '--name',
        'ForeignSource',
        '--display-name',
        'ForeignSource',
      ]);
      expectRefused(
        result,
        1,
        /an event source named 'ForeignSource' already exists in the Application log and NodeService did not create it/,
      );
      expect((await sc(['query', 'ForeignSource'])).code).not.toBe(0);
      expect(await regValue(key, 'EventMessageFile')).toBe('C:\\Foreign\\foreign.dll');
      expect(await regValue(key, 'CreatedBy')).toBeUndefined();
    });

    it('marks the sources it creates', async () => {
      expect(await regValue(`${EVENTLOG_KEY}\\GoodDepTest`, 'CreatedBy')).toBe('NodeService');
      expect(await regValue(`${EVENTLOG_KEY}\\host`, 'CreatedBy')).toBe('NodeService');
    });
  });

  describe('7. message DLLs per service', () => {
    it("names the DLL after the service, keeps one service's when the other is removed, and formats past a missing one", async () => {
      const mc = `${SERVICES_DIR}\\orders.mc`;
      expect((await host(['install', `${SERVICES_DIR}\\orders-service.js`, '--messages', mc])).code).toBe(0);
      const second = await host([
        'install',
        `${SERVICES_DIR}\\orders-service.js`,
        '--messages',
        mc,
        '--name',
        'OrdersTwo',
        '--display-name',
        'OrdersTwo',
      ]);
      expect(second.code, second.stderr).toBe(0);
      expect(await regValue(`${EVENTLOG_KEY}\\OrdersTwo`, 'EventMessageFile')).toBe(
        `${SERVICES_DIR}\\orders-service.OrdersTwo.messages.dll;${windowsPath(hostExe)}`,
      );
      expect((await host(['remove', 'OrdersTwo'])).code).toBe(0);
      expect(fs.existsSync(services('orders-service.OrdersTwo.messages.dll'))).toBe(false);
      expect((await host(['message', 'OrdersTest', '0x40002001', '42', 'Oslo'])).stdout).toBe('Order 42 shipped to Oslo.\n');

      fs.rmSync(services('orders-service.OrdersTest.messages.dll'));
      const fallback = await host(['message', 'OrdersTest', '0x40001002', 'OrdersTest', '']);
      expect(fallback.stderr).toBe('');
      expect(fallback.stdout).toBe('The OrdersTest service has started.\n');
    });
  });

  describe('8. half-made installs', () => {
    it('names a service this host runs without Parameters as half-installed, and remove cleans it', async () => {
      let created = await sc(['create', 'HalfMade', 'binPath=', `"${windowsPath(hostExe)}"`]);
      if (created.stderr.includes('ShellExecuteEx failed'))
        created = await sc(['create', 'HalfMade', 'binPath=', `"${windowsPath(hostExe)}"`]);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      expectRefused(
        await host(['install', `${SERVICES_DIR}\\good-service.js`, '--name', 'HalfMade', '--display-name', 'HalfMade']),
        1,
        /already exists, half-installed by NodeService .*host\.exe remove HalfMade/,
      );
      expectRefused(
        await host(['update', 'HalfMade', '--description', 'x']),
        1,
        /'HalfMade' is half-installed by NodeService .*remove it with "host\.exe remove HalfMade"/,
      );
      const removed = await host(['remove', 'HalfMade']);
      expect(removed.code, removed.stderr).toBe(0);
      expect((await sc(['query', 'HalfMade'])).code).not.toBe(0);
    });

    it("still refuses to remove a service that is not this host's", async () => {
      let created = await sc(['create', 'NotOurs', 'binPath=', 'C:\\windows\\system32\\notepad.exe']);
      if (created.stderr.includes('ShellExecuteEx failed'))
        created = await sc(['create', 'NotOurs', 'binPath=', 'C:\\windows\\system32\\notepad.exe']);
      expect(created.code).toBe(0);
      expectRefused(await host(['remove', 'NotOurs']), 1, /'NotOurs' is not a NodeService service/);
      expect((await sc(['query', 'NotOurs'])).code).toBe(0);
      await sc(['delete', 'NotOurs']);
    });
  });

  describe('5. secrets', () => {
    const key = `${SERVICES_KEY}\\SecretTest\\Parameters`;

    it('seals each secret in Parameters\\Secrets, protected for SYSTEM, Administrators and the service SID before any value is written', async () => {
      const secret = 'sekrit-\u00e9-key';
      const result = await host(['install', `${SERVICES_DIR}\\secret-service.js`, '--secret-env', 'API_KEY'], {
        env: { API_KEY: secret },
        wineDebug: 'trace+advapi,trace+security,trace+reg',
      });
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      const sddl = `D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)(A;OICI;KR;;;${serviceSid('SecretTest')})`;
      if (underWine) {
        expect(result.stderr).toContain(`ConvertStringSecurityDescriptorToSecurityDescriptorW L"${sddl}"`);
        // DACL | PROTECTED_DACL on the registry key (SE_REGISTRY_KEY = 4), before the value is set.
        const protect = result.stderr.indexOf(
          'SetNamedSecurityInfoW L"MACHINE\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\SecretTest\\\\Parameters\\\\Secrets" 4 -2147483644',
        );
        expect(protect).toBeGreaterThan(0);
        // The sealed value (REG_BINARY = 3) is set once, after the key was protected.
        expect(result.stderr.indexOf('NtSetValueKey (')).toBeGreaterThan(0);
        expect(result.stderr.indexOf('L"API_KEY",3,')).toBeGreaterThan(protect);
        expect(result.stderr.lastIndexOf('L"API_KEY",3,')).toBe(result.stderr.indexOf('L"API_KEY",3,'));
      } else {
        // Windows keeps the key's DACL: exactly those three, protected (the order of the calls is Wine's to show).
        expectSecurity(await keySecurity(`${key}\\Secrets`), sddl);
      }
      expect(await regValue(key, 'SecretNames')).toBe('API_KEY');
      expect(await regValue(key, 'ProtectedEnvironment')).toBeUndefined();
      expect(await regValue(`${key}\\Secrets`, 'API_KEY')).toMatch(/^[0-9A-F]{64,}$/);
    });

    it('status shows the names without opening anything; the service gets the value at its start', async () => {
      const status = await host(['status', 'SecretTest', '--json'], { wineDebug: 'trace+crypt' });
      expect(status.code, status.stderr.slice(-2000)).toBe(0);
      expect((JSON.parse(status.stdout) as { nodeService: { secrets: string[] } }).nodeService.secrets).toEqual(['API_KEY']);
      // Seen on Wine's crypt trace only: Windows has no trace to show that nothing was unsealed.
      if (underWine) expect(status.stderr).not.toMatch(/CryptUnprotectData|valid_protect_data/);

      const started = await host(['start', 'SecretTest']);
      expect(started.code, started.stderr).toBe(0);
      await expect.poll(() => eventsOf('SecretTest').flatMap((event) => event.strings)).toContain('API_KEY length=12');
      expect((await host(['stop', 'SecretTest'])).code).toBe(0);
    });
  });

  describe('3. /register', () => {
    it('refuses an existing non-empty folder that is not a services folder, and changes nothing', async () => {
      write(prefixDir('PublicLike', 'someone', 'notes.txt'), 'not a service\n');
      const before = underWine ? '' : await fileSecurity('C:\\PublicLike');
      const result = await host(['/register', '--services-dir', 'C:\\PublicLike'], { wineDebug: 'trace+advapi' });
      expectRefused(
        result,
        1,
        /C:\\PublicLike is not empty and is not a NodeService services folder: \/register would replace the security of it and of the 1 entries in it .* pass --force/,
      );
      if (underWine) expect(result.stderr).not.toContain('SetNamedSecurityInfoW');
      else expect(await fileSecurity('C:\\PublicLike')).toBe(before);
      expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'ServicesDir')).toBe(SERVICES_DIR);
      expect(fs.existsSync(prefixDir('PublicLike', '.nodeservice-services'))).toBe(false);
    });

    it('takes it with --force, saying what it changes; a services folder is taken back without it', async () => {
      const forced = await host(['/register', '--services-dir', 'C:\\PublicLike', '--force'], { wineDebug: 'trace+advapi' });
      expect(forced.code, forced.stderr.slice(-1000)).toBe(0);
      expect(forced.stdout).toContain(
        '--force: replacing the security of C:\\PublicLike and of the 1 entries in it: owner Administrators; full control for SYSTEM and Administrators',
      );
      // OWNER | DACL | PROTECTED_DACL on the folder (SE_FILE_OBJECT = 1).
      if (underWine) expect(forced.stderr).toContain('SetNamedSecurityInfoW L"C:\\\\PublicLike" 1 -2147483643');
      else expectSecurity(await fileSecurity('C:\\PublicLike'), ADMIN_FOLDER_SDDL);
      const back = await host(['/register', '--services-dir', SERVICES_DIR]);
      expect(back.code, back.stderr).toBe(0);
      expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'ServicesDir')).toBe(SERVICES_DIR);
    });

    it('refuses a host whose folder others can write (Wine: a world-writable folder; Windows: Everyone may modify it)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-open-'));
      try {
        // Wine derives a folder's DACL from its Unix mode; on Windows the owner and DACL are set, so
        // that Everyone (S-1-1-0) is the only one not trusted (the runner's own account owns its TEMP).
        if (underWine) fs.chmodSync(dir, 0o777);
        else await setFileSecurity(dir, 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;WD)');
        const copy = path.join(dir, 'host.exe');
        fs.copyFileSync(hostExe, copy);
        const result = await host(['/register', '--services-dir', 'C:\\OpenHost\\services'], { exe: copy, wineDebug: 'trace+advapi' });
        expectRefused(
          result,
          1,
          new RegExp(`${windowsPath(dir).replaceAll('\\', '\\\\')} can be changed by S-1-1-0, not only by SYSTEM and administrators`),
        );
        // Its owner and DACL (OWNER | DACL = 5) were read, as Wine derives them from the Unix mode.
        if (underWine) expect(result.stderr).toContain(`GetNamedSecurityInfoW L"${windowsPath(dir).replaceAll('\\', '\\\\')}" 1 5 `);
        expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'HostPath')).toBe(windowsPath(hostExe));
        expect(fs.existsSync(prefixDir('OpenHost'))).toBe(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('4. the native addon', () => {
    it('/register protects %ProgramData%\\NodeService and writes the machine copy of koffi.node there', async () => {
      const result = await host(['/register', '--services-dir', SERVICES_DIR], { wineDebug: 'trace+advapi' });
      expect(result.code, result.stderr.slice(-1000)).toBe(0);
      if (underWine) expect(result.stderr).toContain('SetNamedSecurityInfoW L"C:\\\\ProgramData\\\\NodeService" 1 -2147483643');
      else expectSecurity(await fileSecurity('C:\\ProgramData\\NodeService'), ADMIN_FOLDER_SDDL);
      expect(fs.existsSync(prefixDir('ProgramData', 'NodeService', 'registered'))).toBe(true);
    });

    it('an administrator (or a service) loads the machine copy, rewritten when damaged, never the per-user cache', async () => {
      const info = async () => JSON.parse((await host(['info', '--json'])).stdout) as { koffiAddon: string };
      const { koffiAddon } = await info();
      expect(koffiAddon).toMatch(/^C:\\ProgramData\\NodeService\\native\\[0-9a-f]{64}\\koffi\.node$/);
      const file = prefixDir(...koffiAddon.slice(3).split('\\'));
      const expected = path.basename(path.dirname(file));
      fs.writeFileSync(file, 'not a DLL');
      expect((await info()).koffiAddon).toBe(koffiAddon);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(expected);
    });
  });
});
