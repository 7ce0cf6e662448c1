/**
 * The Event Log beyond logMsg, end to end under Wine: event sources in custom logs and any entry
 * (reportEvent) through the runtime API, backup, clear, backup files and following through
 * `host.exe eventlog`, and the wevtapi channel query's clear refusal. Wine's Event Log stores
 * nothing: what was written is seen on its debug channels (parseLoggedEvents, the one parser of that
 * trace), what was registered in its registry, and what a call did in advapi's fixme trace. On
 * Windows the entries are read back from the log they went to, and the files backup wrote are there.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleForWindows } from '../../build/bundle.ts';
import { windowsNode } from '../../build/paths.ts';
import { fails, ok, refuses } from './helpers.ts';
import { underWine } from '../platform.ts';
import {
  host,
  hostExe,
  lastRecord,
  parseLoggedEvents,
  prefixDir,
  reg,
  regValue,
  runWindowsProgram,
  startHost,
  storedEvents,
  windowsPath,
  type LoggedEvent,
} from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const apiDir = prefixDir('NodeService', 'eventlog-api');
const apiScript = path.join(apiDir, 'eventlog-api.cjs');
const EVENTLOG_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog';
/** What Wine shows of the Event Log: ReportEventW's arguments (fixme+advapi) and its strings (+eventlog). */
const EVENTLOG_TRACE = '-all,+eventlog,fixme+advapi';

interface Answer {
  ok: boolean;
  result?: unknown;
  error?: string;
}

let taskCount = 0;

/** Runs tasks of fixtures/eventlog-api.ts with Windows Node in the prefix, traced; their answers and the entries written. */
async function api(tasks: Record<string, unknown>[]): Promise<{ answers: Answer[]; events: LoggedEvent[] }> {
  // On Windows: the Application log's new entries of the sources reported under (none is registered elsewhere).
  const sources = new Set(tasks.filter((task) => task.op === 'report').map((task) => task.source));
  const after = underWine ? 0 : lastRecord('Application');
  const file = path.join(apiDir, `tasks-${taskCount++}.json`);
  fs.writeFileSync(file, JSON.stringify(tasks));
  const result = await runWindowsProgram(windowsNode, [windowsPath(apiScript), windowsPath(file)], {
    wineDebug: EVENTLOG_TRACE,
    timeoutMs: 60_000,
  });
  expect(result.code, result.stdout + result.stderr.slice(-2000)).toBe(0);
  const answers = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Answer);
  expect(answers).toHaveLength(tasks.length);
  const events = underWine
    ? parseLoggedEvents(result.stderr)
    : storedEvents('Application', after).filter((event) => sources.has(event.source));
  return { answers, events };
}

async function keyExists(key: string): Promise<boolean> {
  return (await reg(['query', key])).code === 0;
}

const hostFile = () => windowsPath(hostExe);

beforeAll(async () => {
  fs.mkdirSync(apiDir, { recursive: true });
  await bundleForWindows(path.join(fixtures, 'eventlog-api.ts'), apiScript);
});

