import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** The source files esbuild puts into the bundle of `entry`, as build/bundle.ts bundles it (koffi left out). */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'silent',
    external: ['koffi', '@koromix/*'],
    define: { KOFFI_ADDON_SHA256: '""' },
  });
  return Object.keys(result.metafile.inputs);
}

describe('what each thread bundle holds', () => {
  it("the service thread's bundle holds none of the status-notification thread (it is not on a service's start path)", async () => {
    const inputs = await inputsOf('host/scm/service-thread-entry.ts');
    expect(inputs).toContain('runtime/control/status-watch.ts');
    for (const file of [
      'host/cli/status-notify.ts',
      'host/cli/status-notify-thread.ts',
      'runtime/win32/advapi32/service-notify.ts',
      'host/cli/commands/watch.ts',
    ]) {
      expect(inputs).not.toContain(file);
    }
  });

  it('the status-notification thread holds its FFI and no command line or service runtime', async () => {
    const inputs = await inputsOf('host/cli/status-notify-thread.ts');
    expect(inputs).toContain('runtime/win32/advapi32/service-notify.ts');
    expect(inputs.filter((file) => file.startsWith('host/cli/commands/') || file.startsWith('runtime/service/framework'))).toEqual([]);
  });
});
