/**
 * The string resources of a counter set: the names and descriptions Performance Monitor shows,
 * numbered from the manifest provider's `resourceBase`, held by the resource-only DLL the manifest
 * names as its `applicationIdentity`.
 *
 * The rule relied on, and where it comes from (learn.microsoft.com/windows/win32/perfctrs/…):
 * - Consumers do not read names from the manifest. lodctr /m: writes "the name of the binary file
 *   that contains the localized resource strings and resource IDs to the registry", "the full path
 *   to the binary containing the string resources for your provider (as specified in the
 *   applicationIdentity attribute of the manifest)" (performance-counters-schema). applicationIdentity
 *   is "the name of the binary file that contains the localized resource strings ... (do not include
 *   the path)", looked for in lodctr's [path] argument (performance-counters-provider-complex-type).
 *   CTRPP writes those strings as an .rc string table: "The .rc file contains the strings for the
 *   counter names and descriptions" (ctrpp).
 * - The only id the schema lets a manifest set is the provider's `resourceBase`: "Defines the
 *   starting resource index value that CTRPP uses to generate the resource identifiers"
 *   (performance-counters-provider-complex-type). counterman.xsd as published in
 *   performance-counters-schema defines no per-string id on counterSet or counter (no nameID or
 *   descriptionID attribute), so ids are implied by the manifest, never listed in it.
 * - The order CTRPP numbers in from resourceBase is not documented. We number in document order,
 *   two strings per element, the set first: set name = resourceBase, set description =
 *   resourceBase + 1, counter k (1…) name = resourceBase + 2k, description = resourceBase + 2k + 1.
 *   That lodctr computes the same ids is an assumption no Wine test can check (Wine's lodctr is a stub).
 * @module
 */
import type { CounterSetDefinition } from './counter-set.ts';

/** The provider's `resourceBase`: the id of the set's name (string ids start at 1; 0 is no string). */
export const COUNTER_STRINGS_BASE = 1;
/** The most counters a set's strings fit in: string table ids are 16-bit. */
export const MAX_NAMED_COUNTERS = Math.floor((0xffff - COUNTER_STRINGS_BASE - 1) / 2);

/** The ids of an element's name and description. */
export interface StringIds {
  nameId: number;
  descriptionId: number;
}

/** The string ids of element `index`: the set is 0, its counters 1… in declaration order. */
export function counterStringIds(index: number): StringIds {
  if (!Number.isInteger(index) || index < 0 || index > MAX_NAMED_COUNTERS) throw new Error(`a counter set's strings fit ${MAX_NAMED_COUNTERS} counters, not ${index}`);
  const nameId = COUNTER_STRINGS_BASE + 2 * index;
  return { nameId, descriptionId: nameId + 1 };
}

/** Every string of a counter set under its id: the string table the counters DLL holds. */
export function counterStrings(definition: CounterSetDefinition): Array<{ id: number; text: string }> {
  return [definition, ...definition.counters].flatMap((element, index) => {
    const { nameId, descriptionId } = counterStringIds(index);
    return [
      { id: nameId, text: element.name },
      { id: descriptionId, text: element.description },
    ];
  });
}