describe('event sources and custom logs (registerEventSource / removeEventSource)', () => {
  it('registers a source in a new custom log with its message, category and parameter files, marked as NodeService’s', async () => {
    const { answers } = await api([
      {
        op: 'register',
        definition: {
          name: 'OrdersSource',
          log: 'NodeServiceTest',
          messageFiles: ['C:\\Orders\\orders.dll', hostFile()],
          categoryMessageFile: 'C:\\Orders\\categories.dll',
          categoryCount: 3,
          parameterMessageFile: 'C:\\Orders\\parameters.dll',
          typesSupported: ['error', 'warning', 'information', 'auditSuccess'],
        },
      },
    ]);
    expect(answers[0]).toEqual({ ok: true, result: null });
    const key = `${EVENTLOG_KEY}\\NodeServiceTest\\OrdersSource`;
    expect(await regValue(key, 'EventMessageFile')).toBe(`C:\\Orders\\orders.dll;${hostFile()}`);
    expect(await regValue(key, 'CategoryMessageFile')).toBe('C:\\Orders\\categories.dll');
    expect(await regValue(key, 'CategoryCount')).toBe('0x3');
    expect(await regValue(key, 'ParameterMessageFile')).toBe('C:\\Orders\\parameters.dll');
    expect(await regValue(key, 'TypesSupported')).toBe('0xf');
    expect(await regValue(key, 'CreatedBy')).toBe('NodeService');
    expect(await regValue(`${EVENTLOG_KEY}\\NodeServiceTest`, 'CreatedBy')).toBe('NodeService');
    expect(await regValue(`${EVENTLOG_KEY}\\NodeServiceTest`, 'File')).toBe('%SystemRoot%\\System32\\Winevt\\Logs\\NodeServiceTest.evtx');
  });

  it('refuses names with a backslash, empty or too long, and half definitions, writing nothing', async () => {
    const base = { messageFiles: [hostFile()] };
    const { answers } = await api([
      { op: 'register', definition: { ...base, name: 'Bad\\Name' } },
      { op: 'register', definition: { ...base, name: '' } },
      { op: 'register', definition: { ...base, name: 'x'.repeat(256) } },
      { op: 'register', definition: { ...base, name: 'Fine', log: 'Bad\\Log' } },
      { op: 'register', definition: { ...base, name: 'Fine', log: 'NeverMade', categoryCount: 2 } },
      { op: 'register', definition: { name: 'Fine', log: 'NeverMade', messageFiles: [] } },
    ]);
    expect(answers.map((answer) => answer.ok)).toEqual([false, false, false, false, false, false]);
    expect(answers[0]!.error).toBe("'Bad\\Name' cannot be an event source name: it contains a slash or backslash");
    expect(answers[1]!.error).toBe('an event source name cannot be empty');
    expect(answers[2]!.error).toBe('an event source name has at most 255 characters (a registry key name); this one has 256');
    expect(answers[3]!.error).toBe("'Bad\\Log' cannot be an event log name: it contains a slash or backslash");
    expect(answers[4]!.error).toBe('categoryMessageFile and categoryCount go together: give both or neither');
    expect(answers[5]!.error).toBe("event source 'Fine' needs at least one message file");
    expect(await keyExists(`${EVENTLOG_KEY}\\NeverMade`)).toBe(false);
    expect(await keyExists(`${EVENTLOG_KEY}\\Application\\Bad`)).toBe(false);
  });

  it('leaves another product’s source alone, and removes a custom log only when asked and empty', async () => {
    expect(
      (await reg(['add', `${EVENTLOG_KEY}\\NodeServiceTest\\ForeignSource`, '/v', 'EventMessageFile', '/d', 'C:\\x.dll', '/f'])).code,
    ).toBe(0);
    const { answers } = await api([
      { op: 'register', definition: { name: 'ForeignSource', log: 'NodeServiceTest', messageFiles: [hostFile()] } },
      { op: 'remove', name: 'OrdersSource', log: 'NodeServiceTest', options: { removeLogIfEmpty: true } },
      { op: 'remove', name: 'ForeignSource', log: 'NodeServiceTest' },
    ]);
    expect(answers[0]!.error).toContain(
      "an event source named 'ForeignSource' already exists in the NodeServiceTest log and NodeService did not create it",
    );
    expect(answers[1]).toEqual({ ok: true, result: true });
    expect(answers[2]).toEqual({ ok: true, result: false });
    // The foreign source is still there, so the log stays.
    expect(await regValue(`${EVENTLOG_KEY}\\NodeServiceTest\\ForeignSource`, 'EventMessageFile')).toBe('C:\\x.dll');
    expect(await keyExists(`${EVENTLOG_KEY}\\NodeServiceTest\\OrdersSource`)).toBe(false);

    expect((await reg(['delete', `${EVENTLOG_KEY}\\NodeServiceTest\\ForeignSource`, '/f'])).code).toBe(0);
    const again = await api([
      { op: 'register', definition: { name: 'Last', log: 'NodeServiceTest', messageFiles: [hostFile()] } },
      { op: 'remove', name: 'Last', log: 'NodeServiceTest' },
    ]);
    expect(again.answers.map((answer) => answer.ok)).toEqual([true, true]);
    expect(await keyExists(`${EVENTLOG_KEY}\\NodeServiceTest`)).toBe(true); // not asked
    await api([{ op: 'remove', name: 'Nothing', log: 'NodeServiceTest', options: { removeLogIfEmpty: true } }]);
    expect(await keyExists(`${EVENTLOG_KEY}\\NodeServiceTest`)).toBe(false);
    await api([{ op: 'remove', name: 'Nothing', log: 'Application', options: { removeLogIfEmpty: true } }]);
    expect(await keyExists(`${EVENTLOG_KEY}\\Application`)).toBe(true);
  });
});

