/**
 * `package <module or app folder> [install options] --out app.msi`: a Windows Installer package of
 * one service, written by host.exe itself through msi.dll (installer/write-service-msi.ts). Its
 * files go into <services folder>\<service name>\ and the registered host.exe installs the service
 * with the same options at install time (installer/service-msi.ts says how).
 * The options are checked here with `install`'s own code, so what `install` refuses the package
 * refuses with the same message; what cannot travel in a package (a password, secret variables,
 * paths on this machine) is refused with the reason. The module is loaded, as `install` loads it,
 * to learn the service's name and prove it exports a service class.
 * @module
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { msiVersion } from '../../../build/msi.ts';
import { loadServiceClass, parseModuleSpec } from '../../../runtime/loader/service-module.ts';
import { confinePackages } from '../../../runtime/loader/package-scope.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../../runtime/service/timeouts.ts';
import { checkServiceName } from '../../../installer/service-name.ts';
import { escapeFormatted, PROPERTY, quoteArgument } from '../../../installer/service-msi.ts';
import { writeServiceMsi, type SourceFile } from '../../../installer/write-service-msi.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { installOptions, sharedGroupOption } from './install.ts';
import { moduleTarget } from './module-target.ts';
import { SERVICE_OPTIONS_USAGE, toServiceOptions } from './service-options.ts';
import { UsageError } from '../usage-error.ts';

const packageOnly = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  'product-version': { type: 'string' },
} as const;
const packageOptions = { ...installOptions, ...packageOnly } as const;

/** Options that name something on this machine or a secret: a package cannot carry them. */
const NOT_PACKAGED: Readonly<Record<string, string>> = {
  password: 'a package cannot carry a password (anyone who can read the .msi could read it): package for a built-in or virtual account',
  'secret-env': 'a package cannot carry secret variables: set them on the machine with "host.exe update <name> --secret-env NAME"',
  'allow-outside': "the package puts the service's files in the services folder: --allow-outside has nothing to allow",
  dotenv:
    'names a file on this machine, not in the package: put the variables in --env, or the file in the app folder and read it yourself',
  cwd: 'names a folder on this machine: the service runs in its own folder inside the services folder',
  messages: 'names a file on this machine: install the package, then "host.exe update <name> --messages FILE"',
};

/** Characters a service name may have (installer/service-name.ts) that a folder name may not. */
const NOT_IN_FOLDER_NAMES = /[:*?"<>|]/;

/** The files of an app folder, recursively, with their paths relative to it; `.git` is left out. */
function appFiles(appDir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(full);
      } else if (entry.isFile()) {
        files.push({ source: full, relativePath: path.relative(appDir, full), size: fs.statSync(full).size });
      } else {
        throw new Error(`${full} is not a file or folder (a link?): a package carries files only; copy what it points to`);
      }
    }
  };
  walk(appDir);
  return files;
}

/** The install options as given, minus the package's own, for host.exe's `install` at install time. */
function forwardedOptions(argv: readonly string[]): string[] {
  const { tokens } = parseArgs({ args: [...argv], options: packageOptions, strict: true, allowPositionals: true, tokens: true });
  const forwarded: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name in packageOnly || token.name === 'name') continue;
    forwarded.push(`--${token.name}`);
    if (token.value !== undefined) forwarded.push(token.value);
  }
  return forwarded;
}

/** The ProductVersion: --product-version, else the app's package.json version, else 1.0.0. */
function productVersion(given: string | undefined, appDir: string | undefined): string {
  const candidate =
    given ??
    (appDir && (JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { version?: unknown }).version) ??
    '1.0.0';
  try {
    return msiVersion(String(candidate));
  } catch (error) {
    throw new UsageError(`${given === undefined ? "the app's package.json" : '--product-version'}: ${(error as Error).message}`);
  }
}

export const packageCommand: Command = {
  name: 'package',
  usage: `<module or app folder>[#Export] --out FILE.msi [--force] [--product-version X.Y.Z] [--name N] [--shared | --shared-group G]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary: 'write an MSI that installs this service (its files into the services folder) on machines with the NodeService host',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, packageOptions, { names: ['module or app folder'] });
    // install's checks first, with install's messages.
    const options = { ...toServiceOptions(values), sharedGroup: sharedGroupOption(values) };
    for (const [option, reason] of Object.entries(NOT_PACKAGED)) {
      if ((values as Record<string, unknown>)[option] !== undefined) throw new UsageError(`--${option}: ${reason}`);
    }
    if (options.account?.kind === 'user')
      throw new UsageError(`--username ${options.account.name}: ${NOT_PACKAGED.password} (a user account needs one)`);
    if (values.out === undefined || values.out === '') throw new UsageError('--out FILE.msi is required: where to write the package');
    const out = path.resolve(values.out);
    if (fs.existsSync(out) && !values.force) throw new UsageError(`${out} already exists: pass --force to replace it`);
    if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`${out} is a folder: name the .msi file to write`);
    const spec = moduleTarget(positionals[0]!);
    const version = productVersion(values['product-version'], spec.appDir);

    confinePackages(spec.appDir ?? path.dirname(spec.modulePath));
    const { serviceClass } = await loadServiceClass(spec, { timeoutMs: options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS });
    const name = options.name ?? serviceClass.svcName;
    if (typeof name !== 'string' || name.trim() === '')
      throw new Error(`${serviceClass.name} in ${spec.modulePath} has no svcName: add "static svcName = 'MyService';" or pass --name`);
    checkServiceName(name);
    if (NOT_IN_FOLDER_NAMES.test(name))
      throw new UsageError(
        `the service name '${name}' is also its folder's name in the package, and a folder name cannot hold : * ? " < > |`,
      );

    const files = spec.appDir
      ? appFiles(spec.appDir)
      : [{ source: spec.modulePath, relativePath: path.basename(spec.modulePath), size: fs.statSync(spec.modulePath).size }];
    const exportSuffix = parseModuleSpec(positionals[0]!).exportName;
    const inFolder = spec.appDir ? '.' : path.basename(spec.modulePath);
    const moduleArgument = `"[${PROPERTY.serviceDir}]${escapeFormatted(`${inFolder}${exportSuffix ? `#${exportSuffix}` : ''}`)}"`;
    const installArguments = [
      moduleArgument,
      ...['--name', name, ...forwardedOptions(argv)].map((arg) => escapeFormatted(quoteArgument(arg))),
    ].join(' ');

    writeServiceMsi(
      {
        serviceName: name,
        productName: options.displayName ?? serviceClass.svcDisplayName ?? name,
        version: version,
        manufacturer: 'NodeService package',
        installArguments,
        productCode: randomUUID().toUpperCase(),
        packageCode: randomUUID().toUpperCase(),
      },
      files,
      out,
    );
    console.log(
      `Packaged ${name} ${version} (${files.length} file(s)) into ${out}. Install it with "msiexec /i ${quoteArgument(out)} /qn".`,
    );
  },
};
