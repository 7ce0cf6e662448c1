/** The command line was wrong: the CLI prints the message and the command's usage and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
