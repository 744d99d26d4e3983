// Planning a run's channels: how the guest will wait, decided from what the page can do, and every
// refusal naming the channel at fault. (Node and both test browsers can always wait one way or the
// other; the page that can do neither is given here as capabilities.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelTable } from '../../src/contract/channels.js';
import type { Manifest } from '../../src/contract/manifest.js';
import { type Capabilities, planChannels } from '../../src/host/plan.js';

const noFetch = async () => new Uint8Array();
const lines = { async *[Symbol.asyncIterator]() { yield 'x'; } };
const live: Manifest = { program: 'p.wasm', channels: [{ path: '/dev/stdin', source: 'live' }] };
const plan = (manifest: Manifest, can: Capabilities, bindings = {}) => planChannels(channelTable(manifest.channels), manifest, bindings, noFetch, false, can);

describe('planChannels', () => {
  it('makes a guest with live channels wait on shared memory where it can, by suspending (JSPI) where it cannot', async () => {
    assert.equal((await plan(live, { share: true, suspend: true }, { stdin: lines })).mode, 'sync');
    assert.equal((await plan(live, { share: false, suspend: true }, { stdin: lines })).mode, 'async');
  });

  it('refuses a live channel where neither exists, naming the channel and what would fix it', async () => {
    await assert.rejects(plan(live, { share: false, suspend: false }, { stdin: lines }), (e: Error) => {
      assert.match(e.message, /^manifest\.channels\.0: \/dev\/stdin is live, but this page can neither block a VM .* nor suspend one .*Cross-Origin-Opener-Policy/);
      return true;
    });
  });

  it('runs fixed channels as before wherever it runs: nothing to wait for', async () => {
    const fixed: Manifest = { program: 'p.wasm', stdin: 'abc', channels: [{ path: '/dev/in/cfg', source: { bytes: 'x=1' } }] };
    const p = await plan(fixed, { share: false, suspend: false });
    assert.equal(p.mode, 'plain');
    assert.deepEqual(p.table.map((c) => c.path), ['/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/in/cfg']);
    assert.equal(new TextDecoder().decode(p.channels[0].bytes), 'abc');
    assert.equal(new TextDecoder().decode(p.channels[3].bytes), 'x=1');
  });

  it('lets realtime sleeps really sleep: on Atomics.wait as they are, or suspended where nothing can block', async () => {
    const realtime: Manifest = { program: 'p.wasm', determinism: { realtime: true } };
    assert.equal((await plan(realtime, { share: true, suspend: true })).mode, 'plain');
    assert.equal((await plan(realtime, { share: false, suspend: true })).mode, 'async');
    assert.equal((await plan(realtime, { share: false, suspend: false })).mode, 'plain', 'no way to wait: sleeps return at once, as documented');
  });

  it('replays without waiting and without live ends: every answer is in the record', async () => {
    const p = await planChannels(channelTable(live.channels), live, {}, noFetch, true, { share: false, suspend: false });
    assert.equal(p.mode, 'plain');
    assert.equal(p.ends.size, 0);
  });
});
