/**
 * The string resources of a counter set: the names and descriptions Performance Monitor shows,
 * held by the resource-only DLL the manifest names as its `applicationIdentity`, under the ids CTRPP
 * gives them.
 *
 * The rule relied on, and where it comes from:
 * - Consumers do not read names from the manifest. lodctr /m: writes "the name of the binary file
 *   that contains the localized resource strings and resource IDs to the registry", "the full path
 *   to the binary containing the string resources for your provider (as specified in the
 *   applicationIdentity attribute of the manifest)"; applicationIdentity is "the name of the binary
 *   file that contains the localized resource strings ... (do not include the path)", looked for in
 *   lodctr's [path] argument; CTRPP writes the strings as an .rc string table ("The .rc file contains
 *   the strings for the counter names and descriptions"). learn.microsoft.com/windows/win32/perfctrs/
 *   performance-counters-schema, performance-counters-provider-complex-type, ctrpp.
 * - A manifest lists no string ids: counterman.xsd (published in performance-counters-schema)
 *   defines no per-string id attribute on counterSet or counter (no nameID or descriptionID). Its
 *   one id attribute is the provider's optional `resourceBase`, "the starting resource index value
 *   that CTRPP uses to generate the resource identifiers". So lodctr derives the ids from the
 *   manifest by CTRPP's numbering, which the documents do not spell out.
 * - CTRPP's numbering, as its output shows it (without resourceBase): four ids per element, in
 *   document order, the counter set first, then its counters: name = 1 + 4k, the same name again
 *   marked "{Locked} means don't localize" (the English name) = 2 + 4k, description = 3 + 4k,
 *   4 + 4k unused. Seen in two generated string tables: the Windows SDK 6.0 sample
 *   WinBase/WinNT/PerfCounter/PerflibV2SampleProvider.rc with its _r.h (two sets, seven counters:
 *   ids 1-3, 5-7, … 33-35), and HPX's examples/heartbeat/hpx_counters.rc from heartbeat.man
 *   (schemaVersion 1.1, one set and two counters: 1-3, 5-7, 9-11).
 * Our manifests therefore set no resourceBase and the DLL holds that layout. That lodctr on current
 * Windows records these same ids is not shown here: Wine's lodctr is a stub that keeps nothing.
 * @module
 */
import type { CounterSetDefinition } from './counter-set.ts';

/** The id of the counter set's name (CTRPP's first id when the manifest sets no resourceBase). */
const FIRST_STRING_ID = 1;
/** CTRPP's ids per element: name, {Locked} English name, description, one unused. */
const IDS_PER_ELEMENT = 4;
/** The most counters a set's strings fit in: string table ids are 16-bit. */
export const MAX_NAMED_COUNTERS = Math.floor((0xffff - FIRST_STRING_ID - 2) / IDS_PER_ELEMENT);

/** The string ids of an element (the counter set or a counter). */
export interface StringIds {
  /** The name consumers show (the one a translator would localize). */
  nameId: number;
  /** The same name, never localized: the English name. */
  englishNameId: number;
  descriptionId: number;
}

/** The string ids of element `index`: the set is 0, its counters 1… in declaration order. */
export function counterStringIds(index: number): StringIds {
  if (!Number.isInteger(index) || index < 0 || index > MAX_NAMED_COUNTERS)
    throw new Error(`a counter set's strings fit ${MAX_NAMED_COUNTERS} counters, not ${index}`);
  const nameId = FIRST_STRING_ID + IDS_PER_ELEMENT * index;
  return { nameId, englishNameId: nameId + 1, descriptionId: nameId + 2 };
}

/** Every string of a counter set under its id: the string table the counters DLL holds. */
export function counterStrings(definition: CounterSetDefinition): Array<{ id: number; text: string }> {
  return [definition, ...definition.counters].flatMap((element, index) => {
    const { nameId, englishNameId, descriptionId } = counterStringIds(index);
    return [
      { id: nameId, text: element.name },
      { id: englishNameId, text: element.name },
      { id: descriptionId, text: element.description },
    ];
  });
}
