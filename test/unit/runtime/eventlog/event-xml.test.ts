import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelName, parseEventXml } from '../../../../runtime/eventlog/event-xml.ts';

const sample = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'event-xml', name), 'utf8');

describe('parseEventXml on Event schema XML as Windows renders it', () => {
  it('reads a manifest event as EvtRender writes it (single quotes, no whitespace)', () => {
    const xml = sample('audio-operational.xml');
    expect(parseEventXml(xml)).toEqual({
      provider: 'Microsoft-Windows-Audio',
      eventId: 65,
      level: 'information',
      timeCreated: new Date('2026-02-22T15:46:34.367Z'),
      recordId: 364,
      channel: 'Microsoft-Windows-Audio/Operational',
      computer: 'G-DESKTOP',
      userId: 'S-1-5-18',
      data: [
        { name: 'DeviceName', value: 'High Definition Audio Device' },
        { name: 'DeviceId', value: '{0.0.1.00000000}.{7529a723-242e-4d4c-94d4-feb0fdcc58d1}' },
        { name: 'flow', value: '1' },
        { name: 'NewState', value: '8' },
      ],
      xml,
    });
  });

  it('reads an indented security audit event: level 0, no user, nine-digit fractions', () => {
    const event = parseEventXml(sample('security-5890.xml'));
    expect(event).toMatchObject({ provider: 'Microsoft-Windows-Security-Auditing', eventId: 5890, level: 'logAlways', recordId: 344980 });
    expect(event.timeCreated.toISOString()).toBe('2015-09-23T19:45:04.239Z');
    expect(event.userId).toBeUndefined();
    expect(event.data).toHaveLength(7);
    expect(event.data[5]).toEqual({
      name: 'ObjectIdentifyingProperties',
      value: 'ApplId = {1D34B2DC-0E43-4040-BA7B-2F1C181FD86A} Name = CreatorOwner',
    });
  });

  it('rebuilds a classic entry’s full id from its Qualifiers, and reads its binary data', () => {
    const event = parseEventXml(sample('scm-7036.xml'));
    expect(event.provider).toBe('Service Control Manager');
    expect(event.eventId).toBe(0x40001b7c);
    expect(event.binary?.toString('utf16le')).toBe('wuauserv/4\0');
    expect(event.data.map((item) => item.value)).toEqual(['Windows Update', 'running']);
  });

  it('keeps unnamed inserts in order and decodes entities', () => {
    const event = parseEventXml(sample('classic-application.xml'));
    expect(event).toMatchObject({ eventId: 3, level: 'error', channel: 'Forefront Identity Manager', recordId: 9448 });
    expect(event.data).toEqual([{ value: expect.stringContaining('Other ---> System.Data.SqlClient.SqlException') }]);
    expect(event.data[0]).not.toHaveProperty('name');
  });

  it('names levels as winmeta.xml does, and a provider’s own levels by number', () => {
    expect([0, 1, 2, 3, 4, 5, 16].map(levelName)).toEqual([
      'logAlways',
      'critical',
      'error',
      'warning',
      'information',
      'verbose',
      'level16',
    ]);
  });
});

describe('parseEventXml is strict', () => {
  const good = sample('audio-operational.xml');
  const broken = (from: string, to: string) => good.replace(from, to);

  it.each([
    ['another root', '<Events/>', 'the root is <Events>, not <Event>'],
    ['no namespace', broken(" xmlns='http://schemas.microsoft.com/win/2004/08/events/event'", ''), 'is not in the namespace'],
    ['no System', "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'/>", '<Event> has no <System>'],
    ['no provider name', broken("Provider Name='Microsoft-Windows-Audio'", "Provider Id='x'"), '<Provider> has no Name'],
    ['a word for an id', broken('<EventID>65</EventID>', '<EventID>sixty</EventID>'), "EventID is not a whole number up to 65535: 'sixty'"],
    ['an id too large', broken('<EventID>65</EventID>', '<EventID>65536</EventID>'), 'EventID is not a whole number up to 65535'],
    ['a level too large', broken('<Level>4</Level>', '<Level>256</Level>'), 'Level is not a whole number up to 255'],
    [
      'a local time',
      broken("SystemTime='2026-02-22T15:46:34.3677596Z'", "SystemTime='2026-02-22 15:46:34'"),
      'TimeCreated SystemTime is not a UTC time',
    ],
    ['an impossible date', broken("SystemTime='2026-02-22T15:46:34.3677596Z'", "SystemTime='2026-13-45T15:46:34Z'"), 'is not a UTC time'],
    ['no record id', broken('<EventRecordID>364</EventRecordID>', ''), '<System> has no <EventRecordID>'],
    ['odd binary', broken('</EventData>', '<Binary>ABC</Binary></EventData>'), '<Binary> is not hexadecimal bytes'],
    ['a mismatched tag', broken('</Channel>', '</Chanel>'), '</Chanel> closes <Channel>'],
    ['a DOCTYPE', `<!DOCTYPE Event [<!ENTITY x "y">]>${good}`, 'expected a name'],
    ['CDATA', broken("<Data Name='flow'>1</Data>", "<Data Name='flow'><![CDATA[1]]></Data>"), 'expected a name'],
    ['an unknown entity', broken('G-DESKTOP', 'G&nbsp;DESKTOP'), 'unknown entity &nbsp;'],
    ['two roots', `${good}${good}`, 'content after the root element'],
  ])('refuses %s', (_what, xml, message) => {
    expect(() => parseEventXml(xml)).toThrow(message);
  });
});
