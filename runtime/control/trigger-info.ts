/**
 * SERVICE_TRIGGER_INFO as bytes, in its x64 layout, and back: pure functions, so the layout is
 * unit-tested on buffers built by hand without Windows, and the SCM's answer is read by the same
 * code that writes the request. Every pointer in the block points into the block itself (the
 * encoder lays out the trigger array, the subtype GUIDs, the data items and their data after the
 * header, at the address the caller will put the block at; QueryServiceConfig2W lays out its
 * answer inside the caller's buffer the same way), so the block is one allocation with no owner
 * but its caller. runtime/win32/advapi32/service-triggers.ts checks koffi's view of the structs
 * against the offsets here.
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger_info
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger_specific_data_item
 * @module
 */
import { guidBytes, guidFromBytes } from '../perf/guid.ts';

/** One trigger with the SCM's numbers: SERVICE_TRIGGER, its subtype GUID and its data items. */
export interface RawTrigger {
  /** dwTriggerType (SERVICE_TRIGGER_TYPE_*). */
  type: number;
  /** dwAction (SERVICE_TRIGGER_ACTION_SERVICE_START 1, _STOP 2). */
  action: number;
  /** *pTriggerSubtype, lower case without braces. */
  subtype: string;
  data: RawTriggerData[];
}

/** SERVICE_TRIGGER_SPECIFIC_DATA_ITEM: dwDataType (SERVICE_TRIGGER_DATA_TYPE_*) and the cbData bytes at pData. */
export interface RawTriggerData {
  type: number;
  bytes: Uint8Array;
}

/**
 * The x64 layout (winsvc.h, natural alignment): SERVICE_TRIGGER_INFO { DWORD cTriggers; 4 pad;
 * SERVICE_TRIGGER *pTriggers @8; PBYTE pReserved @16 } = 24; SERVICE_TRIGGER { DWORD
 * dwTriggerType; DWORD dwAction @4; GUID *pTriggerSubtype @8; DWORD cDataItems @16; 4 pad;
 * SERVICE_TRIGGER_SPECIFIC_DATA_ITEM *pDataItems @24 } = 32; SERVICE_TRIGGER_SPECIFIC_DATA_ITEM
 * { DWORD dwDataType; DWORD cbData @4; PBYTE pData @8 } = 16.
 */
export const TriggerLayout = {
  INFO_SIZE: 24,
  INFO_COUNT: 0,
  INFO_TRIGGERS: 8,
  INFO_RESERVED: 16,
  TRIGGER_SIZE: 32,
  TRIGGER_TYPE: 0,
  TRIGGER_ACTION: 4,
  TRIGGER_SUBTYPE: 8,
  TRIGGER_DATA_COUNT: 16,
  TRIGGER_DATA_ITEMS: 24,
  ITEM_SIZE: 16,
  ITEM_TYPE: 0,
  ITEM_SIZE_FIELD: 4,
  ITEM_DATA: 8,
  GUID_SIZE: 16,
} as const;

/** The SCM's limits (MS-SCMR 2.2.52–2.2.54): triggers per service, data items per trigger, bytes per item. */
export const TriggerLimits = { TRIGGERS: 64, DATA_ITEMS: 64, DATA_BYTES: 1024 } as const;

const L = TriggerLayout;

const align8 = (n: number) => (n + 7) & ~7;

/** The bytes {@link encodeTriggerInfo} needs for `triggers`. */
export function triggerInfoSize(triggers: readonly RawTrigger[]): number {
  let size = L.INFO_SIZE + triggers.length * L.TRIGGER_SIZE + triggers.length * L.GUID_SIZE;
  for (const trigger of triggers) {
    size += trigger.data.length * L.ITEM_SIZE;
    for (const item of trigger.data) size += align8(item.bytes.length);
  }
  return size;
}

/**
 * SERVICE_TRIGGER_INFO for `triggers`, laid out to sit at address `base`: the header, the
 * SERVICE_TRIGGER array, the GUIDs, then each trigger's data items and data (8-byte aligned).
 * No triggers gives cTriggers 0 and a null pTriggers, which removes a service's triggers.
 */
