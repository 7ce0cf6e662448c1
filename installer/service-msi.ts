/**
 * The Windows Installer database of one service's package (`host.exe package`), as plain tables:
 * pure functions, unit-tested, which installer/write-service-msi.ts turns into SQL through msi.dll.
 *
 * Why it is shaped so:
 * - The registered host is found by AppSearch in HKLM\SOFTWARE\NodeService (HostPath, ServicesDir,
 *   written by `/register`); a launch condition refuses the package, with a sentence saying what
 *   to do, where they are missing. The services folder is the directory SERVICESDIR (a property of
 *   a directory's name sets where it is), so the files go to <services folder>\<service name>\,
 *   inside the folder `install` wants modules in.
 * - The service is installed and removed by the registered host.exe itself, as deferred,
 *   no-impersonate custom actions of type 50 (an exe named by a property, here the AppSearch
 *   result): `install` after InstallFiles, `remove --missing-ok` before RemoveFiles (it stops the
 *   service first, so its files are free to go). Each has a rollback action scheduled right after
 *   it, so it undoes the step only when the step succeeded and a later one failed: `install` that
 *   fails leaves nothing itself, and a rollback `remove` before it would delete a service of the
 *   same name that was there before (what Wine showed). NodeService's own checks run once, where
 *   they are (the `install` command).
 * - FindRelatedProducts runs first (25, as WiX puts it), so the launch condition on a newer
 *   build already installed sees its result.
 * - UpgradeCode: a name-based UUID of the service's name, the same for every build; ProductCode
 *   and PackageCode: new for every build. The Upgrade table finds every installed build of the
 *   same service up to this version (inclusive: rebuilding one version replaces it) and
 *   RemoveExistingProducts removes it right after InstallInitialize, inside this transaction:
 *   the old service is removed with its files, the new one installed with the new options, and a
 *   failure rolls back to the old one. A newer build already installed refuses the older one.
 * - One component per file (its GUID from the UpgradeCode and the file's relative path), and a
 *   RemoveFile row per folder so uninstalling deletes the folders the package made.
 * - Short names (8.3) are made up from the row's index: the long name is what Windows uses, and
 *   a made-up short name stays valid for any long name (unicode, dots, spaces).
 * @module
 */
import { uuidV5 } from '../build/msi.ts';

/** A row's value: string, integer, or NULL. */
export type MsiField = string | number | null;

/** One table: its CREATE TABLE column list and its rows. */
export interface MsiTable {
  name: string;
  /** Column definitions in MSI SQL, e.g. "`Property` CHAR(72) NOT NULL". */
  columns: readonly string[];
  primaryKeys: readonly string[];
  rows: readonly MsiField[][];
}

/** A file the package carries, by its path relative to the service's folder (Windows separators). */
export interface PackagedFile {
  relativePath: string;
  size: number;
}

/** What a service package holds. */
export interface ServicePackage {
  /** The service's name (`--name` or the class's svcName). */
  serviceName: string;
  /** The product name shown in Programs and Features. */
  productName: string;
  /** ProductVersion, major.minor.build. */
  version: string;
  manufacturer: string;
  files: readonly PackagedFile[];
  /** What follows `install` on host.exe's command line, `[SERVICEDIR]` standing for the service's folder (a formatted string). */
  installArguments: string;
  /** A new GUID per build (ProductCode). */
  productCode: string;
  /** A new GUID per build (the summary information's PackageCode). */
  packageCode: string;
}

/** The namespace of service packages' UpgradeCodes (a UUID v5 of the lower-cased service name in it). */
export const SERVICE_UPGRADE_NAMESPACE = '7C0E39F1-5A52-4D7B-9D5B-3F2C9E6D1A40';

/** The name of the cabinet stream the Media table points at. */
export const CABINET_STREAM = 'service.cab';

/** The stable UpgradeCode of a service's packages: service names are case-insensitive, so is this. */
export function serviceUpgradeCode(serviceName: string): string {
  return uuidV5(SERVICE_UPGRADE_NAMESPACE, serviceName.toLowerCase());
}

/** The File table key of the file at `index` (also its name in the cabinet). */
export function fileKey(index: number): string {
  return `F${index + 1}`;
}

