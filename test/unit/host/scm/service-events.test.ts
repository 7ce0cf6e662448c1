import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleSink, entryText } from '../../../../host/scm/service-events.ts';
import { EventLogType } from '../../../../runtime/eventlog/service-log.ts';
import { ErrorCode } from '../../../../runtime/win32/errors.ts';
import { WindowsError } from '../../../../runtime/win32/windows-error.ts';

const notPe = () => {
  throw new WindowsError('LoadLibraryExW', 193, '%1 is not a valid Win32 application.');
};

describe('entryText', () => {
  it('gives the text the lookup finds, and undefined where it finds none', () => {
    expect(entryText((id, inserts) => `id ${id}: ${inserts.join(',')}`, 7, ['a', 'b'])).toBe('id 7: a,b');
    expect(entryText(() => undefined, 7, [])).toBeUndefined();
  });

  it('takes a message file that cannot be loaded or formatted (a WindowsError) as one without the id', () => {
    expect(entryText(notPe, 7, [])).toBeUndefined();
    const missing = () => {
      throw new WindowsError('LoadLibraryExW', ErrorCode.ERROR_FILE_NOT_FOUND, 'The system cannot find the file specified.');
    };
    expect(entryText(missing, 7, [])).toBeUndefined();
  });

  it('throws anything else: a bug is not "no message text"', () => {
    const bug = () => {
      throw new TypeError('inserts.join is not a function');
    };
    expect(() => entryText(bug, 7, [])).toThrow(TypeError);
    expect(() => entryText(bug, 7, [])).toThrow('inserts.join is not a function');
  });
});

describe('consoleSink', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the entry with its text, errors on stderr', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sink = consoleSink('Svc', [], (_id, inserts) => `The ${inserts[0]} service has started.\r\n`);
    sink(EventLogType.INFORMATION, 0x40001002, ['Svc']);
    sink(EventLogType.ERROR, 0xc0001005, ['Svc']);
    expect(log.mock.calls).toEqual([['Info 0x40001002 - The Svc service has started.']]);
    expect(error.mock.calls).toEqual([['Error 0xC0001005 - The Svc service has started.']]);
  });

  it('prints the inserts where no message file gives a text, also one that cannot be loaded', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    consoleSink('Svc', [], () => undefined)(EventLogType.WARNING, 0x80000010, ['one', 'two']);
    consoleSink('Svc', [], notPe)(EventLogType.INFORMATION, 0x40000011, ['three']);
    expect(log.mock.calls).toEqual([
      ['Warning 0x80000010 - (no message text for this id) one | two'],
      ['Info 0x40000011 - (no message text for this id) three'],
    ]);
  });
});
