/**
 * The binary of an RT_MESSAGETABLE resource, MESSAGE_RESOURCE_DATA: a count of blocks, one block
 * (LowId, HighId, OffsetToEntries) per run of consecutive ids, then the entries, each a
 * MESSAGE_RESOURCE_ENTRY (Length, Flags, Text) padded to 4 bytes.
 * https://learn.microsoft.com/windows/win32/api/winnt/ns-winnt-message_resource_data
 * @module
 */

/** One message of a table: its 32-bit id and its text. */
export interface TableEntry {
  id: number;
  text: string;
}

const BLOCK_SIZE = 12;
const ENTRY_HEADER_SIZE = 4;
/** MESSAGE_RESOURCE_UNICODE: the entry's text is UTF-16LE. */
const UNICODE_FLAG = 0x1;

function align4(size: number): number {
  return (size + 3) & ~3;
}

/** Encodes entries (any order, unique ids) as MESSAGE_RESOURCE_DATA with Unicode texts. */
export function encodeMessageTable(entries: readonly TableEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => a.id - b.id);
  const blocks: TableEntry[][] = [];
  for (const entry of sorted) {
    const block = blocks.at(-1);
    if (block && block.at(-1)!.id + 1 === entry.id) block.push(entry);
    else blocks.push([entry]);
  }
  const texts = sorted.map((entry) => Buffer.from(`${entry.text}\0`, 'utf16le'));
  const header = Buffer.alloc(4 + blocks.length * BLOCK_SIZE);
  header.writeUInt32LE(blocks.length, 0);
  const parts: Buffer[] = [header];
  let offset = header.length;
  let index = 0;
  blocks.forEach((block, blockIndex) => {
    header.writeUInt32LE(block[0]!.id, 4 + blockIndex * BLOCK_SIZE);
    header.writeUInt32LE(block.at(-1)!.id, 8 + blockIndex * BLOCK_SIZE);
    header.writeUInt32LE(offset, 12 + blockIndex * BLOCK_SIZE);
    for (let i = 0; i < block.length; i++, index++) {
      const text = texts[index]!;
      const length = ENTRY_HEADER_SIZE + align4(text.length);
      if (length > 0xffff)
        throw new Error(`message 0x${block[i]!.id.toString(16)} is too long for a message table (${length} bytes, at most 65535)`);
      const entry = Buffer.alloc(length);
      entry.writeUInt16LE(length, 0);
      entry.writeUInt16LE(UNICODE_FLAG, 2);
      text.copy(entry, ENTRY_HEADER_SIZE);
      parts.push(entry);
      offset += length;
    }
  });
  return Buffer.concat(parts);
}

/** Decodes MESSAGE_RESOURCE_DATA (Unicode or ANSI entries) into entries in id order. */
export function decodeMessageTable(data: Buffer): TableEntry[] {
  const entries: TableEntry[] = [];
  const blockCount = data.readUInt32LE(0);
  for (let b = 0; b < blockCount; b++) {
    const low = data.readUInt32LE(4 + b * BLOCK_SIZE);
    const high = data.readUInt32LE(8 + b * BLOCK_SIZE);
    let offset = data.readUInt32LE(12 + b * BLOCK_SIZE);
    for (let id = low; id <= high; id++) {
      const length = data.readUInt16LE(offset);
      const flags = data.readUInt16LE(offset + 2);
      const raw = data.subarray(offset + ENTRY_HEADER_SIZE, offset + length);
      const text = flags & UNICODE_FLAG ? raw.toString('utf16le') : raw.toString('latin1');
      entries.push({ id, text: text.replace(/\0+$/, '') });
      offset += length;
    }
  }
  return entries;
}
