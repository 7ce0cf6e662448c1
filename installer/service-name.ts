/**
 * The Service Control Manager's rules for a service name, checked before anything is written so a
 * bad name gets a sentence instead of "CreateServiceW: General failure (31)" (issue 15, item 10).
 * The rules are CreateServiceW's: at most 256 characters, no '/' or '\'. NodeService also refuses
 * what the SCM would accept but nobody can type back reliably: an empty name, leading or trailing
 * spaces, and control characters.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-createservicew
 * @module
 */

/** The longest service name CreateServiceW accepts. */
export const MAX_SERVICE_NAME_LENGTH = 256;

/** What is wrong with `name` as a service name, or undefined when it is fine. */
export function serviceNameProblem(name: string): string | undefined {
  if (name === '') return 'a service name cannot be empty';
  if (name.length > MAX_SERVICE_NAME_LENGTH)
    return `a service name has at most ${MAX_SERVICE_NAME_LENGTH} characters (this one has ${name.length})`;
  if (name.trim() !== name) return `'${name}' cannot be a service name: it starts or ends with a space`;
  if (/[\\/]/.test(name)) return `'${name}' cannot be a service name: it contains a slash or backslash`;
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this keeps out
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${JSON.stringify(name)} cannot be a service name: it contains a control character`;
  return undefined;
}

/** Throws (an Error, or what `toError` makes of the message) when `name` breaks the SCM's rules. */
export function checkServiceName(name: string, toError: (message: string) => Error = (message) => new Error(message)): void {
  const problem = serviceNameProblem(name);
  if (problem !== undefined) throw toError(problem);
}
