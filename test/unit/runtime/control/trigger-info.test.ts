import { describe, expect, it } from 'vitest';
import {
  decodeTriggerInfo,
  encodeTriggerInfo,
  TriggerLayout,
  triggerInfoSize,
  type RawTrigger,
} from '../../../../runtime/control/trigger-info.ts';

const BASE = 0x7ff6_1234_0000n;
const FIRST_IP = '4f27f2de-14e2-430b-a549-7cd48cbc8245';
const PROVIDER = '0063715b-eeda-4007-9429-ad526f62696e';

const triggers: RawTrigger[] = [
  { type: 2, action: 1, subtype: FIRST_IP, data: [] },
  {
    type: 20,
    action: 2,
    subtype: PROVIDER,
    data: [
      { type: 1, bytes: Uint8Array.of(1, 2, 3) },
      { type: 2, bytes: new Uint8Array(Buffer.from('a\0b\0\0', 'utf16le')) },
      { type: 3, bytes: Uint8Array.of(4) },
    ],
  },
];

describe('encodeTriggerInfo / decodeTriggerInfo', () => {
  it('round-trips triggers with and without data items', () => {
    const block = encodeTriggerInfo(triggers, BASE);
    expect(block.length).toBe(triggerInfoSize(triggers));
    expect(decodeTriggerInfo(block, BASE)).toEqual(triggers);
  });

  it('lays the block out as winsvc.h does on x64, every pointer into the block', () => {
    const block = encodeTriggerInfo(triggers, BASE);
    const offsetOf = (field: number) => Number(block.readBigUInt64LE(field) - BASE);
    expect(block.readUInt32LE(0)).toBe(2);
    expect(offsetOf(8)).toBe(24); // pTriggers right after the 24-byte header
    expect(block.readBigUInt64LE(16)).toBe(0n); // pReserved
    const second = 24 + 32;
    expect(block.readUInt32LE(second)).toBe(20);
    expect(block.readUInt32LE(second + 4)).toBe(2);
    expect(block.readUInt32LE(second + 16)).toBe(3);
    const guid = offsetOf(second + 8);
    expect(block.subarray(guid, guid + 16).toString('hex')).toBe('5b716300daee0740' + '9429ad526f62696e');
    const items = offsetOf(second + 24);
    expect(items % 8).toBe(0);
    expect(block.readUInt32LE(items)).toBe(1);
    expect(block.readUInt32LE(items + 4)).toBe(3);
    expect([...block.subarray(offsetOf(items + 8), offsetOf(items + 8) + 3)]).toEqual([1, 2, 3]);
  });

  it('encodes no triggers as cTriggers 0 and a null pTriggers (what removes them)', () => {
    const block = encodeTriggerInfo([], BASE);
    expect(block).toEqual(Buffer.alloc(TriggerLayout.INFO_SIZE));
    expect(decodeTriggerInfo(block, BASE)).toEqual([]);
  });

  it('decodes a block built by hand the way QueryServiceConfig2W answers', () => {
    const block = Buffer.alloc(24 + 32 + 16 + 16 + 8);
    block.writeUInt32LE(1, 0);
    block.writeBigUInt64LE(BASE + 24n, 8);
    block.writeUInt32LE(1, 24); // SERVICE_TRIGGER_TYPE_DEVICE_INTERFACE_ARRIVAL
    block.writeUInt32LE(1, 28); // start
    block.writeBigUInt64LE(BASE + 56n, 32);
    block.writeUInt32LE(1, 40);
    block.writeBigUInt64LE(BASE + 72n, 48);
    // GUID_DEVINTERFACE_DISK {53f56307-b6bf-11d0-94f2-00a0c91efb8b} as struct GUID
    Buffer.from('0763f553bfb6d01194f200a0c91efb8b', 'hex').copy(block, 56);
    block.writeUInt32LE(2, 72);
    block.writeUInt32LE(4, 76);
    block.writeBigUInt64LE(BASE + 88n, 80);
    Buffer.from('U\0', 'utf16le').copy(block, 88);
    expect(decodeTriggerInfo(block, BASE)).toEqual([
      {
        type: 1,
        action: 1,
        subtype: '53f56307-b6bf-11d0-94f2-00a0c91efb8b',
        data: [{ type: 2, bytes: new Uint8Array(Buffer.from('U\0', 'utf16le')) }],
      },
    ]);
  });

  it('refuses pointers outside the block and counts over the SCM limits', () => {
    const block = encodeTriggerInfo(triggers, BASE);
    expect(() => decodeTriggerInfo(block, BASE + 8n)).toThrow(RangeError);
    const outside = Buffer.from(block);
    outside.writeBigUInt64LE(BASE + BigInt(block.length), 24 + 8);
    expect(() => decodeTriggerInfo(outside, BASE)).toThrow(/pTriggerSubtype/);
    const many = Buffer.from(block);
    many.writeUInt32LE(65, 0);
    expect(() => decodeTriggerInfo(many, BASE)).toThrow(/65 triggers/);
    const big = Buffer.from(block);
    const items = Number(big.readBigUInt64LE(24 + 32 + 24) - BASE);
    big.writeUInt32LE(1025, items + 4);
    expect(() => decodeTriggerInfo(big, BASE)).toThrow(/1025 bytes/);
    expect(() => decodeTriggerInfo(Buffer.alloc(8), BASE)).toThrow(/header/);
    const nullArray = Buffer.alloc(24);
    nullArray.writeUInt32LE(1, 0);
    expect(() => decodeTriggerInfo(nullArray, BASE)).toThrow(/null pTriggers/);
  });
});
