/**
 * msi.dll's database API: what `host.exe package` needs to write a Windows Installer package on
 * Windows, where there is no wixl. A package is a database made with MSIDBOPEN_CREATE, filled by
 * SQL (CREATE TABLE, INSERT with `?` markers bound from a record), its cabinet a `_Streams` row
 * whose data is read from a file (MsiRecordSetStreamW), its summary information set, then committed.
 * MSI functions return their Win32 code rather than setting the last error; the installer's own
 * explanation of a failed query (MsiGetLastErrorRecord) goes into the error's text.
 * Handles (MSIHANDLE, a 32-bit number) are owned by small classes with `[Symbol.dispose]`.
 * https://learn.microsoft.com/windows/win32/msi/database-functions
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { systemMessage } from './kernel32/last-error.ts';
import { WindowsError } from './windows-error.ts';
import { OwnedHandle } from './owned-handle.ts';

/** An MSIHANDLE. */
type MsiHandle = number;

/** MsiOpenDatabaseW's szPersist: a predefined constant passed where a string pointer goes. */
const MSIDBOPEN_CREATE = 3;
/** The summary information's VT_ types (MsiSummaryInfoSetPropertyW's uiDataType). */
const VT_I4 = 3;
const VT_LPSTR = 30;
/** The summary information properties a package sets before it is committed. */
const SUMMARY_UPDATE_COUNT = 20;

const api = bindLibrary('msi.dll', (dll) => ({
  MsiOpenDatabaseW: dll.func('uint32 __stdcall MsiOpenDatabaseW(const char16_t *path, uintptr_t persist, _Out_ uint32 *database)'),
  MsiDatabaseOpenViewW: dll.func('uint32 __stdcall MsiDatabaseOpenViewW(uint32 database, const char16_t *query, _Out_ uint32 *view)'),
  MsiViewExecute: dll.func('uint32 __stdcall MsiViewExecute(uint32 view, uint32 record)'),
  MsiViewClose: dll.func('uint32 __stdcall MsiViewClose(uint32 view)'),
  MsiCloseHandle: dll.func('uint32 __stdcall MsiCloseHandle(uint32 handle)'),
  MsiCreateRecord: dll.func('uint32 __stdcall MsiCreateRecord(uint32 fields)'),
  MsiRecordSetStringW: dll.func('uint32 __stdcall MsiRecordSetStringW(uint32 record, uint32 field, const char16_t *value)'),
  MsiRecordSetInteger: dll.func('uint32 __stdcall MsiRecordSetInteger(uint32 record, uint32 field, int32 value)'),
  MsiRecordSetStreamW: dll.func('uint32 __stdcall MsiRecordSetStreamW(uint32 record, uint32 field, const char16_t *file)'),
  MsiGetSummaryInformationW: dll.func(
    'uint32 __stdcall MsiGetSummaryInformationW(uint32 database, const char16_t *path, uint32 updateCount, _Out_ uint32 *summary)',
  ),
  MsiSummaryInfoSetPropertyW: dll.func(
    'uint32 __stdcall MsiSummaryInfoSetPropertyW(uint32 summary, uint32 property, uint32 type, int32 value, void *time, const char16_t *text)',
  ),
  MsiSummaryInfoPersist: dll.func('uint32 __stdcall MsiSummaryInfoPersist(uint32 summary)'),
  MsiDatabaseImportW: dll.func('uint32 __stdcall MsiDatabaseImportW(uint32 database, const char16_t *folder, const char16_t *file)'),
  MsiDatabaseCommit: dll.func('uint32 __stdcall MsiDatabaseCommit(uint32 database)'),
  MsiGetLastErrorRecord: dll.func('uint32 __stdcall MsiGetLastErrorRecord()'),
  MsiFormatRecordW: dll.func(
    'uint32 __stdcall MsiFormatRecordW(uint32 install, uint32 record, _Out_ uint16_t *text, _Inout_ uint32 *length)',
  ),
}));

/** The installer's own record of the last failure on this thread, formatted ('' when it has none). */
function lastErrorRecordText(): string {
  const handle = api().MsiGetLastErrorRecord() as number;
  if (!handle) return '';
  // Its close is not checked: check() would read the error record this is reading.
  using record = new OwnedHandle(handle, (owned) => api().MsiCloseHandle(owned), 'MSI error record');
  const buffer = Buffer.alloc(2048);
  const length = [buffer.length / 2];
  if ((api().MsiFormatRecordW(0, record.handle, buffer, length) as number) !== 0) return '';
  return buffer.toString('utf16le', 0, Math.min(length[0]!, buffer.length / 2) * 2).trim();
}