describe('reportEvent (pywin32 ReportEvent) through RegisterEventSourceW/ReportEventW', () => {
  it('writes type, category, id, inserts, binary data and the user SID', async () => {
    const { answers, events } = await api([
      {
        op: 'report',
        source: 'ReportTest',
        type: 'warning',
        category: 3,
        eventId: 0x80002002,
        strings: ['42', 'Oslo'],
        dataBytes: 61 * 1024,
        userSid: 'S-1-5-18',
      },
      { op: 'report', source: 'ReportTest', type: 'auditFailure', eventId: 7, dataBytes: 0 },
    ]);
    expect(answers).toEqual([
      { ok: true, result: null },
      { ok: true, result: null },
    ]);
    expect(events).toEqual([
      { source: 'ReportTest', type: 2, category: 3, id: 0x80002002, count: 2, strings: ['42', 'Oslo'], dataSize: 61 * 1024, hasSid: true },
      { source: 'ReportTest', type: 0x10, category: 0, id: 7, count: 0, strings: [], dataSize: 0, hasSid: false },
    ]);
  });

  it('keeps unicode inserts whole, and takes an insert of exactly 31,839 characters', async () => {
    const text = 'Grüße, 東京 🎉 ∑';
    const { answers, events } = await api([
      { op: 'report', source: 'ReportTest', type: 'information', eventId: 1, strings: [text, ''] },
      { op: 'report', source: 'ReportTest', type: 'information', eventId: 2, strings: [{ repeat: 'é', times: 31_839 }] },
    ]);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(events[0]).toMatchObject({ count: 2, strings: [text] }); // Wine 10 does not trace the empty second insert.
    // Wine's trace cuts a long string (about 300 characters of output, 5 per escaped é); what it shows is the insert's start.
    expect(events[1]).toMatchObject({ id: 2, strings: [expect.any(String)] });
    expect(events[1]!.strings[0]!.length).toBeGreaterThan(50);
    expect(events[1]!.strings[0]).toBe('é'.repeat(events[1]!.strings[0]!.length));
  });

  it('refuses what ReportEventW would refuse or cut, with a message naming the limit, and writes nothing', async () => {
    const { answers, events } = await api([
      { op: 'report', source: 'ReportTest', eventId: 1, strings: ['ok', { repeat: 'x', times: 31_840 }] },
      { op: 'report', source: 'ReportTest', eventId: 1, strings: ['nul\0inside'] },
      { op: 'report', source: 'ReportTest', eventId: 1, stringCount: 0x10000 },
      { op: 'report', source: 'ReportTest', eventId: 1, dataBytes: 0x3ff68 },
      { op: 'report', source: 'ReportTest', eventId: 1, userSid: 'S-1-5-x' },
      { op: 'report', source: 'ReportTest', eventId: 1, userSid: 'Administrator' },
      { op: 'report', source: '', eventId: 1 },
      { op: 'report', source: 'ReportTest', type: 'fatal', eventId: 1 },
      { op: 'report', source: 'ReportTest', eventId: 0x1_0000_0000 },
      { op: 'report', source: 'ReportTest', eventId: 1, category: 70_000 },
    ]);
    expect(answers.map((answer) => answer.error)).toEqual([
      'insert string 2 has 31840 characters; ReportEventW takes at most 31839 in one',
      'insert string 1 contains a NUL character, which would end it there',
      'an entry takes at most 65535 insert strings, not 65536',
      'an entry takes at most 261991 bytes of data, not 261992',
      "'S-1-5-x' is not a SID: expected the form S-1-<authority>-<sub-authority>… (such as S-1-5-18)",
      "'Administrator' is not a SID: expected the form S-1-<authority>-<sub-authority>… (such as S-1-5-18)",
      'an event source name cannot be empty',
      "'fatal' is not an event type: use one of success, error, warning, information, auditSuccess, auditFailure",
      'eventId must be a whole number from 0 to 0xFFFFFFFF, not 4294967296',
      'category must be a whole number from 0 to 65535, not 70000',
    ]);
    expect(events).toEqual([]);
  });
});

