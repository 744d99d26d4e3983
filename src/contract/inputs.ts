// The answers a run gave that depended on timing, as the kernel records them (kernel/inputs.ts):
// the worker returns them, the host turns them into the report's JSON, and a replay sends them back.

/** One timing-dependent answer. Channels by index (the channel table's order). */
export type InputEvent =
  | { kind: 'read'; channel: number; bytes: Uint8Array }
  | { kind: 'again'; channel: number }
  | { kind: 'poll'; fired: PollFired[]; advancedNs: number };

/** A subscription a poll found ready: its index in the guest's list, and what it said. */
export interface PollFired {
  index: number;
  nbytes: number;
  /** eventrwflags: 1 when the other end hung up (the input ended). */
  flags: number;
}
