// A program by URL is compiled as it downloads: its bytes reach the engine's compiler
// (WebAssembly.compileStreaming) while the rest of the body is still to come, through the module
// policy (the memory limit's rewrite included), and the run then goes as any other.
import { ZeroVM } from '../../src/index.js';
import { assert, assertEqual } from './assert.js';

const PROGRAM = 'public/programs/primes.wasm';

/** Counts the bytes that reach compileStreaming's compiler, passing them on to the real one. */
function countCompiledBytes(): { bytes: number; restore(): void } {
  const real = WebAssembly.compileStreaming;
  const counted = {
    bytes: 0,
    restore: () => void (WebAssembly.compileStreaming = real),
  };
  WebAssembly.compileStreaming = async (source) => {
    const response = await source;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        counted.bytes += chunk.length;
        out.enqueue(chunk);
      },
    });
    return real.call(WebAssembly, new Response(response.body!.pipeThrough(counter), { headers: response.headers }));
  };
  return counted;
}

describe('a program compiled as it downloads', () => {
  it('gives the compiler the bytes that have come while the rest is still downloading, then runs', async function () {
    this.timeout(60_000);
    const size = (await (await fetch(`/${PROGRAM}`)).arrayBuffer()).byteLength;
    const split = Math.floor(size * 0.6);
    const url = `/__zerovm_test/held/${PROGRAM}?split=${split}&load=${Math.random()}`;
    const counted = countCompiledBytes();
    const vm = new ZeroVM();
    try {
      const fetched: number[] = [];
      const running = vm.run({ program: url, args: ['primes', '10'], limits: { memory: 64 << 20 } }, { onProgress: (p) => p.phase === 'fetch' && fetched.push(p.loaded) });
      // The server holds the body after `split` bytes: what reaches the compiler meanwhile came while downloading.
      const end = performance.now() + 20_000;
      while (counted.bytes < split / 2 && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
      const before = counted.bytes;
      assert(before >= split / 2, `the compiler had ${before} bytes while ${split} of ${size} had come (at least half wanted)`);
      assert(before < size, `the compiler had ${before} bytes of ${size} before the rest was sent`);
      assert(Math.max(...fetched) < size, `the fetch was still going on: ${Math.max(...fetched)} of ${size}`);
      await fetch(`/__zerovm_test/held/${PROGRAM}`, { method: 'POST' }); // the rest of the body
      const report = await running;
      assertEqual(report.status, 'ok', `status (${report.message})`);
      assertEqual(report.stdout.trim(), '4 primes up to 10; the largest is 7', 'stdout');
      assertEqual(report.timings.moduleFrom, 'compiled', 'moduleFrom');
      assert(counted.bytes >= size, `all of the module reached the compiler (${counted.bytes} of ${size})`);
    } finally {
      counted.restore();
      vm.dispose();
    }
  });

  it('refuses under one run\'s memory limit as the bytes come, and runs the same download under another\'s', async function () {
    this.timeout(60_000);
    const size = (await (await fetch(`/${PROGRAM}`)).arrayBuffer()).byteLength;
    const split = Math.floor(size / 2);
    const url = `/__zerovm_test/held/${PROGRAM}?split=${split}&load=${Math.random()}`;
    const vm = new ZeroVM();
    try {
      let loaded = 0;
      const seen = (p: { phase: string; loaded: number }) => {
        if (p.phase === 'fetch') loaded = Math.max(loaded, p.loaded);
      };
      // The first run starts the download (its policy streams); the second waits on the same download.
      const tight = vm.run({ program: url, args: ['primes', '10'], limits: { memory: 65536 } }, { onProgress: seen });
      const roomy = vm.run({ program: url, args: ['primes', '10'], limits: { memory: 64 << 20 } }, { onProgress: seen });
      const end = performance.now() + 20_000; // the server has sent its first half: then the rest
      while (loaded < split && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert(loaded >= split, `the first ${split} bytes came (${loaded})`);
      await fetch(`/__zerovm_test/held/${PROGRAM}`, { method: 'POST' });
      const [refused, ran] = await Promise.all([tight, roomy]);
      assertEqual(refused.status, 'invalid', `the tight run's status (${refused.message})`);
      assert(/program needs \d+ bytes of memory to start .*more than limits\.memory allows \(65536\)/.test(refused.message), `the refusal names the limit: ${refused.message}`);
      assertEqual(ran.status, 'ok', `the roomy run's status (${ran.message})`);
      assertEqual(ran.stdout.trim(), '4 primes up to 10; the largest is 7', 'the roomy run\'s stdout');
      const downloads = performance.getEntriesByType('resource').filter((e) => e.name.endsWith(url));
      assertEqual(downloads.length, 1, 'one download for both runs');
      const again = await vm.run({ program: url, args: ['primes', '10'], limits: { memory: 65536 } });
      assertEqual(again.status, 'invalid', 'the tight limit refuses again, from the page\'s copy');
    } finally {
      vm.dispose();
    }
  });
});