describe('host.exe eventsource: add, write, remove by hand', () => {
  it('adds a source in a custom log, writes an entry with data, category and SID under it, and removes both', async () => {
    const added = await ok([
      'eventsource',
      'add',
      'CliSource',
      '--log',
      'CliLog',
      '--message-file',
      hostFile(),
      '--category-file',
      hostFile(),
      '--category-count',
      '2',
      '--types',
      'error,warning',
    ]);
    expect(added).toBe('Registered event source CliSource in the CliLog log\n');
    expect(await regValue(`${EVENTLOG_KEY}\\CliLog\\CliSource`, 'TypesSupported')).toBe('0x3');
    expect(await regValue(`${EVENTLOG_KEY}\\CliLog\\CliSource`, 'CategoryCount')).toBe('0x2');

    fs.writeFileSync(prefixDir('NodeService', 'dump.bin'), Buffer.alloc(1000, 7));
    const written = await host(
      [
        'eventsource',
        'write',
        'CliSource',
        '0xC00000FF',
        'Überlauf in 東京',
        '--type',
        'error',
        '--category',
        '2',
        '--data-file',
        'C:\\NodeService\\dump.bin',
        '--sid',
        'S-1-5-32-544',
      ],
      { wineDebug: EVENTLOG_TRACE },
    );
    expect(written.code, written.stderr.slice(-2000)).toBe(0);
    expect(written.stdout).toBe('Wrote event 0xC00000FF under CliSource\n');
    // CliLog is new: on Windows all its entries are this one.
    expect(underWine ? parseLoggedEvents(written.stderr) : storedEvents('CliLog')).toEqual([
      { source: 'CliSource', type: 1, category: 2, id: 0xc00000ff, count: 1, strings: ['Überlauf in 東京'], dataSize: 1000, hasSid: true },
    ]);

    expect(await ok(['eventsource', 'remove', 'CliSource', '--log', 'CliLog', '--remove-log'])).toBe(
      'Removed event source CliSource from the CliLog log\n',
    );
    expect(await keyExists(`${EVENTLOG_KEY}\\CliLog`)).toBe(false);
    expect(await ok(['eventsource', 'remove', 'CliSource', '--log', 'CliLog'])).toBe(
      "No event source CliSource of NodeService's in the CliLog log\n",
    );
  });

  it('refuses bad input with a clear message and no stack', async () => {
    await refuses(['eventsource', 'add', 'X'], 'add needs at least one --message-file');
    await refuses(['eventsource', 'drop', 'X'], "<action> is add, remove or write, not 'drop'");
    await refuses(
      ['eventsource', 'write', 'X', '1', '--type', 'fatal'],
      '--type takes success, error, warning, information, auditSuccess, auditFailure',
    );
    await refuses(['eventsource', 'write', 'X', 'twelve'], "<id> must be a number such as 0x40001002 or 1073745922, not 'twelve'");
    await refuses(['eventsource', 'remove', 'X', '--sid', 'S-1-5-18'], '--sid does not go with remove');
    await refuses(['eventsource', 'write', 'X', '1', '--log', 'Other'], '--log does not go with write');
    await fails(
      ['eventsource', 'add', 'A\\B', '--message-file', 'C:\\x.dll'],
      "'A\\B' cannot be an event source name: it contains a slash or backslash",
    );
    await fails(['eventsource', 'write', 'X', '1', '--sid', 'S-1-5-x'], "'S-1-5-x' is not a SID");
    await fails(
      ['eventsource', 'write', 'X', '1', '--data-file', 'C:\\NodeService\\nothing.bin'],
      'cannot read --data-file C:\\NodeService\\nothing.bin: ENOENT',
    );
    await fails(
      ['eventsource', 'write', 'X', '1', 'x'.repeat(31_840)],
      'insert string 1 has 31840 characters; ReportEventW takes at most 31839 in one',
    );
  });
});

