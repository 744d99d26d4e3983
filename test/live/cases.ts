// Live channels, as a page (or Node) uses them: the same cases run in Node and in Chromium and
// Firefox, with and without cross-origin isolation, so that both ways a guest waits (Atomics.wait
// on a shared link, JSPI suspension on a message link) are exercised by the same assertions.
import type { Manifest, Report } from '../../src/index.js';
import type { RunOptions } from '../../src/host/vm-host.js';

/** What the cases need of a ZeroVM / NodeZeroVM. */
export interface LiveHost {
  run(manifest: Manifest, options?: RunOptions): Promise<Report>;
  replay(manifest: Manifest, report: Report): Promise<Report>;
}

export interface LiveCase {
  name: string;
  run(vm: LiveHost, locate: (name: string) => string): Promise<void>;
}

function check(condition: unknown, what: string, report?: Report): asserts condition {
  if (!condition) {
    const detail = report ? `\nreport: ${JSON.stringify({ ...report, stdout: report.stdout.slice(0, 400), inputs: undefined })}` : '';
    throw new Error(`${what}${detail}`);
  }
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIVE_WINDOW = 64 * 1024;
const liveStdin = [{ path: '/dev/stdin', source: 'live' as const }];

/** A source that yields `lines` one by one, `gap` ms apart. */
async function* paced(lines: string[], gap: number | (() => number)) {
  for (const line of lines) {
    await pause(typeof gap === 'number' ? gap : gap());
    yield line;
  }
}

export const liveCases: LiveCase[] = [
  {
    name: 'a guest reading stdin line by line while lines arrive 50 ms apart prints each as it comes',
    async run(vm, locate) {
      // Each line is sent 50 ms after the answer to the one before: a guest (or a runtime) that
      // waited for more input before answering would never answer, and the test would time out.
      const lines = ['one\n', 'two\n', 'three\n', 'four\n'];
      const answered: (() => void)[] = [];
      const answers = lines.map((_, i) => new Promise<void>((resolve) => (answered[i] = resolve)));
      async function* stdin() {
        for (const [i, line] of lines.entries()) {
          if (i > 0) await answers[i - 1];
          await pause(50);
          yield line;
        }
      }
      let out = '';
      const report = await vm.run(
        { program: locate('echolines'), channels: liveStdin },
        {
          stdin: stdin(),
          onStdout: (b) => {
            out += text(b);
            lines.forEach((line, i) => out.includes(`got: ${line}`) && answered[i]());
          },
        },
      );
      check(report.status === 'ok' && report.exitCode === 0, 'exits 0', report);
      check(report.stdout === 'got: one\ngot: two\ngot: three\ngot: four\neof\n', 'every line answered, then eof', report);
      check(report.channels[0].reads >= 5 && report.channels[0].readBytes === 19, 'stdin accounted', report);
      check(report.inputs?.complete === true && report.inputs.events.length === 5, 'the input is recorded', report);
    },
  },
  {
    name: 'empty chunks from a source are skipped: the guest waits on for bytes or the end',
    async run(vm, locate) {
      async function* stdin() {
        yield '';
        yield new Uint8Array(0);
        yield 'one\n';
        yield '';
      }
      const report = await vm.run({ program: locate('echolines'), channels: liveStdin }, { stdin: stdin() });
      check(report.status === 'ok' && report.stdout === 'got: one\neof\n', 'the line, then eof', report);
    },
  },
  {
    name: 'a guest blocked on a read is ended at once by its signal, and by its timeout',
    async run(vm, locate) {
      const never = { async *[Symbol.asyncIterator]() { await new Promise(() => {}); yield ''; } };
      const abort = new AbortController();
      const pending = vm.run({ program: locate('echolines'), channels: liveStdin }, { stdin: never, signal: abort.signal });
      await pause(200);
      abort.abort();
      const killed = await pending;
      check(killed.status === 'killed', 'killed by its signal', killed);
      const timedOut = await vm.run({ program: locate('echolines'), channels: liveStdin, limits: { timeout: 300 } }, { stdin: never });
      check(timedOut.status === 'timeout', 'ended by its timeout', timedOut);
      const next = await vm.run({ program: locate('echolines'), channels: liveStdin }, { stdin: paced(['after\n'], 0) });
      check(next.stdout === 'got: after\neof\n', 'the next run works', next);
    },
  },
  {
    name: 'a call channel round-trips 1,000 requests to a page function',
    async run(vm, locate) {
      let calls = 0;
      // every other reply comes later, as a page function that fetches would
      const echo = (request: Uint8Array): string | Promise<string> => (++calls % 2 ? `${text(request)}!` : pause(0).then(() => `${text(request)}!`));
      const report = await vm.run(
        { program: locate('callmany'), args: ['callmany', '1000'], channels: [{ path: '/dev/call/echo' }] },
        { channels: { '/dev/call/echo': echo } },
      );
      check(report.status === 'ok' && report.exitCode === 0, 'exits 0', report);
      check(report.stdout === 'calls: 1000, mismatches: 0\n', 'every reply right', report);
      check(calls === 1000, `the page function was called 1000 times (${calls})`);
      const call = report.channels.find((c) => c.path === '/dev/call/echo');
      check(call !== undefined && call.writes === 1000 && call.reads >= 2000, 'the call channel is accounted', report);
    },
  },
  {
    name: 'a live sink with a slow consumer makes the guest wait: it never gets more than the window ahead',
    async run(vm, locate) {
      const total = 1 << 20;
      let taken = 0;
      let takenWhenDone = -1;
      const report = await vm.run(
        { program: locate('sinkflood'), args: ['sinkflood', String(total), '4096'], channels: [{ path: '/dev/out/data', sink: 'live' }] },
        {
          channels: {
            '/dev/out/data': new WritableStream<Uint8Array>(
              {
                async write(chunk) {
                  await pause(1);
                  for (let i = 0; i < chunk.length; i++) {
                    if (chunk[i] !== (taken + i) % 256) throw new Error(`byte ${taken + i} is ${chunk[i]}`);
                  }
                  taken += chunk.length;
                },
              },
              { highWaterMark: 1 },
            ),
          },
          onStdout: (b) => {
            if (text(b).includes('wrote')) takenWhenDone = taken;
          },
        },
      );
      check(report.status === 'ok' && report.exitCode === 0 && report.stdout === `wrote ${total}\n`, 'the guest wrote it all', report);
      check(taken === total, `the page took every byte, in order, by the time the report came (${taken})`);
      check(takenWhenDone >= total - LIVE_WINDOW - 4096, `when the guest finished, the page had taken all but the window (${takenWhenDone} of ${total})`);
      check(report.channels.find((c) => c.path === '/dev/out/data')?.writeBytes === total, 'the sink is accounted', report);
    },
  },
  {
    name: 'a poll with a timeout on live stdin times out, then sees input when it comes',
    async run(vm, locate) {
      // The input is sent once the guest has timed out twice: no timing assumed, only the order.
      let timedOut = () => {};
      const twice = new Promise<void>((resolve) => (timedOut = resolve));
      let out = '';
      async function* afterTwoTimeouts() {
        await twice;
        yield 'hello\n';
      }
      const report = await vm.run(
        { program: locate('pollwait'), args: ['pollwait', '100', '50'], channels: liveStdin },
        {
          stdin: afterTwoTimeouts(),
          onStdout: (b) => {
            out += text(b);
            if ((out.match(/^timeout$/gm) ?? []).length >= 2) timedOut();
          },
        },
      );
      check(report.status === 'ok' && report.exitCode === 0, 'exits 0', report);
      const lines = report.stdout.trim().split('\n');
      const input = lines.indexOf('input: hello');
      check(input >= 2 && lines.slice(0, input).every((l) => l === 'timeout'), 'polls timed out until the input came, then saw it', report);
      // The end of input comes when the guest next asks for input: a poll may time out before it does.
      check(lines.at(-1) === 'done' && lines.slice(input + 1, -1).every((l) => l === 'timeout'), 'then the end of input, and done', report);
    },
  },
  {
    name: '20 live runs with randomly timed input, each replayed, give identical output and etags',
    async run(vm, locate) {
      for (let i = 0; i < 20; i++) {
        const lines = Array.from({ length: 1 + (i % 4) }, (_, k) => `line ${i}.${k} ${'x'.repeat(i * 7)}\n`);
        const manifest: Manifest = { program: locate(i % 2 ? 'pollwait' : 'echolines'), args: i % 2 ? ['pollwait', '5', '40'] : undefined, channels: liveStdin };
        const live = await vm.run(manifest, { stdin: paced(lines, () => Math.random() * 20) });
        check(live.status === 'ok' && live.inputs?.complete, `run ${i} ok and recorded`, live);
        const again = await vm.replay(manifest, live);
        check(again.status === 'ok', `replay ${i} ok`, again);
        check(again.stdout === live.stdout, `replay ${i}: the same output`, again);
        check(again.etag === live.etag, `replay ${i}: the same run etag`, again);
        check(JSON.stringify(again.channels.map((c) => c.etag)) === JSON.stringify(live.channels.map((c) => c.etag)), `replay ${i}: the same channel etags`, again);
      }
    },
  },
  {
    name: 'a live channel left unbound is refused naming it; a binding the manifest does not declare live, too',
    async run(vm, locate) {
      const unbound = await vm.run({ program: locate('echolines'), channels: liveStdin });
      check(unbound.status === 'invalid' && unbound.message.startsWith('manifest.channels.0: /dev/stdin is live, but nothing is bound'), 'unbound', unbound);
      const undeclared = await vm.run({ program: locate('echolines') }, { stdin: paced([], 0) });
      check(undeclared.status === 'invalid' && undeclared.message.startsWith("RunOptions.channels['/dev/stdin']: binds a channel the manifest does not declare live"), 'undeclared', undeclared);
      const call = await vm.run({ program: locate('callmany'), channels: [{ path: '/dev/call/echo' }] }, { channels: { '/dev/call/echo': 'not a function' as never } });
      check(call.status === 'invalid' && call.message.includes("RunOptions.channels['/dev/call/echo']: expected a function"), 'a call channel bound to a non-function', call);
    },
  },
  {
    name: 'named channels: fixed input (bytes, base64, a URL), a captured output, and a URL that fails refuses the run naming the channel',
    async run(vm, locate) {
      const fixed = await vm.run({ program: locate('readall'), args: ['readall', 'data'], channels: [{ path: '/dev/in/data', source: { base64: 'AQID' } }] });
      check(fixed.stdout === 'bytes: 3, checksum: 6\n', 'base64 source', fixed);
      const url = await vm.run({ program: locate('readall'), args: ['readall', 'data'], channels: [{ path: '/dev/in/data', source: { url: locate('readall') } }] });
      check(url.status === 'ok' && /^bytes: \d{4,}, checksum: \d+\n$/.test(url.stdout), 'URL source', url);
      const failed = await vm.run({ program: locate('readall'), args: ['readall', 'data'], channels: [{ path: '/dev/in/data', source: { url: locate('no-such-file') } }] });
      check(failed.status === 'invalid' && failed.message.startsWith('manifest.channels.0.source: ') && failed.message.includes('could not be fetched'), 'a failed fetch names the channel', failed);
      const captured = await vm.run({ program: locate('sinkflood'), args: ['sinkflood', '300', '100'], channels: [{ path: '/dev/out/data', sink: 'capture' }], limits: { output: 200 } });
      const out = captured.outputs?.['/dev/out/data'];
      check(captured.status === 'ok' && out?.length === 200, 'a captured named output is in the report, up to limits.output', captured);
      check(captured.channels.find((c) => c.path === '/dev/out/data')?.truncated === true, 'and marked truncated', captured);
    },
  },
  {
    name: "a page function that throws fails the guest's read (EIO), and the report says which channel and why",
    async run(vm, locate) {
      const report = await vm.run(
        { program: locate('callmany'), args: ['callmany', '3'], channels: [{ path: '/dev/call/echo' }] },
        { channels: { '/dev/call/echo': () => { throw new Error('no such word'); } } },
      );
      check(report.status === 'ok' && report.exitCode === 2, 'the guest saw its read fail and exited 2', report);
      const call = report.channels.find((c) => c.path === '/dev/call/echo');
      check(call?.error === '/dev/call/echo: its page function failed: no such word', 'the channel names the failure', report);
    },
  },
  {
    name: 'realtime sleeps really sleep (and virtual ones take no time)',
    async run(vm, locate) {
      const real = await vm.run({ program: locate('sleepy'), args: ['sleepy', '200'], determinism: { realtime: true } });
      const slept = Number(/^slept (\d+) ms\n$/.exec(real.stdout)?.[1]);
      check(real.status === 'ok' && slept >= 200 && real.timings.runMs >= 200, `a realtime sleep of 200 ms took ${slept} ms by the guest's clock, ${real.timings.runMs} ms by the host's`, real);
      const virtual = await vm.run({ program: locate('sleepy'), args: ['sleepy', '5000'] });
      check(virtual.stdout === 'slept 5000 ms\n' && virtual.timings.runMs < 5000, 'a virtual sleep moves virtual time only', virtual);
    },
  },
];
