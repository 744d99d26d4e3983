// Spare VMs (made ahead while a worker is idle) must be indistinguishable from VMs made at the
// run: fresh each time, and the same refusal for a module that calls the kernel while instantiated.
// A spare whose kernel was loaded ahead, for a run like the last, too.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { LINK_BYTES, sharedLink } from '../../src/contract/link.js';
import type { VmResult } from '../../src/contract/protocol.js';
import { etagModule } from '../../src/host/etag-module.js';
import { warmUpGuest } from '../../src/host/warm-up.js';
import { etagHashers } from '../../src/worker/etag.js';
import { HeldModule } from '../../src/worker/held-module.js';
import { SharedWorkerLink } from '../../src/worker/link-shared.js';
import { Memories } from '../../src/worker/memories.js';
import { prepareNext, runVm, type WorkerState } from '../../src/worker/run.js';
import { Spares } from '../../src/worker/spare.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}.wasm`, import.meta.url));
const program = (name: string) => fileURLToPath(new URL(`../../public/programs/${name}.wasm`, import.meta.url));
const pause = () => new Promise((r) => setTimeout(r, 50)); // lets the worker make its spare

describe('spare VMs', () => {
  const vm = new NodeZeroVM({ pool: 1 });
  after(() => vm.dispose());

  it('give every run a fresh VM: state written by one run is not seen by the next', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await vm.run({ program: program('fsdemo'), args: ['fsdemo', '/tmp'], files: { '/tmp/keep': '' } });
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.stdout, /^mkdir fsdemo: ok$/m, 'each run starts from the manifest\'s files alone');
      await pause();
    }
  });

  it('refuse, run after run, a module whose start function calls the kernel before its memory is known', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await vm.run({ program: fixture('start-section') });
      assert.equal(r.status, 'invalid');
      assert.match(r.message, /could not be instantiated: .*start function/);
      await pause();
    }
    assert.equal((await vm.run({ program: program('hello') })).status, 'ok', 'the worker goes on');
  });

  it('are made while the worker is idle: the next run of the module waits for no instantiation', async () => {
    const hello = { program: program('hello') };
    await vm.run({ program: program('env') }); // the worker's spare is now env's
    await pause();
    const first = await vm.run(hello);
    assert.ok(first.timings.instantiateMs > 0, 'hello had no spare waiting: instantiated at the run');
    await pause();
    const second = await vm.run(hello);
    assert.equal(second.status, 'ok', second.message);
    assert.equal(second.timings.instantiateMs, 0, 'hello\'s spare was waiting');
    assert.equal(second.stdout, first.stdout);
  });

  it('follow the module a worker ran last', async () => {
    for (const name of ['hello', 'env', 'hello', 'hello', 'env']) {
      const r = await vm.run({ program: program(name), args: [name] });
      assert.equal(r.status, 'ok', r.message);
      assert.equal(r.exitCode, 0);
      await pause();
    }
  });
});

describe('a spare loaded ahead', () => {
  /** The warm-up guest's module and request (a plain run the host made), on a worker state of our own. */
  async function worker() {
    const { module, request } = await warmUpGuest();
    const memories = new Memories();
    const state: WorkerState = {
      spares: new Spares(memories),
      memories,
      link: new SharedWorkerLink(sharedLink(new SharedArrayBuffer(LINK_BYTES))),
      hasher: etagHashers(await etagModule()),
      kept: new Map(),
    };
    return { state, held: new HeldModule(request.moduleKey, module), request };
  }

  it('is loaded for a run like the last (again), and only then; a run on it ends as one on a spare made at the run', async () => {
    const { state, held, request } = await worker();
    prepareNext(request, held, state, false);
    const plain = state.spares.take(request.moduleKey, false, false, request);
    assert.ok(plain, 'a spare was made');
    assert.equal(plain.loadedFor, undefined, 'not loaded: this run was not like the last');

    prepareNext(request, held, state, false);
    const unloaded = runVm(request, held, state) as VmResult;
    prepareNext(request, held, state, true);
    const ahead = state.spares.take(request.moduleKey, false, false, request);
    assert.equal(ahead?.loadedFor, request, 'loaded for the request, while idle');
    prepareNext(request, held, state, true);
    const loaded = runVm(request, held, state) as VmResult;
    assert.equal(loaded.status, 'ok', loaded.message);
    assert.equal(loaded.instantiateMs, 0, 'it ran on the spare');
    assert.deepEqual(
      loaded.channels.map((c) => [c.path, c.writes, c.writeBytes, c.etag]),
      unloaded.channels.map((c) => [c.path, c.writes, c.writeBytes, c.etag]),
    );
    assert.equal(loaded.etag, unloaded.etag);
  });

  it('is not loaded for a run on real time, and is given to no other request', async () => {
    const { state, held, request } = await worker();
    const realtime = { ...request, determinism: { ...request.determinism, realtime: true } };
    prepareNext(realtime, held, state, true);
    assert.equal(state.spares.take(realtime.moduleKey, false, false, realtime)?.loadedFor, undefined, 'a real clock starts when it is made');

    prepareNext(request, held, state, true);
    const other = { ...request };
    assert.equal(state.spares.take(request.moduleKey, false, false, other), null, 'loaded for another request: no use');
    assert.equal(state.spares.take(request.moduleKey, false, false, request), null, 'and dropped');
    // A run unlike the last after one loaded ahead: its spare is made again, not loaded.
    prepareNext(request, held, state, true);
    prepareNext(other, held, state, false);
    assert.equal(state.spares.take(other.moduleKey, false, false, other)?.loadedFor, undefined);
  });
});
