/**
 * Secrets the command line should not carry: a user account's password and the values of secret
 * environment variables, taken from the environment of the console that runs host.exe, or typed
 * at a prompt that does not echo them.
 * @module
 */
import readline from 'node:readline';
import { UsageError } from './usage-error.ts';

/** The environment variable a password may come from (so it stays out of shell history and process lists). */
export const PASSWORD_VARIABLE = 'NODESERVICE_PASSWORD';

/** How secrets are read; the defaults are this process's environment and whether it has a console. */
export interface SecretSource {
  env?: NodeJS.ProcessEnv;
  interactive?: boolean;
}

/** Asks on the console without echoing what is typed. */
function askHidden(question: string): Promise<string> {
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

async function readSecret(variable: string, question: string, missing: string, source: SecretSource): Promise<string> {
  const value = (source.env ?? process.env)[variable];
  if (value !== undefined) return value;
  if (!(source.interactive ?? Boolean(process.stdin.isTTY))) throw new UsageError(missing);
  return askHidden(question);
}

/** The password for `account`: from NODESERVICE_PASSWORD, else a prompt. */
export function readPassword(account: string, source: SecretSource = {}): Promise<string> {
  const missing = `${account} needs a password: set ${PASSWORD_VARIABLE}, pass --password, or run from a console to be asked`;
  return readSecret(PASSWORD_VARIABLE, `Password for ${account}: `, missing, source);
}

/** The value of secret variable `name`: from the same variable of this console's environment, else a prompt. */
export function readSecretVariable(name: string, source: SecretSource = {}): Promise<string> {
  const missing = `--secret-env ${name} takes its value from the variable ${name} of this console: set it first, or run from a console to be asked`;
  return readSecret(name, `Value of ${name}: `, missing, source);
}
