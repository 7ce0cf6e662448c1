/**
 * Where the test bed's Wine lives. The suite, the demo and the bench run Wine 10 from a Debian 13
 * root that `.ci/wine-bed.sh` makes (Node 24, which host.exe carries, dies under Debian 12's
 * Wine 8), each program through bed.sh: chrooted, in a private mount namespace that sees /tmp and
 * this checkout at their own paths. NODESERVICE_WINE_ROOT names another root; `/` runs the
 * machine's own Wine.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';

/** The Debian 13 root holding Wine 10 (made by .ci/wine-bed.sh). */
export const bedRoot = process.env.NODESERVICE_WINE_ROOT ?? '/var/cache/nodeservice/wine10-trixie';

/** The Wine major version the bed carries; tests that read Wine's trace text say which they expect. */
export const bedWineVersion = 10;

const bedScript = path.join(import.meta.dirname, 'bed.sh');

/** The Linux command that runs Wine's `program` (wine, wineserver) with `args` in the bed. */
export function wineCommand(
  program: 'wine' | 'wineserver',
  args: readonly string[],
  root: string = bedRoot,
): { command: string; args: string[] } {
  if (path.resolve(root) === '/') return { command: program, args: [...args] };
  if (!fs.existsSync(path.join(root, '.nodeservice-bed')))
    throw new Error(`the Wine 10 test bed is missing at ${root}: run .ci/setup.sh (or set NODESERVICE_WINE_ROOT)`);
  return { command: bedScript, args: [root, program, ...args] };
}
