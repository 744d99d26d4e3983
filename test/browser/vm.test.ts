// The runtime in a real browser: VMs in workers, pool reuse, kill and timeout, refusals.
import { run, ZeroVM } from '../../src/index.js';
import { assert, assertEqual } from './assert.js';
import { againRuns, idle } from '../again/cases.js';

const HELLO = '/public/programs/hello.wasm';
const SPIN = '/test/fixtures/spin.wasm';

describe('a VM in a worker', () => {
  it('runs hello and reports ok with its output', async () => {
    const report = await run({ program: HELLO });
    assertEqual(report.status, 'ok', 'status');
    assertEqual(report.exitCode, 0, 'exit code');
    assert(/hello/i.test(report.stdout), `stdout: ${report.stdout}`);
    assert(report.memoryPeakBytes > 0, 'memory peak');
    assertEqual(report.channels.map((c) => c.path), ['/dev/stdin', '/dev/stdout', '/dev/stderr'], 'channels');
  });

  it('passes args, env, stdin and files to the guest', async () => {
    const report = await run({
      program: '/public/programs/cat.wasm',
      args: ['cat', '/data/a.txt', '-'],
      files: { '/data/a.txt': 'from a file\n' },
      stdin: 'from stdin\n',
    });
    assertEqual(report.stdout, 'from a file\nfrom stdin\n', 'stdout');
    assertEqual(report.exitCode, 0, 'exit code');
  });

  it('streams output to the page while the VM runs', async () => {
    const seen: string[] = [];
    const report = await run({ program: HELLO }, { onStdout: (b) => seen.push(new TextDecoder().decode(b)) });
    assertEqual(seen.join(''), report.stdout, 'streamed output');
  });

  it('reports a trap', async () => {
    const report = await run({ program: '/test/fixtures/trap.wasm' });
    assertEqual(report.status, 'trap', 'status');
    assert(/unreachable/i.test(report.message), report.message);
  });
});

describe('refusals', () => {
  it('refuses a bad manifest, naming the field', async () => {
    const report = await run({ program: HELLO, limits: { timeout: -1 } });
    assertEqual(report.status, 'invalid', 'status');
    assert(report.message.includes('manifest.limits.timeout'), report.message);
  });

  it('refuses bytes that are not WebAssembly', async () => {
    const report = await run({ program: new Uint8Array([1, 2, 3, 4]) });
    assertEqual(report.status, 'invalid', 'status');
    assert(report.message.includes('not valid WebAssembly'), report.message);
  });

  it('refuses a program that cannot be fetched', async () => {
    const report = await run({ program: '/no/such/program.wasm' });
    assertEqual(report.status, 'invalid', 'status');
    assert(report.message.includes('could not be fetched') && report.message.includes('404'), report.message);
  });

  it('names the imports a program lacks', async () => {
    const report = await run({ program: '/test/fixtures/needs-import.wasm' });
    assertEqual(report.status, 'invalid', 'status');
    assert(report.message.includes('env.launch_missiles'), report.message);
  });
});

describe('the pool', () => {
  it('reuses its workers across runs, a fresh instance each time', async () => {
    const vm = new ZeroVM({ pool: 2 });
    try {
      const reports = await Promise.all(Array.from({ length: 12 }, () => vm.run({ program: HELLO })));
      assert(reports.every((r) => r.status === 'ok' && r.exitCode === 0), 'all runs ok');
      assertEqual(vm.workers, 2, 'workers');
    } finally {
      vm.dispose();
    }
  });

  it('runs one manifest again and again, each run as its manifest says (test/again/cases.ts)', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      for (const { manifest, ends } of againRuns((name) => `/public/programs/${name}.wasm`)) {
        const report = await vm.run(manifest);
        assertEqual(report.status, 'ok', `status: ${report.message}`);
        assert(report.stdout.endsWith(ends), `${JSON.stringify(manifest)}: ${report.stdout}`);
        await idle();
      }
    } finally {
      vm.dispose();
    }
  });

  it('kill() ends an endless VM at once, and the next run works', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      const endless = vm.run({ program: SPIN });
      await new Promise((r) => setTimeout(r, 300));
      vm.kill();
      const report = await endless;
      assertEqual(report.status, 'killed', 'status');
      assertEqual(report.exitCode, null, 'exit code');
      const next = await vm.run({ program: HELLO });
      assertEqual(next.status, 'ok', 'next run');
      assertEqual(vm.workers, 1, 'workers');
    } finally {
      vm.dispose();
    }
  });

  it('a timeout ends an endless VM, and the next run works', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      const report = await vm.run({ program: SPIN, limits: { timeout: 200 } });
      assertEqual(report.status, 'timeout', 'status');
      assert(report.message.includes('200 ms'), report.message);
      const next = await vm.run({ program: HELLO });
      assertEqual(next.status, 'ok', 'next run');
    } finally {
      vm.dispose();
    }
  });
});