/**
 * Escapes text for a formatted string (the custom action's Target): `[` and `]`, `{` and `}`
 * would otherwise be read as property references. https://learn.microsoft.com/windows/win32/msi/formatted
 */
export function escapeFormatted(text: string): string {
  return text.replace(/[[\]{}]/g, (char) => `[\\${char}]`);
}

/**
 * One argument quoted for a Windows command line so CommandLineToArgvW (and Node) read it back
 * unchanged: quotes around it when it is empty or holds a space, tab or quote; backslashes doubled
 * only before a quote. https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments
 */
export function quoteArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let quoted = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    quoted += '\\'.repeat(char === '"' ? backslashes * 2 + 1 : backslashes) + char;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

/** Custom action types (msdn: Custom Action Types, Custom Action In-Script Execution Options). */
const CA_EXE_IN_PROPERTY = 50;
const CA_IN_SCRIPT = 0x400;
const CA_ROLLBACK = 0x100;
const CA_NO_IMPERSONATE = 0x800;
const DEFERRED = CA_EXE_IN_PROPERTY | CA_IN_SCRIPT | CA_NO_IMPERSONATE;
const ROLLBACK = DEFERRED | CA_ROLLBACK;

/** msidbComponentAttributes64bit. */
const COMPONENT_64BIT = 256;
/** msidbUpgradeAttributes*. */
const UPGRADE_ONLY_DETECT = 0x2;
const UPGRADE_VERSION_MAX_INCLUSIVE = 0x200;
/** RegLocator: a raw value from the 64-bit registry view, HKLM. */
const LOCATOR_RAW_64 = 0x2 | 0x10;
const HKLM = 2;
/** RemoveFile.InstallMode: on uninstall. */
const REMOVE_ON_UNINSTALL = 2;

/** The registry key and values `/register` writes (installer/layout.ts). */
export const REGISTRATION_KEY = 'SOFTWARE\\NodeService';

/** Properties the package's conditions and custom actions use. */
export const PROPERTY = {
  hostExe: 'NODESERVICEHOST',
  servicesDir: 'SERVICESDIR',
  serviceDir: 'SERVICEDIR',
  olderFound: 'OLDERSERVICEFOUND',
  newerFound: 'NEWERSERVICEFOUND',
} as const;

/** The launch conditions' texts, also what the tests look for in msiexec's log. */
export const LAUNCH_MESSAGES = {
  unregistered:
    'NodeService is not registered on this machine: install the NodeService MSI (or run "host.exe /register" as administrator), then this package.',
  newer: (name: string) => `A newer package of the ${name} service is already installed.`,
  admin: (name: string) => `The ${name} service package must be installed by an administrator.`,
} as const;

/** An 8.3 name made from a counter: `prefix` + digits, with the long name's extension when it is 1–3 plain characters. */
function shortName(prefix: string, index: number, longName: string): string {
  const extension = /\.([A-Za-z0-9]{1,3})$/.exec(longName)?.[1];
  const base = `${prefix}${index.toString(36).toUpperCase().padStart(7, '0')}`.slice(0, 8);
  return extension ? `${base}.${extension.toUpperCase()}` : base;
}

/** A Directory/File name column: `short|long`. */
function nameColumn(short: string, long: string): string {
  return short === long ? long : `${short}|${long}`;
}

const SEQUENCE_COLUMNS = ['`Action` CHAR(72) NOT NULL', '`Condition` CHAR(255)', '`Sequence` SHORT'];

/**
 * The first actions of both sequences, in order: find a related (older or newer) product before the
 * launch conditions look at it (FindRelatedProducts before LaunchConditions, as WiX orders them), then cost.
 */
const SEARCH_AND_COSTING: MsiField[][] = [
  ['FindRelatedProducts', null, 25],
  ['AppSearch', null, 50],
  ['LaunchConditions', null, 100],
  ['CostInitialize', null, 800],
  ['FileCost', null, 900],
  ['CostFinalize', null, 1000],
];

