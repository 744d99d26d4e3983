// Spare VMs (made ahead while a worker is idle) must be indistinguishable from VMs made at the
// run: fresh each time, and the same refusal for a module that calls the kernel while instantiated.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';

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
