/**
 * Counter paths, `\\Machine\Object(Parent/Instance#Index)\Counter`, parsed and built in TS, as
 * PdhParseCounterPathW and PdhMakeCounterPathW do: pure code, so paths are handled (and tested)
 * the same everywhere, Wine included, whose pdh.dll lacks the parser (a spec stub that ends the
 * process) and builds `#0` into every instance (Windows leaves index 0 out).
 * https://learn.microsoft.com/windows/win32/perfctrs/specifying-a-counter-path
 * @module
 */

/** A counter path's parts (PDH_COUNTER_PATH_ELEMENTS). `*` in object, instance or counter is a wildcard. */
export interface CounterPathElements {
  /** Without the leading `\\`; absent: this machine. */
  machine?: string;
  object: string;
  /** The parent instance (`Parent/Instance`), e.g. a thread's process. */
  parent?: string;
  instance?: string;
  /** Which of several instances of the same name (`#1`…); absent or 0: the first. */
  index?: number;
  counter: string;
}

/** PDH_MAX_COUNTER_PATH: the longest path PDH takes, in characters. */
export const MAX_COUNTER_PATH = 2048;
const MAX_INDEX = 0xffff_ffff;

/** A path that is not a counter path: says what is wrong with it. */
export class CounterPathError extends Error {
  constructor(path: string, reason: string) {
    const shown = path.length > 80 ? `${path.slice(0, 80)}…` : path;
    super(`'${shown}' is not a counter path: ${reason}`);
    this.name = 'CounterPathError';
  }
}

/** Whether `text` holds a character below U+0020 (NUL, line ends, tabs…), which no path part may. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

function checkText(path: string): void {
  if (typeof path !== 'string' || path === '') throw new CounterPathError(String(path), 'it is empty');
  if (path.length > MAX_COUNTER_PATH) throw new CounterPathError(path, `it is longer than ${MAX_COUNTER_PATH} characters`);
  if (hasControlCharacter(path)) throw new CounterPathError(path, 'it holds a control character');
}

/** Splits `Parent/Instance#Index`: the parent ends at the first `/`, a trailing `#digits` is the index. */
function parseInstance(path: string, text: string): Pick<CounterPathElements, 'parent' | 'instance' | 'index'> {
  let rest = text;
  let parent: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    parent = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
    if (parent === '') throw new CounterPathError(path, 'the parent instance before "/" is empty');
  }
  let index: number | undefined;
  const numbered = /#(\d+)$/.exec(rest);
  if (numbered) {
    index = Number(numbered[1]);
    if (index > MAX_INDEX) throw new CounterPathError(path, `instance index ${numbered[1]} is larger than ${MAX_INDEX}`);
    rest = rest.slice(0, numbered.index);
  }
  if (rest === '') throw new CounterPathError(path, 'the instance name is empty');
  return { ...(parent !== undefined && { parent }), instance: rest, ...(index !== undefined && { index }) };
}

/**
 * Parses a counter path. The counter is what follows the last `\`; an instance is what the
 * object's first `(` opens and the last `)` before that `\` closes, so instance names may hold
 * parentheses (`\Process(app (x86))\% Processor Time`) and counter names slashes.
 */
export function parseCounterPath(path: string): CounterPathElements {
  checkText(path);
  let rest = path;
  let machine: string | undefined;
  if (rest.startsWith('\\\\')) {
    const end = rest.indexOf('\\', 2);
    if (end === -1) throw new CounterPathError(path, 'it names a machine but no object');
    machine = rest.slice(2, end);
    if (machine === '') throw new CounterPathError(path, 'the machine name after "\\\\" is empty');
    rest = rest.slice(end);
  }
  if (!rest.startsWith('\\')) throw new CounterPathError(path, 'it must start with "\\" (or "\\\\machine\\")');
  const last = rest.lastIndexOf('\\');
  if (last === 0) throw new CounterPathError(path, 'it has no counter: "\\Object\\Counter"');
  const counter = rest.slice(last + 1);
  if (counter === '') throw new CounterPathError(path, 'the counter name is empty');
  const objectPart = rest.slice(1, last);
  const open = objectPart.indexOf('(');
  let object = objectPart;
  let instance: Pick<CounterPathElements, 'parent' | 'instance' | 'index'> = {};
  if (open !== -1) {
    if (!objectPart.endsWith(')')) throw new CounterPathError(path, 'the instance has "(" but does not end with ")"');
    object = objectPart.slice(0, open);
    instance = parseInstance(path, objectPart.slice(open + 1, -1));
  } else if (objectPart.includes(')')) {
    throw new CounterPathError(path, 'the object has ")" without "("');
  }
  if (object === '') throw new CounterPathError(path, 'the object name is empty');
  if (object.includes('\\')) throw new CounterPathError(path, `the object name '${object}' holds "\\"`);
  return { ...(machine !== undefined && { machine }), object, ...instance, counter };
}

function checkPart(what: string, value: string | undefined, forbidden: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value === '') throw new Error(`a counter path's ${what} must be a non-empty string`);
  if (hasControlCharacter(value) || [...forbidden].some((character) => value.includes(character))) {
    throw new Error(
      `a counter path's ${what} '${value}' holds a character it cannot hold (a control character or one of ${forbidden || 'none'})`,
    );
  }
}

/** Builds the path of `elements`, as PdhMakeCounterPathW does on Windows (index 0 is left out). */
export function makeCounterPath(elements: CounterPathElements): string {
  checkPart('machine', elements.machine, '\\');
  checkPart('object', elements.object, '\\()');
  checkPart('counter', elements.counter, '\\');
  checkPart('instance', elements.instance, '');
  checkPart('parent instance', elements.parent, '/');
  if (elements.object === undefined || elements.counter === undefined) throw new Error('a counter path needs an object and a counter');
  if (elements.parent !== undefined && elements.instance === undefined)
    throw new Error('a counter path with a parent instance needs an instance');
  const index = elements.index ?? 0;
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX)
    throw new Error(`a counter path's instance index must be 0…${MAX_INDEX}, not ${index}`);
  if (index > 0 && elements.instance === undefined) throw new Error('a counter path with an instance index needs an instance');
  let instance = '';
  if (elements.instance !== undefined) {
    instance = `(${elements.parent !== undefined ? `${elements.parent}/` : ''}${elements.instance}${index > 0 ? `#${index}` : ''})`;
  }
  const path = `${elements.machine !== undefined ? `\\\\${elements.machine}` : ''}\\${elements.object}${instance}\\${elements.counter}`;
  if (path.length > MAX_COUNTER_PATH) throw new Error(`the counter path would be longer than ${MAX_COUNTER_PATH} characters`);
  return path;
}

/** Whether a path has a wildcard (`*`) for PDH to expand. */
export function hasWildcard(path: string): boolean {
  return path.includes('*');
}
