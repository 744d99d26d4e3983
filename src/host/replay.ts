// A report's record of live input, back into the kernel's answers: channels by index in this
// run's table, bytes from base64. A record that does not fit the manifest is refused, naming why.
import { fromBase64 } from '../contract/base64.js';
import type { ChannelEntry } from '../contract/channels.js';
import type { InputEvent } from '../contract/inputs.js';
import type { InputsRecord } from '../contract/report.js';
import { Refusal } from './refusal.js';

export function replayEvents(record: InputsRecord, table: ChannelEntry[]): InputEvent[] {
  return record.events.map((event, i): InputEvent => {
    const where = `report.inputs.events.${i}`;
    if ('poll' in event) return { kind: 'poll', fired: event.poll, advancedNs: event.ns };
    const channel = table.findIndex((c) => c.path === event.read);
    if (channel < 0 || !table[channel].live) throw new Refusal(`${where}: ${event.read} is not a live channel of this manifest`);
    if ('again' in event) return { kind: 'again', channel };
    try {
      return { kind: 'read', channel, bytes: fromBase64(event.data) };
    } catch (e) {
      throw new Refusal(`${where}.data: ${(e as Error).message}`);
    }
  });
}