export function encodeTriggerInfo(triggers: readonly RawTrigger[], base: bigint): Buffer {
  const block = Buffer.alloc(triggerInfoSize(triggers));
  const at = (offset: number) => base + BigInt(offset);
  block.writeUInt32LE(triggers.length, L.INFO_COUNT);
  if (triggers.length) block.writeBigUInt64LE(at(L.INFO_SIZE), L.INFO_TRIGGERS);
  let next = L.INFO_SIZE + triggers.length * L.TRIGGER_SIZE;
  triggers.forEach((trigger, i) => {
    const entry = L.INFO_SIZE + i * L.TRIGGER_SIZE;
    block.writeUInt32LE(trigger.type >>> 0, entry + L.TRIGGER_TYPE);
    block.writeUInt32LE(trigger.action >>> 0, entry + L.TRIGGER_ACTION);
    guidBytes(trigger.subtype).copy(block, next);
    block.writeBigUInt64LE(at(next), entry + L.TRIGGER_SUBTYPE);
    next += L.GUID_SIZE;
    block.writeUInt32LE(trigger.data.length, entry + L.TRIGGER_DATA_COUNT);
    if (!trigger.data.length) return;
    const items = next;
    block.writeBigUInt64LE(at(items), entry + L.TRIGGER_DATA_ITEMS);
    next += trigger.data.length * L.ITEM_SIZE;
    trigger.data.forEach((item, j) => {
      const slot = items + j * L.ITEM_SIZE;
      block.writeUInt32LE(item.type >>> 0, slot + L.ITEM_TYPE);
      block.writeUInt32LE(item.bytes.length, slot + L.ITEM_SIZE_FIELD);
      if (item.bytes.length) block.writeBigUInt64LE(at(next), slot + L.ITEM_DATA);
      block.set(item.bytes, next);
      next += align8(item.bytes.length);
    });
  });
  return block;
}

/**
 * The triggers in a SERVICE_TRIGGER_INFO block that sits at address `base` (QueryServiceConfig2W's
 * answer): every pointer must point inside the block and every count stay within the SCM's
 * limits, else a RangeError says which.
 */
export function decodeTriggerInfo(block: Uint8Array, base: bigint): RawTrigger[] {
  const view = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const need = (offset: number, length: number, what: string) => {
    if (offset < 0 || offset + length > view.length)
      throw new RangeError(`SERVICE_TRIGGER_INFO: ${what} (${length} bytes at ${offset}) is outside the ${view.length}-byte block`);
  };
  const pointer = (offset: number, length: number, what: string): number | undefined => {
    need(offset, 8, what);
    const address = view.readBigUInt64LE(offset);
    if (address === 0n) return undefined;
    const target = address - base;
    if (target < 0n || target > BigInt(view.length)) throw new RangeError(`SERVICE_TRIGGER_INFO: ${what} points outside the block`);
    need(Number(target), length, what);
    return Number(target);
  };
  need(0, L.INFO_SIZE, 'the header');
  const count = view.readUInt32LE(L.INFO_COUNT);
  if (count > TriggerLimits.TRIGGERS)
    throw new RangeError(`SERVICE_TRIGGER_INFO: ${count} triggers, more than the SCM's ${TriggerLimits.TRIGGERS}`);
  if (count === 0) return [];
  const array = pointer(L.INFO_TRIGGERS, count * L.TRIGGER_SIZE, 'pTriggers');
  if (array === undefined) throw new RangeError(`SERVICE_TRIGGER_INFO: ${count} triggers and a null pTriggers`);
  return Array.from({ length: count }, (_, i) => {
    const entry = array + i * L.TRIGGER_SIZE;
    const subtype = pointer(entry + L.TRIGGER_SUBTYPE, L.GUID_SIZE, `trigger ${i}'s pTriggerSubtype`);
    const items = view.readUInt32LE(entry + L.TRIGGER_DATA_COUNT);
    if (items > TriggerLimits.DATA_ITEMS)
      throw new RangeError(`SERVICE_TRIGGER_INFO: trigger ${i} has ${items} data items, more than the SCM's ${TriggerLimits.DATA_ITEMS}`);
    const itemArray = items ? pointer(entry + L.TRIGGER_DATA_ITEMS, items * L.ITEM_SIZE, `trigger ${i}'s pDataItems`) : undefined;
    if (items && itemArray === undefined)
      throw new RangeError(`SERVICE_TRIGGER_INFO: trigger ${i} has ${items} data items and a null pDataItems`);
    const data = Array.from({ length: items }, (_, j): RawTriggerData => {
      const slot = itemArray! + j * L.ITEM_SIZE;
      const size = view.readUInt32LE(slot + L.ITEM_SIZE_FIELD);
      if (size > TriggerLimits.DATA_BYTES)
        throw new RangeError(
          `SERVICE_TRIGGER_INFO: trigger ${i}'s data item ${j} has ${size} bytes, more than the SCM's ${TriggerLimits.DATA_BYTES}`,
        );
      const start = size ? pointer(slot + L.ITEM_DATA, size, `trigger ${i}'s data item ${j}`) : undefined;
      return {
        type: view.readUInt32LE(slot + L.ITEM_TYPE),
        bytes: start === undefined ? new Uint8Array(0) : new Uint8Array(view.subarray(start, start + size)),
      };
    });
    return {
      type: view.readUInt32LE(entry + L.TRIGGER_TYPE),
      action: view.readUInt32LE(entry + L.TRIGGER_ACTION),
      subtype: subtype === undefined ? '00000000-0000-0000-0000-000000000000' : guidFromBytes(view, subtype),
      data,
    };
  });
}
