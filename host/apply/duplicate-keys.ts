/**
 * Finds keys written twice in one JSON object. JSON.parse keeps the last silently, so a file with
 * two "web" entries would apply only one of them, and a setting written twice would apply the one
 * further down, with no word: apply refuses such a file instead. Runs on text JSON.parse has
 * already accepted, so it only has to walk valid JSON.
 * @module
 */
import { pathStep } from './json-schema.ts';

/** The JSON path of every key that repeats a key of the same object, in the order they appear. */
export function duplicateKeys(text: string): string[] {
  let at = 0;
  const found: string[] = [];
  const space = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const string = (): string => {
    const start = at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      const keys = new Set<string>();
      space();
      while (text[at] !== '}') {
        const key = string();
        const keyPath = `${path}${pathStep(key)}`;
        if (keys.has(key)) found.push(keyPath);
        keys.add(key);
        space();
        at++; // ':'
        value(keyPath);
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
    } else if (char === '[') {
      at++;
      space();
      for (let index = 0; text[at] !== ']'; index++) {
        value(`${path}[${index}]`);
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
    } else if (char === '"') {
      string();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at]!)) at++;
    }
  };
  value('$');
  return found;
}
