/**
 * Writes a service package (installer/service-msi.ts says what is in it) through msi.dll, on the
 * machine host.exe runs on: the files into an uncompressed cabinet (installer/cabinet.ts), the
 * tables by SQL, the cabinet as a `_Streams` row, the summary information, then a commit.
 * The database is written under a temporary name beside the output and renamed when complete, so
 * a failure or a crash halfway leaves no half package under the name asked for.
 * The database's code page is UTF-8 (65001, set by importing `_ForceCodepage`): file and folder
 * names and texts may be any Unicode, which a single-byte code page would turn into '?'.
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MsiDatabase } from '../runtime/win32/msi.ts';
import { writeCabinet } from './cabinet.ts';
import {
  CABINET_STREAM,
  createTableSql,
  fileKey,
  insertSql,
  servicePackageSummary,
  servicePackageTables,
  type PackagedFile,
  type ServicePackage,
} from './service-msi.ts';

/** A file to package: where it is read from, and its path in the service's folder. */
export interface SourceFile extends PackagedFile {
  source: string;
}

/** The idt file that sets a database's code page (msdn: _ForceCodepage table). */
const UTF8_CODEPAGE_IDT = '\r\n\r\n65001\t_ForceCodepage\r\n';

/** Writes the package to `out` (replacing a file there); nothing is left under `out` on failure. */
export function writeServiceMsi(pkg: Omit<ServicePackage, 'files'>, files: readonly SourceFile[], out: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-package-'));
  const partial = `${out}.${process.pid}.partial`;
  try {
    const cabinet = path.join(work, CABINET_STREAM);
    fs.writeFileSync(cabinet, writeCabinet(files.map((file, index) => ({ name: fileKey(index), data: fs.readFileSync(file.source) }))));
    fs.writeFileSync(path.join(work, 'codepage.idt'), UTF8_CODEPAGE_IDT);
    const whole: ServicePackage = { ...pkg, files: files.map(({ relativePath, size }) => ({ relativePath, size })) };
    fs.rmSync(partial, { force: true });
    {
      using database = MsiDatabase.create(partial);
      database.importTable(work, 'codepage.idt');
      for (const table of servicePackageTables(whole)) {
        database.execute(createTableSql(table));
        const insert = insertSql(table);
        for (const row of table.rows) database.execute(insert, row);
      }
      database.execute('INSERT INTO `_Streams` (`Name`, `Data`) VALUES (?, ?)', [CABINET_STREAM, { streamFrom: cabinet }]);
      database.setSummary(servicePackageSummary(whole));
      database.commit();
    }
    fs.renameSync(partial, out);
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