/** Throws a WindowsError when an MSI function returned a code other than ERROR_SUCCESS. */
function check(functionName: string, code: number, what?: string): void {
  if (code === 0) return;
  const detail = lastErrorRecordText();
  const text = [systemMessage(code), detail && `installer record: ${detail}`, what].filter(Boolean).join('; ');
  throw new WindowsError(functionName, code, text);
}

/** A field value: a string, an integer, null (the column's NULL), or a file whose bytes go into a stream column. */
export type MsiValue = string | number | null | { streamFrom: string };

/** An MSIHANDLE the caller owns; MsiCloseHandle's own code is thrown by close() (and a warning from dispose). */
class Owned extends OwnedHandle<MsiHandle> {
  constructor(handle: MsiHandle) {
    super(handle, (owned) => check('MsiCloseHandle', api().MsiCloseHandle(owned) as number), 'MSI handle');
  }
}

/** A record of field values (1-based), for `?` markers in a query. https://learn.microsoft.com/windows/win32/api/msiquery/nf-msiquery-msicreaterecord */
function createRecord(values: readonly MsiValue[]): Owned {
  const handle = api().MsiCreateRecord(values.length) as number;
  if (handle === 0) throw new WindowsError('MsiCreateRecord', 8, 'no record could be made');
  // Closed here when a field cannot be set; handed to the caller when all are.
  using stack = new DisposableStack();
  const record = stack.use(new Owned(handle));
  values.forEach((value, index) => {
    const field = index + 1;
    if (value === null) return;
    if (typeof value === 'number') check('MsiRecordSetInteger', api().MsiRecordSetInteger(record.handle, field, value) as number);
    else if (typeof value === 'string') check('MsiRecordSetStringW', api().MsiRecordSetStringW(record.handle, field, value) as number);
    else check('MsiRecordSetStreamW', api().MsiRecordSetStreamW(record.handle, field, value.streamFrom) as number, value.streamFrom);
  });
  stack.move();
  return record;
}

/** A Windows Installer database opened for writing; `commit()` writes it, closing without commit discards it. */
export class MsiDatabase extends Owned {
  /** Creates a new, empty database at `file` (MSIDBOPEN_CREATE). https://learn.microsoft.com/windows/win32/api/msiquery/nf-msiquery-msiopendatabasew */
  static create(file: string): MsiDatabase {
    const out = [0];
    check('MsiOpenDatabaseW', api().MsiOpenDatabaseW(file, MSIDBOPEN_CREATE, out) as number, file);
    return new MsiDatabase(out[0]!);
  }

  /** Runs one SQL statement, its `?` markers bound to `values` in order. https://learn.microsoft.com/windows/win32/msi/sql-syntax */
  execute(sql: string, values: readonly MsiValue[] = []): void {
    const out = [0];
    check('MsiDatabaseOpenViewW', api().MsiDatabaseOpenViewW(this.handle, sql, out) as number, sql);
    using view = new Owned(out[0]!);
    using record = values.length ? createRecord(values) : undefined;
    try {
      check('MsiViewExecute', api().MsiViewExecute(view.handle, record?.handle ?? 0) as number, sql);
    } finally {
      api().MsiViewClose(view.handle);
    }
  }

  /**
   * Imports a table from an .idt file in `folder` (also `_ForceCodepage`, the database's code page).
   * https://learn.microsoft.com/windows/win32/api/msiquery/nf-msiquery-msidatabaseimportw
   */
  importTable(folder: string, file: string): void {
    check('MsiDatabaseImportW', api().MsiDatabaseImportW(this.handle, folder, file) as number, file);
  }

  /** Sets summary information properties (PID → string or integer) and persists them. https://learn.microsoft.com/windows/win32/msi/summary-information-stream-property-set */
  setSummary(properties: ReadonlyMap<number, string | number>): void {
    const out = [0];
    check('MsiGetSummaryInformationW', api().MsiGetSummaryInformationW(this.handle, null, SUMMARY_UPDATE_COUNT, out) as number);
    using summary = new Owned(out[0]!);
    for (const [property, value] of properties) {
      const code =
        typeof value === 'number'
          ? api().MsiSummaryInfoSetPropertyW(summary.handle, property, VT_I4, value, null, null)
          : api().MsiSummaryInfoSetPropertyW(summary.handle, property, VT_LPSTR, 0, null, value);
      check('MsiSummaryInfoSetPropertyW', code as number, `summary property ${property}`);
    }
    check('MsiSummaryInfoPersist', api().MsiSummaryInfoPersist(summary.handle) as number);
  }

  /** Writes everything to the file. https://learn.microsoft.com/windows/win32/api/msiquery/nf-msiquery-msidatabasecommit */
  commit(): void {
    check('MsiDatabaseCommit', api().MsiDatabaseCommit(this.handle) as number);
  }
}
