/**
 * host.exe's entry point. With no arguments it first offers itself to the Service Control
 * Manager; when the SCM did not start it, it prints help. With `--shared-group <name>` the SCM started
 * it for a group of services sharing this process. A service's own thread runs another bundle
 * (service-thread-entry.ts). The command line is a program of its own too (host/command-line.ts),
 * loaded only when it is used, so that a service's start neither compiles nor evaluates it; the SCM
 * side is imported only on its paths, so that the command line does not evaluate it.
 * @module
 */
import { SHARED_GROUP_OPTION, servicesOfGroup } from './layout/registry-layout.ts';
import { terminateCurrentProcess } from '../runtime/win32/kernel32.ts';
import { discardPrewarmed, prewarmServiceThread } from './scm/service-thread.ts';
import { loadCommandLine } from './command-line.ts';

/** Ends the process without Node's teardown (endWithoutTeardown): the command line's own, once it is loaded. */
let terminate: (code: number) => void = terminateCurrentProcess;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) {
    // Most likely the SCM started it: the service's thread starts while the dispatcher connects.
    const { runServices } = await import('./scm/service-main.ts');
    prewarmServiceThread();
    // Every service has stopped: end even if a service left handles open (service-main.ts ends
    // the process itself; this is for a dispatcher that returned first).
    if (await runServices()) terminateCurrentProcess(0);
    discardPrewarmed();
  }
  if (argv[0] === SHARED_GROUP_OPTION) {
    const names = argv.length === 2 ? servicesOfGroup(process.execPath, argv[1]!) : [];
    const { runServices } = await import('./scm/service-main.ts');
    if (names.length > 0) prewarmServiceThread();
    if (names.length > 0 && (await runServices(names))) terminateCurrentProcess(0);
    discardPrewarmed();
    console.error(
      `${SHARED_GROUP_OPTION} <name> is how the Service Control Manager starts a group of shared services: start them with "net start <service>"`,
    );
    return 2;
  }
  const commandLine = await loadCommandLine();
  terminate = commandLine.terminateCurrentProcess;
  return commandLine.runCli(argv);
}

function fail(error: unknown): void {
  console.error(`host.exe: internal error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

/**
 * Ends host.exe when its event loop has drained (Node's 'exit' event, after every other listener),
 * without Node's own teardown after it. Node 24 on Windows can abort in that teardown ("Assertion
 * failed: !(handle->flags & UV_HANDLE_CLOSING), file src\\win\\async.c", nodejs/node#56645: a V8
 * platform thread signals a handle Node has closed), turning a command that did its work into exit
 * code 0xC0000409; `apply` and `export` met it about one run in three under Wine 10. Nothing is lost
 * by skipping it: the loop has drained, stdout and stderr are written synchronously to files and
 * pipes, and a console write has reached the console by then.
 */
function endWithoutTeardown(): void {
  process.once('exit', (code) => terminate(code));
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  endWithoutTeardown();
}, fail);
