/**
 * A small strict XML parser: elements, attributes, comments, the declaration and character
 * references; throws on anything malformed (mismatched tags, a raw `<` or `&` in an attribute,
 * duplicate attributes, text outside the root). It reads the Event schema XML that wevtapi renders
 * (eventlog/event-xml.ts) and, in the tests, the perf manifests and MSI sources NodeService writes.
 * No DTDs, no CDATA, no external entities: none of those documents have them, and refusing them
 * keeps the parser small and safe on input from elsewhere.
 * @module
 */

/** An element: its name, attributes (entities decoded) and child elements. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  if (text.includes('<')) throw new Error(`raw '<' in attribute value near ${at}`);
  return text.replace(/&([^;]*);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`raw '&' near ${at}`);
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`unknown entity ${whole} near ${at}`);
    return value;
  });
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const skipSpace = () => {
    while (/\s/.test(source[at] ?? '')) at++;
  };
  const name = () => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) throw new Error(`expected a name at ${at}`);
    at += match[0].length;
    return match[0];
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at + 4);
        if (end === -1) throw new Error('unterminated comment');
        if (source.slice(at + 4, end).includes('--')) throw new Error(`'--' inside a comment at ${at}`);
        at = end + 3;
      } else if (source.startsWith('<?', at)) {
        const end = source.indexOf('?>', at);
        if (end === -1) throw new Error('unterminated processing instruction');
        at = end + 2;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') throw new Error(`expected '<' at ${at}`);
    at++;
    const result: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return result;
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      const attribute = name();
      skipSpace();
      if (source[at] !== '=') throw new Error(`expected '=' after ${attribute} at ${at}`);
      at++;
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") throw new Error(`expected a quoted value for ${attribute} at ${at}`);
      const end = source.indexOf(quote, at + 1);
      if (end === -1) throw new Error(`unterminated value of ${attribute}`);
      if (Object.hasOwn(result.attributes, attribute)) throw new Error(`duplicate attribute ${attribute} at ${at}`);
      result.attributes[attribute] = decode(source.slice(at + 1, end), at);
      at = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next === -1) throw new Error(`unclosed <${result.name}>`);
      result.text += decode(source.slice(at, next), at);
      at = next;
      if (source.startsWith('</', at)) {
        at += 2;
        const closing = name();
        if (closing !== result.name) throw new Error(`</${closing}> closes <${result.name}> at ${at}`);
        skipSpace();
        if (source[at] !== '>') throw new Error(`expected '>' at ${at}`);
        at++;
        return result;
      }
      if (source.startsWith('<!--', at)) skipMisc();
      else result.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (at !== source.length) throw new Error(`content after the root element at ${at}`);
  return root;
}
