/**
 * The password of a service's user account when it is not on the command line: from the
 * NODESERVICE_PASSWORD environment variable, or typed at a prompt that does not echo it.
 * @module
 */
import readline from 'node:readline';
import { UsageError } from './usage-error.ts';

/** The environment variable a password may come from (so it stays out of shell history and process lists). */
export const PASSWORD_VARIABLE = 'NODESERVICE_PASSWORD';

/** Asks for a password on the console without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let asked = false;
    output._writeToOutput = (text) => {
      // Show the question once, then nothing of what is typed.
      if (!asked) process.stdout.write(text);
      asked = true;
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

/** The password for `account`: from the environment, else a prompt; a usage error when neither can give one. */
export async function readPassword(account: string, env: NodeJS.ProcessEnv = process.env, interactive = Boolean(process.stdin.isTTY)): Promise<string> {
  const fromEnv = env[PASSWORD_VARIABLE];
  if (fromEnv !== undefined) return fromEnv;
  if (!interactive) {
    throw new UsageError(`${account} needs a password: set ${PASSWORD_VARIABLE}, pass --password, or run from a console to be asked`);
  }
  return prompt(`Password for ${account}: `);
}
