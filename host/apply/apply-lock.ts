/**
 * One apply at a time per machine: apply holds `%ProgramData%\NodeService\apply.lock` open with no
 * sharing (libuv's UV_FS_O_EXLOCK: CreateFileW with share mode 0) from before it reads the machine
 * until it ends. A second apply cannot open the file and says so; it does not wait, so a
 * configuration tool sees the clash at once. The lock is the open handle, not the file: Windows
 * closes it when the process ends however it ends, so a crashed apply never leaves the machine
 * locked. The folder is the one /register protects (administrators only).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { machineFolder } from '../../runtime/win32/native-addon.ts';

/** libuv's flag for an exclusive open on Windows (share mode 0); Node exports it on Windows only. */
const UV_FS_O_EXLOCK = (fs.constants as { UV_FS_O_EXLOCK?: number }).UV_FS_O_EXLOCK ?? 0x1000_0000;

/** The lock file of this machine. */
export function applyLockPath(): string {
  return path.join(machineFolder(), 'apply.lock');
}

/** Takes the machine's apply lock until the returned object is disposed; throws when another apply holds it. */
export function acquireApplyLock(file = applyLockPath()): Disposable {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR | UV_FS_O_EXLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EBUSY' || code === 'EACCES' || code === 'EPERM') {
      throw new Error(`another "host.exe apply" is running on this machine (it holds ${file} open): wait for it to end, then apply again`, {
        cause: error,
      });
    }
    throw error;
  }
  fs.ftruncateSync(fd);
  fs.writeSync(fd, `host.exe apply, process ${process.pid}, since ${new Date().toISOString()}\r\n`);
  return { [Symbol.dispose]: () => fs.closeSync(fd) };
}
