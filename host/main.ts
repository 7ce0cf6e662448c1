/**
 * host.exe's entry point. With no arguments it first offers itself to the Service Control
 * Manager; when the SCM did not start it, it prints help.
 * @module
 */
import { runCli } from './cli.ts';
import { runServices } from './service-main.ts';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 && (await runServices())) {
    // Every service has stopped: end even if a service left handles open.
    process.exit(0);
  }
  return runCli(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`host.exe: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