describe('a run cut short keeps what it did', () => {
  const PRINTLOOP = '/test/hostile/printloop.wasm';

  it('streams output while the guest computes: a signal sent on seeing it ends the run as killed', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      const abort = new AbortController();
      let seen = '';
      // A generous timeout: if output only arrived at the end, this run would end as a timeout.
      const report = await vm.run(
        { program: PRINTLOOP, limits: { timeout: 60_000 } },
        {
          signal: abort.signal,
          onStdout: (bytes) => {
            seen += new TextDecoder().decode(bytes);
            if (seen.includes('looping forever\n')) abort.abort();
          },
        },
      );
      assertEqual(report.status, 'killed', 'status');
      assertEqual(report.stdout, 'looping forever\n', 'stdout');
      assertEqual(report.channels[1]?.writeBytes, 16, 'stdout bytes counted');
    } finally {
      vm.dispose();
    }
  });

  it('kill() ends the running and the queued runs; then 100 more runs all complete', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      // Both loaded first: runs then take the worker in the order they were made (a program still
      // loading would let the other run first, and hello would end ok before the kill).
      await Promise.all([vm.preload(SPIN), vm.preload(HELLO)]);
      const running = vm.run({ program: SPIN });
      const queued = vm.run({ program: HELLO });
      await new Promise((r) => setTimeout(r, 300));
      vm.kill();
      const [a, b] = await Promise.all([running, queued]);
      assertEqual([a.status, b.status], ['killed', 'killed'], 'statuses');
      for (let i = 0; i < 100; i++) {
        const r = await vm.run({ program: HELLO });
        assertEqual(r.status, 'ok', `run ${i}`);
      }
      assertEqual(vm.workers, 1, 'workers');
    } finally {
      vm.dispose();
    }
  });

  it('a signal ends a queued run alone, and a run still fetching its program', async () => {
    const vm = new ZeroVM({ pool: 1 });
    try {
      await Promise.all([vm.preload(SPIN), vm.preload(HELLO)]); // runs take the worker in the order made
      const ahead = new AbortController();
      const first = vm.run({ program: SPIN }, { signal: ahead.signal });
      const abort = new AbortController();
      const queued = vm.run({ program: HELLO }, { signal: abort.signal });
      await new Promise((r) => setTimeout(r, 200));
      abort.abort();
      assertEqual((await queued).status, 'killed', 'the queued run');
      let firstDone = false;
      void first.then(() => (firstDone = true));
      await new Promise((r) => setTimeout(r, 200));
      assertEqual(firstDone, false, 'the run ahead goes on');
      ahead.abort();
      assertEqual((await first).status, 'killed', 'the run ahead, by its own signal');

      const fetching = new AbortController();
      const pending = vm.run({ program: '/__zerovm_test/never-answers.wasm' }, { signal: fetching.signal });
      await new Promise((r) => setTimeout(r, 200));
      fetching.abort();
      const report = await pending;
      assertEqual(report.status, 'killed', 'the run still fetching');
      assertEqual(report.channels, [], 'it never reached a worker');
      assertEqual((await vm.run({ program: HELLO })).status, 'ok', 'the next run');
    } finally {
      vm.dispose();
    }
  });
});

describe('workerUrl', () => {
  it('starts the VM workers from the URL given', async () => {
    const vm = new ZeroVM({ pool: 1, workerUrl: new URL('/src/worker/browser-entry.ts', location.href) });
    try {
      assertEqual((await vm.run({ program: HELLO })).stdout, 'Hello, world!\n', 'stdout');
    } finally {
      vm.dispose();
    }
  });

  it('a worker that cannot be loaded fails the run, saying so, instead of leaving it waiting', async () => {
    const vm = new ZeroVM({ pool: 1, workerUrl: '/no/such/vm-worker.js' });
    try {
      const failure = await vm.run({ program: HELLO }).then(() => null, (e: Error) => e);
      assert(failure?.message.includes('the VM worker could not start (/no/such/vm-worker.js)'), String(failure?.message));
      const again = await vm.run({ program: HELLO }).then(() => null, (e: Error) => e);
      assert(again !== null, 'and the next run too: each says why');
    } finally {
      vm.dispose();
    }
  });
});
