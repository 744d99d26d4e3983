// The host's promises about a run's life (Node, worker_threads): output streams while the guest
// computes, kill and AbortSignal end exactly the runs they name wherever they are, a queue emptied
// by kill() leaves the pool working, and cut output is flagged.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import type { Report } from '../../src/index.js';

const path = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const HELLO = path('../../public/programs/hello.wasm');
const SPIN = path('../fixtures/spin.wasm');
const PRINTLOOP = path('../hostile/printloop.wasm');
const FLOOD = path('../hostile/flood.wasm');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('output while the guest computes', { timeout: 60_000 }, () => {
  it('reaches onStdout before the run ends: a signal sent on seeing it ends the run as killed', async () => {
    const vm = new NodeZeroVM({ pool: 1 });
    try {
      const abort = new AbortController();
      let seen = '';
      // A generous timeout: if output only arrived at the end, this run would end as a timeout.
      const report = await vm.run(
        { program: PRINTLOOP, limits: { timeout: 60_000 } },
        {
          signal: abort.signal,
          onStdout: (bytes) => {
            seen += text(bytes);
            if (seen.includes('looping forever\n')) abort.abort();
          },
        },
      );
      assert.equal(report.status, 'killed', report.message);
      assert.equal(report.stdout, 'looping forever\n');
      assert.equal(report.channels[1]?.writeBytes, 16);
    } finally {
      vm.dispose();
    }
  });
});

describe('kill()', { timeout: 60_000 }, () => {
  it('ends the running and the queued runs; then 100 more runs on the same ZeroVM all complete', async () => {
    const vm = new NodeZeroVM({ pool: 1 });
    try {
      // Both compiled first: otherwise the one that compiles sooner takes the worker first, and
      // under load that can be hello, which then ends before the kill.
      await Promise.all([vm.preload(SPIN), vm.preload(HELLO)]);
      const running = vm.run({ program: SPIN });
      const queued = vm.run({ program: HELLO });
      await new Promise((r) => setTimeout(r, 300));
      vm.kill();
      const [a, b] = await Promise.all([running, queued]);
      assert.equal(a.status, 'killed');
      assert.equal(b.status, 'killed');
      for (let i = 0; i < 100; i++) {
        const r = await vm.run({ program: HELLO });
        assert.equal(r.status, 'ok', `run ${i}: ${r.message}`);
      }
      assert.equal(vm.workers, 1);
    } finally {
      vm.dispose();
    }
  });
});

describe('run(manifest, { signal })', { timeout: 60_000 }, () => {
  const vm = new NodeZeroVM({ pool: 1 });
  // A program URL that never answers: a run stays in its loading stage until something ends it.
  let server: Server;
  let hanging = '';
  before(async () => {
    server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    hanging = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slow.wasm`;
  });
  after(() => {
    vm.dispose();
    server.closeAllConnections();
    server.close();
  });

  it('ends a running VM alone, as killed, and the next run works', async () => {
    const abort = new AbortController();
    const pending = vm.run({ program: SPIN }, { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 300));
    abort.abort();
    const report = await pending;
    assert.equal(report.status, 'killed');
    assert.match(report.message, /signal/);
    assert.equal((await vm.run({ program: HELLO })).status, 'ok');
  });

  it('ends a queued run alone: the run ahead of it goes on', async () => {
    const ahead = new AbortController();
    const first = vm.run({ program: SPIN }, { signal: ahead.signal });
    const abort = new AbortController();
    const queued = vm.run({ program: HELLO }, { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 200));
    abort.abort(new Error('not wanted'));
    const report = await queued;
    assert.equal(report.status, 'killed');
    assert.match(report.message, /not wanted/);
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(firstDone, false, 'the run ahead was not ended by the other run\'s signal');
    ahead.abort();
    assert.equal((await first).status, 'killed');
    assert.equal((await vm.run({ program: HELLO })).status, 'ok');
  });

  it('ends a run still fetching its program', async () => {
    const abort = new AbortController();
    const pending = vm.run({ program: hanging }, { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 200));
    abort.abort();
    const report = await pending;
    assert.equal(report.status, 'killed');
    assert.deepEqual(report.channels, [], 'it never reached a worker');
  });

  it('refuses at once with a signal aborted already', async () => {
    const report = await vm.run({ program: HELLO }, { signal: AbortSignal.abort() });
    assert.equal(report.status, 'killed');
  });

  it('lets a long-lived signal go when the run ends (no listener left behind)', async () => {
    const abort = new AbortController();
    const reports: Report[] = [];
    for (let i = 0; i < 5; i++) reports.push(await vm.run({ program: HELLO }, { signal: abort.signal }));
    abort.abort(); // would end nothing: every run is over
    assert.ok(reports.every((r) => r.status === 'ok'));
  });
});

describe('output past limits.output', () => {
  const vm = new NodeZeroVM({ pool: 1 });
  after(() => vm.dispose());
  const flood = { program: FLOOD, limits: { output: 1000 }, channels: [{ path: '/dev/stdout' as const, limits: { writeBytes: 1 << 20 } }] };

  it('is cut in the report and for listeners, and the report says so', async () => {
    let heard = 0;
    const report = await vm.run(flood, { onStdout: (b) => (heard += b.length) });
    assert.equal(report.exitCode, 3);
    assert.equal(report.stdout.length, 1000);
    assert.equal(heard, 1000);
    assert.equal(report.channels[1]?.truncated, true);
    assert.equal(report.channels[1]?.writeBytes, 1 << 20);
    assert.equal(report.channels[2]?.truncated, false);
  });

  it('reaches listeners whole with passthrough; the report still keeps limits.output', async () => {
    let heard = 0;
    const report = await vm.run(flood, { passthrough: true, onStdout: (b) => (heard += b.length) });
    assert.equal(heard, 1 << 20);
    assert.equal(report.stdout.length, 1000);
    assert.equal(report.channels[1]?.truncated, true);
  });
});
