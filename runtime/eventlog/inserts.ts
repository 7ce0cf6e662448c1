/**
 * The Event Log's limit on insert strings: ReportEventW refuses (ERROR_INVALID_PARAMETER) an entry
 * with an insert longer than 31,839 characters, so a long stack trace would make the entry vanish.
 * Inserts are cut to fit, with a visible mark saying how long the text was (issue 15, item 9).
 * Pure code, so it is unit-tested anywhere.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-reporteventw
 * @module
 */

/** The most characters (UTF-16 code units) ReportEventW takes in one insert string. */
export const MAX_INSERT_LENGTH = 31_839;

/** `text`, cut to at most `max` UTF-16 code units with a mark at the end when it was longer. */
export function fitInsert(text: string, max = MAX_INSERT_LENGTH): string {
  if (text.length <= max) return text;
  const mark = ` […truncated: ${text.length} characters in all]`;
  let end = Math.max(0, max - mark.length);
  // Never cut a surrogate pair in two: a lone high surrogate would become U+FFFD.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${mark}`;
}

/** Every insert of an entry cut to fit (see {@link fitInsert}). */
export function fitInserts(inserts: readonly string[], max = MAX_INSERT_LENGTH): string[] {
  return inserts.map((insert) => fitInsert(insert, max));
}
