/**
 * A small JSON Schema validator for the subset of draft 2020-12 that schema/nodeservice.schema.json
 * uses. `apply` checks its file against that very schema (bundled into host.exe), so the published
 * schema and what host.exe accepts cannot drift apart; a schema keyword this code does not know is
 * refused (see SUPPORTED_KEYWORDS and its unit test) instead of being silently ignored. It is a
 * few dozen lines rather than a dependency because host.exe stays a single small file and its
 * messages must name the JSON path in the user's terms.
 * @module
 */

/** A JSON Schema (the subset supported here). */
export type Schema = { [keyword: string]: unknown };

/** One thing wrong with a document: where (a JSON path such as `$.services.web.logKeep`) and what. */
export interface SchemaError {
  path: string;
  message: string;
}

/** The keywords this validator checks, and the annotations it knows and ignores. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'maxLength',
  'pattern',
  'anyOf',
  '$ref',
  '$defs',
  '$schema',
  'title',
  'description',
]);

/** Every keyword `schema` uses (recursively) that this validator does not support. */
export function unsupportedKeywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) unsupportedKeywords(item, found);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return found;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) found.add(keyword);
    // Property names under `properties` and `$defs` are names, not keywords: look inside their schemas.
    if (keyword === 'properties' || keyword === '$defs') for (const sub of Object.values(value as object)) unsupportedKeywords(sub, found);
    else if (keyword !== 'enum' && keyword !== 'const' && keyword !== 'required') unsupportedKeywords(value, found);
  }
  return found;
}

/** A property name as a JSON path step: `.name`, or `["odd name"]` when it is not an identifier. */
export function pathStep(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function describeRange(schema: Schema): string {
  const {
    minimum: min,
    maximum: max,
    exclusiveMinimum: above,
  } = schema as { minimum?: number; maximum?: number; exclusiveMinimum?: number };
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (above !== undefined && max !== undefined) return ` above ${above}, at most ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (above !== undefined) return ` > ${above}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** What `schema` accepts, in words, for "must be …" messages. */
function describe(schema: Schema, resolve: (ref: string) => Schema): string {
  if (typeof schema.$ref === 'string') return describe({ ...resolve(schema.$ref), ...schema, $ref: undefined }, resolve);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map((branch) => describe(branch, resolve)).join(' or ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${(schema.enum as unknown[]).map((item) => JSON.stringify(item)).join(', ')}`;
  const type = schema.type as string | undefined;
  if (type === 'integer' || type === 'number') return `${ARTICLES[type]}${describeRange(schema)}`;
  if (type === 'string') {
    const { minLength, maxLength } = schema as { minLength?: number; maxLength?: number };
    const length = minLength === 1 && maxLength === undefined ? 'a non-empty string' : 'a string';
    return schema.pattern ? `${length} matching ${schema.pattern as string}` : length;
  }
  return type ? (ARTICLES[type] ?? type) : 'a valid value';
}

/** Checks `value` against `root`; returns every error found (empty when it is valid). */
export function validate(value: unknown, root: Schema): SchemaError[] {
  const resolve = (ref: string): Schema => {
    const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = match && (root.$defs as Record<string, Schema> | undefined)?.[match[1]!];
    if (!target) throw new Error(`the schema refers to ${ref}, which it does not define`);
    return target;
  };
  const errors: SchemaError[] = [];
  check(value, root, '$', errors, resolve);
  return errors;
}

function check(value: unknown, schema: Schema, at: string, errors: SchemaError[], resolve: (ref: string) => Schema): void {
  if (typeof schema.$ref === 'string') {
    check(value, resolve(schema.$ref), at, errors, resolve);
    // Keywords beside $ref (annotations here) add to it.
  }
  const fail = () => errors.push({ path: at, message: `must be ${describe(schema, resolve)}` });
  if (Array.isArray(schema.anyOf)) {
    const matches = (schema.anyOf as Schema[]).some((branch) => {
      const branchErrors: SchemaError[] = [];
      check(value, branch, at, branchErrors, resolve);
      return branchErrors.length === 0;
    });
    if (!matches) fail();
    return;
  }
  if ('const' in schema && value !== schema.const) return void fail();
  if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).includes(value)) return void fail();
  if (typeof schema.type === 'string' && !hasType(value, schema.type)) return void fail();
  if (typeof value === 'number') {
    const { minimum, maximum, exclusiveMinimum } = schema as { minimum?: number; maximum?: number; exclusiveMinimum?: number };
    if (
      (minimum !== undefined && value < minimum) ||
      (maximum !== undefined && value > maximum) ||
      (exclusiveMinimum !== undefined && value <= exclusiveMinimum)
    )
      return void fail();
  }
  if (typeof value === 'string') {
    const { minLength, maxLength, pattern } = schema as { minLength?: number; maxLength?: number; pattern?: string };
    if (minLength !== undefined && value.length < minLength) {
      return void errors.push({ path: at, message: minLength === 1 ? 'must not be empty' : `must have at least ${minLength} characters` });
    }
    if (maxLength !== undefined && value.length > maxLength)
      return void errors.push({ path: at, message: `must have at most ${maxLength} characters (it has ${value.length})` });
    if (pattern !== undefined && !new RegExp(pattern, 'u').test(value)) return void fail();
  }
  if (Array.isArray(value)) {
    const { maxItems, items } = schema as { maxItems?: number; items?: Schema };
    if (maxItems !== undefined && value.length > maxItems) errors.push({ path: at, message: `must have at most ${maxItems} items` });
    if (items) {
      for (const [index, item] of value.entries()) check(item, items, `${at}[${index}]`, errors, resolve);
    }
  }
  if (typeOf(value) === 'object') checkObject(value as Record<string, unknown>, schema, at, errors, resolve);
}

function checkObject(
  value: Record<string, unknown>,
  schema: Schema,
  at: string,
  errors: SchemaError[],
  resolve: (ref: string) => Schema,
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) errors.push({ path: at, message: `must have "${name}"` });
  }
  for (const [name, item] of Object.entries(value)) {
    const itemPath = `${at}${pathStep(name)}`;
    if (schema.propertyNames) {
      const nameErrors: SchemaError[] = [];
      check(name, schema.propertyNames as Schema, itemPath, nameErrors, resolve);
      if (nameErrors.length) errors.push({ path: itemPath, message: `is not an accepted name: the name ${nameErrors[0]!.message}` });
    }
    const own = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (own) check(item, own, itemPath, errors, resolve);
    else if (schema.additionalProperties === false) {
      const known = Object.keys(properties).filter((key) => key !== '$schema');
      errors.push({ path: itemPath, message: `is not a setting NodeService knows (known: ${known.join(', ')})` });
    } else if (typeof schema.additionalProperties === 'object')
      check(item, schema.additionalProperties as Schema, itemPath, errors, resolve);
  }
}
