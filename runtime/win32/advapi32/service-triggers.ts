/**
 * advapi32.dll, SERVICE_CONFIG_TRIGGER_INFO (level 8) of ChangeServiceConfig2W and
 * QueryServiceConfig2W, as blocks of bytes in native memory that does not move: the block's
 * pointers point into itself, so it is laid out (and read) at its own address by the pure
 * encoder in runtime/control/trigger-info.ts. The structs are declared to koffi too, and
 * {@link triggerStructLayout} reports koffi's x64 offsets so the control layer can check them
 * against the encoder's before the first call (a mismatch is an error, never a corrupt request).
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger_info
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import type { ScHandle } from './services.ts';
import { check, ErrorCode, lastError } from '../errors.ts';

/** SERVICE_CONFIG_TRIGGER_INFO. */
export const SERVICE_CONFIG_TRIGGER_INFO = 8;
/** More than 64 triggers of 64 items of 1024 bytes could need; a bound on what an answer may ask us to allocate. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const api = bindLibrary('advapi32.dll', (dll, k) => {
  k.struct('SERVICE_TRIGGER_SPECIFIC_DATA_ITEM', { dwDataType: 'uint32', cbData: 'uint32', pData: 'uint8_t *' });
  k.struct('SERVICE_TRIGGER', {
    dwTriggerType: 'uint32',
    dwAction: 'uint32',
    pTriggerSubtype: 'void *',
    cDataItems: 'uint32',
    pDataItems: 'SERVICE_TRIGGER_SPECIFIC_DATA_ITEM *',
  });
  k.struct('SERVICE_TRIGGER_INFO', { cTriggers: 'uint32', pTriggers: 'SERVICE_TRIGGER *', pReserved: 'uint8_t *' });
  return {
    k,
    ChangeServiceConfig2W: dll.func('bool __stdcall ChangeServiceConfig2W(void *service, uint32 level, void *info)'),
    QueryServiceConfig2W: dll.func(
      'bool __stdcall QueryServiceConfig2W(void *service, uint32 level, void *buffer, uint32 size, _Out_ uint32 *needed)',
    ),
  };
});

/** The sizes and offsets koffi gives the three structs (the x64 ABI's). */
export interface TriggerStructLayout {
  INFO_SIZE: number;
  INFO_TRIGGERS: number;
  INFO_RESERVED: number;
  TRIGGER_SIZE: number;
  TRIGGER_ACTION: number;
  TRIGGER_SUBTYPE: number;
  TRIGGER_DATA_COUNT: number;
  TRIGGER_DATA_ITEMS: number;
  ITEM_SIZE: number;
  ITEM_SIZE_FIELD: number;
  ITEM_DATA: number;
}

/** koffi's layout of SERVICE_TRIGGER_INFO, SERVICE_TRIGGER and SERVICE_TRIGGER_SPECIFIC_DATA_ITEM. */
export function triggerStructLayout(): TriggerStructLayout {
  const { k } = api();
  return {
    INFO_SIZE: k.sizeof('SERVICE_TRIGGER_INFO'),
    INFO_TRIGGERS: k.offsetof('SERVICE_TRIGGER_INFO', 'pTriggers'),
    INFO_RESERVED: k.offsetof('SERVICE_TRIGGER_INFO', 'pReserved'),
    TRIGGER_SIZE: k.sizeof('SERVICE_TRIGGER'),
    TRIGGER_ACTION: k.offsetof('SERVICE_TRIGGER', 'dwAction'),
    TRIGGER_SUBTYPE: k.offsetof('SERVICE_TRIGGER', 'pTriggerSubtype'),
    TRIGGER_DATA_COUNT: k.offsetof('SERVICE_TRIGGER', 'cDataItems'),
    TRIGGER_DATA_ITEMS: k.offsetof('SERVICE_TRIGGER', 'pDataItems'),
    ITEM_SIZE: k.sizeof('SERVICE_TRIGGER_SPECIFIC_DATA_ITEM'),
    ITEM_SIZE_FIELD: k.offsetof('SERVICE_TRIGGER_SPECIFIC_DATA_ITEM', 'cbData'),
    ITEM_DATA: k.offsetof('SERVICE_TRIGGER_SPECIFIC_DATA_ITEM', 'pData'),
  };
}

/** Runs `use` on `size` zeroed bytes of native memory at a fixed address, and frees them. */
function withNative<T>(size: number, use: (pointer: unknown, bytes: Buffer, address: bigint) => T): T {
  const { k } = api();
  const pointer = k.alloc('uint8_t', Math.max(size, 1));
  try {
    const bytes = Buffer.from(k.view(pointer, Math.max(size, 1)));
    bytes.fill(0);
    return use(pointer, bytes, k.address(pointer) as bigint);
  } finally {
    k.free(pointer);
  }
}

/**
 * ChangeServiceConfig2W(SERVICE_CONFIG_TRIGGER_INFO) with the block `encode` lays out at the
 * address it is given (`size` bytes). Needs CHANGE_CONFIG.
 */
export function setTriggerInfoBlock(service: ScHandle, size: number, encode: (address: bigint) => Uint8Array): void {
  withNative(size, (pointer, bytes, address) => {
    const block = encode(address);
    if (block.length !== size) throw new RangeError(`the trigger block is ${block.length} bytes, not the ${size} allocated`);
    bytes.set(block);
    check('ChangeServiceConfig2W', api().ChangeServiceConfig2W(service, SERVICE_CONFIG_TRIGGER_INFO, pointer) as boolean);
  });
}

/**
 * QueryServiceConfig2W(SERVICE_CONFIG_TRIGGER_INFO): the answer's bytes (copied out) and the
 * address they were at, which its pointers are relative to. Needs QUERY_CONFIG.
 */
export function queryTriggerInfoBlock(service: ScHandle): { block: Buffer; address: bigint } {
  let size = 1024;
  for (;;) {
    const needed = [0];
    // The last error is read at once, inside: freeing the memory must not come between.
    const answer = withNative(size, (pointer, bytes, address) =>
      api().QueryServiceConfig2W(service, SERVICE_CONFIG_TRIGGER_INFO, pointer, size, needed)
        ? { block: Buffer.from(bytes), address }
        : lastError('QueryServiceConfig2W'),
    );
    if (!(answer instanceof Error)) return answer;
    if (answer.code !== ErrorCode.ERROR_INSUFFICIENT_BUFFER || needed[0]! <= size || needed[0]! > MAX_ANSWER_BYTES) throw answer;
    size = needed[0]!;
  }
}
