/**
 * Writes a Microsoft cabinet (MS-CAB) that stores its files uncompressed, in pure TypeScript: the
 * start of `host.exe package` (issue 18), whose MSI carries a service's files in a cabinet. Windows
 * has no wixl, and cabinet.dll's FCI would need a dozen koffi callbacks for what is, without
 * compression, a header, one folder, the file entries and 32 KiB data blocks; an MSI's cabinet
 * names each file by its File table key and holds them in File.Sequence order.
 * Limits are the format's: at most 65535 files and 65535 data blocks (2 GiB) in the one folder.
 * See https://learn.microsoft.com/en-us/previous-versions/bb417343(v=msdn.10) (Microsoft Cabinet Format).
 * @module
 */

/** One file in the cabinet. */
export interface CabinetFile {
  /** Its name in the cabinet (for an MSI: the File table key). */
  name: string;
  data: Uint8Array;
  /** Its time stamp (DOS time, local fields, 2-second resolution). */
  modified?: Date;
}

/** The largest CFDATA block's uncompressed size. */
export const CAB_BLOCK_SIZE = 0x8000;

const HEADER_SIZE = 36;
const FOLDER_SIZE = 8;
const FILE_ENTRY_SIZE = 16;
const DATA_HEADER_SIZE = 8;
const MAX_COUNT = 0xffff;
/** CFFILE.attribs: archive, and the name is UTF-8 (_A_NAME_IS_UTF). */
const ATTRIB_ARCHIVE = 0x20;
const ATTRIB_NAME_IS_UTF = 0x80;
const COMPRESS_NONE = 0;

/** The cabinet checksum of `bytes` (MS-CAB's CSUMCompute), starting from `seed`. */
export function cabChecksum(bytes: Uint8Array, seed = 0): number {
  let sum = seed >>> 0;
  const words = bytes.length >>> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < words; index++) sum = (sum ^ view.getUint32(index * 4, true)) >>> 0;
  // The remaining 1–3 bytes go in high byte first, as the reference implementation's switch does.
  let tail = 0;
  for (let at = words * 4; at < bytes.length; at++) tail = (tail << 8) | bytes[at]!;
  return (sum ^ tail) >>> 0;
}

function dosDateTime(date: Date): { date: number; time: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
  };
}

function checkName(name: string, seen: Set<string>): Buffer {
  if (name.length === 0 || name.includes('\0'))
    throw new Error(`a cabinet file name must be non-empty and without NUL: ${JSON.stringify(name)}`);
  const encoded = Buffer.from(name, 'utf8');
  // CFFILE names are limited to CB_MAX_FILENAME (256) bytes with the terminating NUL.
  if (encoded.length > 255) throw new Error(`a cabinet file name is at most 255 bytes (UTF-8): ${name.slice(0, 40)}…`);
  const key = name.toLowerCase();
  if (seen.has(key)) throw new Error(`two files named ${JSON.stringify(name)} in one cabinet`);
  seen.add(key);
  return encoded;
}

/** The cabinet holding `files`, uncompressed, in one folder, in the order given. */
export function writeCabinet(files: readonly CabinetFile[], setId = 0): Buffer {
  if (files.length === 0) throw new Error('a cabinet needs at least one file');
  if (files.length > MAX_COUNT) throw new Error(`a cabinet holds at most ${MAX_COUNT} files (not ${files.length})`);
  const seen = new Set<string>();
  const names = files.map((file) => checkName(file.name, seen));
  const total = files.reduce((sum, file) => sum + file.data.length, 0);
  const blocks = Math.max(1, Math.ceil(total / CAB_BLOCK_SIZE));
  if (blocks > MAX_COUNT)
    throw new Error(`the files are ${total} bytes: one cabinet folder holds at most ${MAX_COUNT} blocks of ${CAB_BLOCK_SIZE} bytes`);

  const filesOffset = HEADER_SIZE + FOLDER_SIZE;
  const entriesSize = names.reduce((sum, name) => sum + FILE_ENTRY_SIZE + name.length + 1, 0);
  const dataOffset = filesOffset + entriesSize;
  const size = dataOffset + blocks * DATA_HEADER_SIZE + total;
  const cab = Buffer.alloc(size);

  // CFHEADER
  cab.write('MSCF', 0, 'latin1');
  cab.writeUInt32LE(size, 8);
  cab.writeUInt32LE(filesOffset, 16);
  cab.writeUInt8(3, 24); // versionMinor
  cab.writeUInt8(1, 25); // versionMajor
  cab.writeUInt16LE(1, 26); // cFolders
  cab.writeUInt16LE(files.length, 28);
  cab.writeUInt16LE(0, 30); // flags: no previous or next cabinet, no reserved fields
  cab.writeUInt16LE(setId & 0xffff, 32);
  cab.writeUInt16LE(0, 34); // iCabinet

  // CFFOLDER
  cab.writeUInt32LE(dataOffset, HEADER_SIZE);
  cab.writeUInt16LE(blocks, HEADER_SIZE + 4);
  cab.writeUInt16LE(COMPRESS_NONE, HEADER_SIZE + 6);

  // CFFILE entries
  let at = filesOffset;
  let folderOffset = 0;
  files.forEach((file, index) => {
    const stamp = dosDateTime(file.modified ?? new Date(1980, 0, 1));
    const name = names[index]!;
    const ascii = name.every((byte) => byte < 0x80);
    cab.writeUInt32LE(file.data.length, at);
    cab.writeUInt32LE(folderOffset, at + 4);
    cab.writeUInt16LE(0, at + 8); // iFolder
    cab.writeUInt16LE(stamp.date, at + 10);
    cab.writeUInt16LE(stamp.time, at + 12);
    cab.writeUInt16LE(ascii ? ATTRIB_ARCHIVE : ATTRIB_ARCHIVE | ATTRIB_NAME_IS_UTF, at + 14);
    name.copy(cab, at + FILE_ENTRY_SIZE);
    at += FILE_ENTRY_SIZE + name.length + 1;
    folderOffset += file.data.length;
  });

  // CFDATA blocks: the files' bytes one after another, cut every 32 KiB.
  const payload = Buffer.concat(
    files.map((file) => file.data),
    total,
  );
  for (let block = 0; block < blocks; block++) {
    const chunk = payload.subarray(block * CAB_BLOCK_SIZE, Math.min(total, (block + 1) * CAB_BLOCK_SIZE));
    cab.writeUInt16LE(chunk.length, at + 4); // cbData
    cab.writeUInt16LE(chunk.length, at + 6); // cbUncomp
    chunk.copy(cab, at + DATA_HEADER_SIZE);
    // The checksum covers the data, then cbData and cbUncomp (MS-CAB 2.4).
    cab.writeUInt32LE(cabChecksum(cab.subarray(at + 4, at + 8), cabChecksum(chunk)), at);
    at += DATA_HEADER_SIZE + chunk.length;
  }
  return cab;
}
