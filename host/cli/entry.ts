/**
 * The command line's program: a bundle of its own (build/bundle.ts), carried as an asset of
 * host.exe's SEA and evaluated only when host.exe is run with a command (host/command-line.ts), so
 * that a service's start neither compiles nor holds it. What host/main.ts takes from it: the command
 * line, and the end of the process through this bundle's own koffi (main's copy is not loaded on
 * this path, and loading it would be a second instance of koffi in the process).
 * @module
 */
export { runCli } from './cli.ts';
export { terminateCurrentProcess } from '../../runtime/win32/kernel32.ts';