/** The tables of a service package, in the order they are created. */
export function servicePackageTables(pkg: ServicePackage): MsiTable[] {
  if (pkg.files.length === 0) throw new Error('a service package needs at least one file');
  const upgradeCode = serviceUpgradeCode(pkg.serviceName);
  const { hostExe, servicesDir, serviceDir, olderFound, newerFound } = PROPERTY;

  // Folders: the service's own, then each subfolder a file is in.
  const folderIds = new Map<string, string>([['', serviceDir]]);
  const directories: MsiField[][] = [
    ['TARGETDIR', null, 'SourceDir'],
    [servicesDir, 'TARGETDIR', '.'],
    [serviceDir, servicesDir, nameColumn(shortName('S', 0, pkg.serviceName), pkg.serviceName)],
  ];
  const folderOf = (relative: string): string => {
    const known = folderIds.get(relative.toLowerCase());
    if (known) return known;
    const parent = folderOf(relative.includes('\\') ? relative.slice(0, relative.lastIndexOf('\\')) : '');
    const long = relative.slice(relative.lastIndexOf('\\') + 1);
    const id = `D${folderIds.size}`;
    folderIds.set(relative.toLowerCase(), id);
    directories.push([id, parent, nameColumn(shortName('D', folderIds.size, long), long)]);
    return id;
  };

  const components: MsiField[][] = [];
  const files: MsiField[][] = [];
  const featureComponents: MsiField[][] = [];
  pkg.files.forEach((file, index) => {
    const slash = file.relativePath.lastIndexOf('\\');
    const folder = folderOf(slash === -1 ? '' : file.relativePath.slice(0, slash));
    const long = file.relativePath.slice(slash + 1);
    const key = fileKey(index);
    const component = `C${index + 1}`;
    const guid = `{${uuidV5(upgradeCode, file.relativePath.toLowerCase())}}`;
    components.push([component, guid, folder, COMPONENT_64BIT, null, key]);
    files.push([key, component, nameColumn(shortName('F', index, long), long), file.size, null, null, 0, index + 1]);
    featureComponents.push(['Service', component]);
  });
  // Every folder the package made goes at uninstall, once empty (its files went by RemoveFiles).
  const removeFolders: MsiField[][] = [...new Set(directories.slice(2).map((row) => row[0] as string))].map((id, index) => [
    `RemoveFolder${index + 1}`,
    'C1',
    null,
    id,
    REMOVE_ON_UNINSTALL,
  ]);

  const removeArguments = `remove ${quoteArgument(pkg.serviceName)} --missing-ok`;
  const uninstalling = 'REMOVE~="ALL"';
  const installing = 'NOT Installed AND NOT (REMOVE~="ALL")';

  return [
    {
      name: 'Property',
      columns: ['`Property` CHAR(72) NOT NULL', '`Value` LONGCHAR NOT NULL LOCALIZABLE'],
      primaryKeys: ['Property'],
      rows: [
        ['ProductCode', `{${pkg.productCode}}`],
        ['ProductName', pkg.productName],
        ['ProductVersion', pkg.version],
        ['ProductLanguage', '1033'],
        ['Manufacturer', pkg.manufacturer],
        ['UpgradeCode', `{${upgradeCode}}`],
        ['ALLUSERS', '1'],
        ['ARPNOMODIFY', '1'],
        ['ARPNOREPAIR', '1'],
        ['SecureCustomProperties', `${olderFound};${newerFound}`],
      ],
    },
    {
      name: 'Directory',
      columns: ['`Directory` CHAR(72) NOT NULL', '`Directory_Parent` CHAR(72)', '`DefaultDir` CHAR(255) NOT NULL LOCALIZABLE'],
      primaryKeys: ['Directory'],
      rows: directories,
    },
    {
      name: 'Component',
      columns: [
        '`Component` CHAR(72) NOT NULL',
        '`ComponentId` CHAR(38)',
        '`Directory_` CHAR(72) NOT NULL',
        '`Attributes` SHORT NOT NULL',
        '`Condition` CHAR(255)',
        '`KeyPath` CHAR(72)',
      ],
      primaryKeys: ['Component'],
      rows: components,
    },
    {
      name: 'File',
      columns: [
        '`File` CHAR(72) NOT NULL',
        '`Component_` CHAR(72) NOT NULL',
        '`FileName` CHAR(255) NOT NULL LOCALIZABLE',
        '`FileSize` LONG NOT NULL',
        '`Version` CHAR(72)',
        '`Language` CHAR(20)',
        '`Attributes` SHORT',
        '`Sequence` LONG NOT NULL',
      ],
      primaryKeys: ['File'],
      rows: files,
    },
    {
      name: 'RemoveFile',
      columns: [
        '`FileKey` CHAR(72) NOT NULL',
        '`Component_` CHAR(72) NOT NULL',
        '`FileName` CHAR(255) LOCALIZABLE',
        '`DirProperty` CHAR(72) NOT NULL',
        '`InstallMode` SHORT NOT NULL',
      ],
      primaryKeys: ['FileKey'],
      rows: removeFolders,
    },
    {
      name: 'Feature',
      columns: [
        '`Feature` CHAR(38) NOT NULL',
        '`Feature_Parent` CHAR(38)',
        '`Title` CHAR(64) LOCALIZABLE',
        '`Description` CHAR(255) LOCALIZABLE',
        '`Display` SHORT',
        '`Level` SHORT NOT NULL',
        '`Directory_` CHAR(72)',
        '`Attributes` SHORT NOT NULL',
      ],
      primaryKeys: ['Feature'],
      rows: [['Service', null, pkg.productName, `The ${pkg.serviceName} service`, 0, 1, serviceDir, 0]],
    },
    {
      name: 'FeatureComponents',
      columns: ['`Feature_` CHAR(38) NOT NULL', '`Component_` CHAR(72) NOT NULL'],
      primaryKeys: ['Feature_', 'Component_'],
      rows: featureComponents,
    },
    {
      name: 'Media',
      columns: [
        '`DiskId` SHORT NOT NULL',
        '`LastSequence` LONG NOT NULL',
        '`DiskPrompt` CHAR(64) LOCALIZABLE',
        '`Cabinet` CHAR(255)',
        '`VolumeLabel` CHAR(32)',
        '`Source` CHAR(72)',
      ],
      primaryKeys: ['DiskId'],
      rows: [[1, pkg.files.length, null, `#${CABINET_STREAM}`, null, null]],
    },
    {
      name: 'RegLocator',
      columns: ['`Signature_` CHAR(72) NOT NULL', '`Root` SHORT NOT NULL', '`Key` CHAR(255) NOT NULL', '`Name` CHAR(255)', '`Type` SHORT'],
      primaryKeys: ['Signature_'],
      rows: [
        ['HostPathValue', HKLM, REGISTRATION_KEY, 'HostPath', LOCATOR_RAW_64],
        ['ServicesDirValue', HKLM, REGISTRATION_KEY, 'ServicesDir', LOCATOR_RAW_64],
      ],
    },
    {
      name: 'AppSearch',
      columns: ['`Property` CHAR(72) NOT NULL', '`Signature_` CHAR(72) NOT NULL'],
      primaryKeys: ['Property', 'Signature_'],
      rows: [
        [hostExe, 'HostPathValue'],
        [servicesDir, 'ServicesDirValue'],
      ],
    },
    {
      name: 'LaunchCondition',
      columns: ['`Condition` CHAR(255) NOT NULL', '`Description` CHAR(255) NOT NULL LOCALIZABLE'],
      primaryKeys: ['Condition'],
      rows: [
        ['Privileged', LAUNCH_MESSAGES.admin(pkg.serviceName)],
        [`${hostExe} AND ${servicesDir}`, LAUNCH_MESSAGES.unregistered],
        [`NOT ${newerFound}`, LAUNCH_MESSAGES.newer(pkg.serviceName)],
      ],
    },
    {
      name: 'Upgrade',
      columns: [
        '`UpgradeCode` CHAR(38) NOT NULL',
        '`VersionMin` CHAR(20)',
        '`VersionMax` CHAR(20)',
        '`Language` CHAR(255)',
        '`Attributes` LONG NOT NULL',
        '`Remove` CHAR(255)',
        '`ActionProperty` CHAR(72) NOT NULL',
      ],
      primaryKeys: ['UpgradeCode', 'VersionMin', 'VersionMax', 'Language', 'Attributes'],
      rows: [
        [`{${upgradeCode}}`, null, pkg.version, null, UPGRADE_VERSION_MAX_INCLUSIVE, null, olderFound],
        [`{${upgradeCode}}`, pkg.version, null, null, UPGRADE_ONLY_DETECT, null, newerFound],
      ],
    },
    {
      name: 'CustomAction',
      columns: ['`Action` CHAR(72) NOT NULL', '`Type` SHORT NOT NULL', '`Source` CHAR(72)', '`Target` LONGCHAR'],
      primaryKeys: ['Action'],
      rows: [
        ['RemoveServiceRollback', ROLLBACK, hostExe, `install ${pkg.installArguments}`],
        ['RemoveService', DEFERRED, hostExe, removeArguments],
        ['InstallServiceRollback', ROLLBACK, hostExe, removeArguments],
        ['InstallService', DEFERRED, hostExe, `install ${pkg.installArguments}`],
      ],
    },
    {
      name: 'InstallExecuteSequence',
      columns: SEQUENCE_COLUMNS,
      primaryKeys: ['Action'],
      rows: [
        ...SEARCH_AND_COSTING,
        ['InstallValidate', null, 1400],
        ['InstallInitialize', null, 1500],
        ['RemoveExistingProducts', null, 1501],
        ['ProcessComponents', null, 1600],
        ['UnpublishFeatures', null, 1800],
        ['RemoveService', uninstalling, 3398],
        ['RemoveServiceRollback', uninstalling, 3399],
        ['RemoveFiles', null, 3500],
        ['InstallFiles', null, 4000],
        ['InstallService', installing, 4010],
        ['InstallServiceRollback', installing, 4011],
        ['RegisterUser', null, 6000],
        ['RegisterProduct', null, 6100],
        ['PublishFeatures', null, 6300],
        ['PublishProduct', null, 6400],
        ['InstallFinalize', null, 6600],
      ],
    },
    {
      name: 'InstallUISequence',
      columns: SEQUENCE_COLUMNS,
      primaryKeys: ['Action'],
      rows: [...SEARCH_AND_COSTING, ['ExecuteAction', null, 1300]],
    },
  ];
}

