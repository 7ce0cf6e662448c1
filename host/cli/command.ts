/** One host.exe verb, as the CLI's command table lists it. */
export interface Command {
  /** The verb, e.g. `install`. */
  name: string;
  /** What follows the verb in `host.exe --help`, e.g. `<module> [--name N]`. */
  usage: string;
  /** One line for the verb list. */
  summary: string;
  /** Runs the verb with the arguments after it; resolves to the exit code (0 when omitted). */
  run(argv: readonly string[]): Promise<number | void> | number | void;
}
