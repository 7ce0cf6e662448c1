/**
 * How a service's output is captured (issue 14): where its files go, when they rotate, how many old
 * ones are kept. Pure: parsed by `install`/`update` (service-options.ts), stored in Parameters
 * (registry-layout.ts), resolved with the defaults when the service starts (host/scm/service-launch.ts), so the
 * same rules apply at all three places and are unit-tested without Windows.
 * @module
 */
import path from 'node:path';

/** Rotate when the file would grow past this many bytes (10 MiB). */
export const DEFAULT_LOG_MAX_SIZE = 10 * 1024 * 1024;
/** Old files kept per stream. */
export const DEFAULT_LOG_KEEP = 5;
/** The largest size a REG_DWORD holds, and more than any one log file should. */
export const MAX_LOG_SIZE = 0xffff_ffff;
/** The smallest rotation size: below it a rotation per line would be the norm. */
export const MIN_LOG_SIZE = 1024;
/** More old files than anyone reads; keeps a typo such as 5000000 from filling a disk. */
export const MAX_LOG_KEEP = 1000;

export const LOG_ROLL_VALUES = ['daily', 'never'] as const;
export type LogRoll = (typeof LOG_ROLL_VALUES)[number];

/** What Parameters holds; every field optional (absent: the default). */
export interface StoredLogOptions {
  /** `--log none`: no capture at all. */
  none?: boolean;
  /** `--log-dir`: the folder of the files instead of `%ProgramData%\NodeService\logs\<service>`. */
  dir?: string;
  maxSize?: number;
  roll?: LogRoll;
  keep?: number;
  timestamps?: boolean;
}

/** The settings a running service's capture uses, defaults applied. */
export interface LogSettings {
  /** false: `--log none`, the output is discarded. */
  enabled: boolean;
  dir: string;
  /** The files' base name: the service's name, made safe for a file name. */
  base: string;
  maxSize: number;
  roll: LogRoll;
  keep: number;
  timestamps: boolean;
}

/** A service name as a file name part (characters a file name cannot hold become '_'). */
export function safeFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this keeps out
  return name.replace(/[<>:"/\\|?*\0-\x1f]/g, '_').replace(/[. ]+$/, '_') || '_';
}

/** The settings of service `name` from what is stored, with `defaultDir` where no `--log-dir` was given. */
export function resolveLogSettings(name: string, stored: StoredLogOptions, defaultDir: string): LogSettings {
  return {
    enabled: !stored.none,
    dir: stored.dir || defaultDir,
    base: safeFileName(name),
    maxSize: stored.maxSize ?? DEFAULT_LOG_MAX_SIZE,
    roll: stored.roll ?? 'daily',
    keep: stored.keep ?? DEFAULT_LOG_KEEP,
    timestamps: stored.timestamps ?? false,
  };
}

/** The current file of one stream: `<dir>\<base>.out.log` or `.err.log`. */
export function logFilePath(settings: Pick<LogSettings, 'dir' | 'base'>, stream: 'out' | 'err'): string {
  return path.join(settings.dir, `${settings.base}.${stream}.log`);
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `10M`, `512K`, `1G`, `65536` (binary units, case-insensitive) → bytes; throws an Error saying what is wrong. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`takes a size such as 10M, 512K or 1G (not '${text}')`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < MIN_LOG_SIZE || bytes > MAX_LOG_SIZE) throw new Error(`must be between 1K and 4G - 1 (not '${text}')`);
  return bytes;
}

/** Bytes as the user would write them: `10M`, `1.5K`, `700`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return String(bytes);
}

/** `--log-keep N`: 0 (no old file kept) to MAX_LOG_KEEP. */
export function parseKeep(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_LOG_KEEP)
    throw new Error(`takes a whole number of old files to keep, 0 to ${MAX_LOG_KEEP} (not '${text}')`);
  return Number(text);
}