/** Summary information property ids (msdn: Summary Information Stream Property Set). */
export const SUMMARY = {
  title: 2,
  subject: 3,
  author: 4,
  keywords: 5,
  comments: 6,
  template: 7,
  revisionNumber: 9,
  pageCount: 14,
  wordCount: 15,
  appName: 18,
  security: 19,
} as const;

/** The summary information of a service package: x64, English, compressed files with long names, schema 500. */
export function servicePackageSummary(pkg: ServicePackage): Map<number, string | number> {
  return new Map<number, string | number>([
    [SUMMARY.title, 'Installation Database'],
    [SUMMARY.subject, pkg.productName],
    [SUMMARY.author, pkg.manufacturer],
    [SUMMARY.keywords, 'Installer, NodeService, service'],
    [SUMMARY.comments, `The ${pkg.serviceName} service ${pkg.version}, installed with the registered NodeService host`],
    [SUMMARY.template, 'x64;1033'],
    [SUMMARY.revisionNumber, `{${pkg.packageCode}}`],
    [SUMMARY.pageCount, 500],
    [SUMMARY.wordCount, 2],
    [SUMMARY.appName, 'NodeService host.exe package'],
    [SUMMARY.security, 2],
  ]);
}

/** `CREATE TABLE` for a table. https://learn.microsoft.com/windows/win32/msi/sql-syntax */
export function createTableSql(table: MsiTable): string {
  return `CREATE TABLE \`${table.name}\` (${table.columns.join(', ')} PRIMARY KEY ${table.primaryKeys.map((key) => `\`${key}\``).join(', ')})`;
}

/** `INSERT` of one row with `?` markers for its values (bound from a record). */
export function insertSql(table: MsiTable): string {
  const names = table.columns.map((column) => /^`([^`]+)`/.exec(column)![1]!);
  return `INSERT INTO \`${table.name}\` (${names.map((name) => `\`${name}\``).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
}
