/**
 * The process runner the tests use, chosen by platform (test/platform.ts): Wine's (test/wine/run.ts:
 * programs in a Wine prefix, through runner.exe, output through files) everywhere but Windows, the
 * native one (test/native/run.ts) on Windows. Both take an environment, a program and its
 * arguments and give the same RunResult; `machineEnv` is the environment of "the machine": the Wine
 * prefix's, or this process's own on Windows (the real registry and SCM; no prefix).
 * @module
 */
import path from 'node:path';
import { nativePath, runNative, startNative } from './native/run.ts';
import { underWine } from './platform.ts';
import { createPrefix, wineEnv } from './wine/prefix.ts';
import { runWine, startWine, windowsPath as wineWindowsPath, type RunResult, type WineProcess } from './wine/run.ts';

export type { RunResult, WineProcess as ProgramProcess };

/** Runs a Windows program to its end (under Wine, or directly on Windows). */
export const runProgram: typeof runWine = underWine ? runWine : runNative;
/** Starts a Windows program without waiting for it. */
export const startProgram: typeof startWine = underWine ? startWine : startNative;
/** A path of this machine as Windows programs see it (under Wine: Z:\…). */
export const windowsPath: (file: string) => string = underWine ? wineWindowsPath : nativePath;

/** The environment programs run with: the prefix's (WINEPREFIX, WINEDEBUG…) under Wine, this process's on Windows. */
export function machineEnv(prefix: string): NodeJS.ProcessEnv {
  return underWine ? wineEnv(prefix) : { ...process.env };
}

/** A machine for a test file that needs one of its own (the MSI tests change the registration). */
export interface TestMachine extends Disposable {
  /** The environment its programs run with. */
  readonly env: NodeJS.ProcessEnv;
  /** A C:\ path of that machine as this process reaches it. */
  cDrive(windows: string): string;
  /** Ends it (under Wine: stops the prefix's wineserver and deletes the prefix). */
  dispose(): void;
}

/**
 * Under Wine, a fresh prefix; on Windows, the machine itself, which must then be fresh too: the
 * CI workflow runs each such file in a job of its own (.github/workflows/windows.yml).
 */
export function createMachine(): TestMachine {
  if (!underWine) {
    return { env: { ...process.env }, cDrive: (windows) => windows, dispose: () => {}, [Symbol.dispose]: () => {} };
  }
  const prefix = createPrefix();
  return {
    env: wineEnv(prefix.path),
    cDrive: (windows) => path.join(prefix.path, 'drive_c', ...windows.replace(/^C:\\/i, '').split('\\')),
    dispose: prefix.dispose,
    [Symbol.dispose]: prefix.dispose,
  };
}