describe('host.exe eventlog: backup, clear, backup files, follow (classic API)', () => {
  const trace = { wineDebug: '-all,fixme+advapi' };

  it('backs up to a new file, and refuses a file that exists (BackupEventLogW: ERROR_ALREADY_EXISTS)', async () => {
    const backup = await host(['eventlog', '--backup', 'C:\\NodeService\\app-backup.evt'], { wineDebug: `${trace.wineDebug},+security` });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toBe('Backed up the Application log to C:\\NodeService\\app-backup.evt\n');
    // Wine's BackupEventLogW is a stub that says so; Windows writes the file.
    if (underWine) expect(backup.stderr).toContain('BackupEventLogW (00000000CAFE4242,L"C:\\\\NodeService\\\\app-backup.evt") stub');
    else expect(fs.statSync(prefixDir('NodeService', 'app-backup.evt')).size).toBeGreaterThan(0);
    if (underWine) {
      // SeBackupPrivilege (which Wine's token holds disabled) is enabled for the call, its previous
      // state kept (16 bytes), then put back with no PreviousState: NULL and 0 bytes, as the docs
      // allow (a non-NULL buffer of 0 bytes makes the call fail and leaves the privilege on).
      const adjusts = backup.stderr
        .split('\n')
        .filter((line) => line.includes('trace:security:AdjustTokenPrivileges'))
        .map((line) => line.trim());
      expect(adjusts).toHaveLength(2);
      expect(adjusts[0]).toMatch(/ 0 [0-9A-F]{16} 16 [0-9A-F]{16} [0-9A-F]{16}\)$/);
      expect(adjusts[1]).toMatch(/ 0 [0-9A-F]{16} 0 0{16} 0{16}\)$/);
    }

    fs.writeFileSync(prefixDir('NodeService', 'taken.evt'), 'not a log');
    await fails(
      ['eventlog', '--backup', 'C:\\NodeService\\taken.evt'],
      "'C:\\NodeService\\taken.evt' already exists: a log is never backed up over a file; choose another name or delete it first",
    );
    expect(fs.readFileSync(prefixDir('NodeService', 'taken.evt'), 'utf8')).toBe('not a log');
  });

  it('clears, with a backup first, and refuses a backup file that exists before clearing anything', async () => {
    const cleared = await host(['eventlog', '--clear', '--backup-to', 'C:\\NodeService\\before-clear.evt'], trace);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toBe('Cleared the Application log (saved first to C:\\NodeService\\before-clear.evt)\n');
    if (underWine) expect(cleared.stderr).toContain('ClearEventLogW (00000000CAFE4242,L"C:\\\\NodeService\\\\before-clear.evt") stub');
    else expect(fs.statSync(prefixDir('NodeService', 'before-clear.evt')).size).toBeGreaterThan(0);

    const refused = await host(['eventlog', '--clear', '--backup-to', 'C:\\NodeService\\taken.evt'], trace);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("'C:\\NodeService\\taken.evt' already exists");
    if (underWine) expect(refused.stderr).not.toContain('ClearEventLogW');
  });

  it('two clears at once both finish cleanly', async () => {
    const [first, second] = await Promise.all([host(['eventlog', '--clear']), host(['eventlog', '--clear', '--log', 'System'])]);
    expect(first).toMatchObject({ code: 0, stdout: 'Cleared the Application log\n' });
    expect(second).toMatchObject({ code: 0, stdout: 'Cleared the System log\n' });
  });

  it('reads a backup file with --file, and says so when it does not exist', async () => {
    // Wine reads nothing from any file; Windows reads the backup made above (and refuses a file that is no log).
    if (underWine)
      expect(await ok(['eventlog', '--file', 'C:\\NodeService\\taken.evt'])).toBe('No records in C:\\NodeService\\taken.evt.\n');
    else expect(await ok(['eventlog', '--file', 'C:\\NodeService\\app-backup.evt'])).toMatch(/^#\d+ {2}\S+ {2}/);
    await fails(['eventlog', '--file', 'C:\\NodeService\\missing.evt'], "the backup file 'C:\\NodeService\\missing.evt' does not exist");
  });

  it('--follow asks for change notifications, reads on, and stops cleanly on Ctrl+C', async () => {
    const following = startHost(['eventlog', '--follow'], trace);
    await vi.waitFor(() => expect(following.stdout()).toContain('Following the Application log (Ctrl+C to stop)…'), {
      timeout: 20_000,
      interval: 100,
    });
    if (underWine) {
      // Wine never signals the event, so the records are read again after each pollMs (1 s).
      await sleep(2500);
    } else {
      // Windows stores entries: one written now is printed as it comes.
      await ok(['eventsource', 'write', 'FollowTest', '0x40000001', 'followed while following']);
      await vi.waitFor(() => expect(following.stdout()).toContain('followed while following'), { timeout: 20_000, interval: 100 });
    }
    await following.interrupt();
    const result = await following.result;
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toContain('Stopped following.');
    if (underWine) {
      expect(result.stderr).toMatch(/NotifyChangeEventLog \(00000000CAFE4242,[0-9A-F]{16}\) stub/);
      expect(result.stderr.match(/ReadEventLogW \(00000000CAFE4242,0x00000005,/g)?.length).toBeGreaterThanOrEqual(2);
      expect(result.stderr).toMatch(/CloseEventLog \(00000000CAFE4242\) stub\s*$/);
    }
  });

  it('refuses options that do not go together', async () => {
    await refuses(['eventlog', '--backup-to', 'C:\\x.evt'], '--backup-to does not go with reading');
    await refuses(['eventlog', '--backup', 'C:\\x.evt', '--clear'], '--clear does not go with --backup');
    await refuses(['eventlog', '--file', 'C:\\x.evt', '--follow'], '--follow reads a live log, not a backup file (--file)');
    await refuses(['eventlog', '--xpath', '*', '--source', 'host'], '--source does not go with --xpath');
    await refuses(['eventlog', '--xpath', ' '], '--xpath needs a query');
  });
});

// Wine's wevtapi is a stub; Windows has the real one, which this file does not test yet (README, "The suite on Windows").
describe.skipIf(!underWine)('host.exe eventlog --xpath (wevtapi)', () => {
  it('says clearly that this system has no wevtapi (Wine 8: EvtQuery is a stub)', async () => {
    const result = await host(['eventlog', '--xpath', '*[System[Level<=2]]', '--json'], { wineDebug: '-all,fixme+wevtapi' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'failed: --xpath needs the Windows Event Log API (wevtapi.dll), which this system does not implement (EvtQuery returned nothing',
    );
    expect(result.stderr).toContain('EvtQuery (0000000000000000 L"Application" L"*[System[Level<=2]]" 257) stub');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--follow says the same for EvtSubscribe', async () => {
    await fails(['eventlog', '--xpath', '*', '--follow', '--log', 'System'], /EvtSubscribe returned nothing; Wine's wevtapi is a stub/);
  });
});
