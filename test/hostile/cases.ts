// The hostile-guest suite: each guest with its manifest and the report it must end in.
// Shared by the Node test (test/node/hostile.test.ts) and the browser test (test/browser/hostile.test.ts).
import type { Manifest, Report } from '../../src/index.js';

export interface HostileCase {
  name: string;
  manifest: Manifest;
  /** Throws, naming what differs, when the report is not the one expected. */
  expect(report: Report): void;
}

function check(condition: unknown, what: string, report: Report): void {
  if (!condition) {
    const { stdout, stderr, ...rest } = report;
    throw new Error(`${what}\nreport: ${JSON.stringify({ ...rest, stdout: stdout.slice(0, 300), stderr: stderr.slice(0, 300) })}`);
  }
}

const MiB = 1 << 20;
const EFAULT = 21; // WASI errno

/** `locate(name)` gives the program's URL or path: test/hostile/NAME.wasm, or test/fixtures/NAME.wasm. */
export function hostileCases(locate: (name: string) => string): HostileCase[] {
  return [
    {
      name: 'an endless loop is stopped by the timeout',
      manifest: { program: locate('spin'), limits: { timeout: 300 } },
      expect(r) {
        check(r.status === 'timeout' && r.exitCode === null, 'status timeout', r);
        check(r.message.includes('300 ms'), 'message names the limit', r);
      },
    },
    {
      name: 'a guest that prints and then loops forever: its output and channel stats survive the timeout',
      manifest: { program: locate('printloop'), limits: { timeout: 1000 } }, // a fresh worker (see below)
      expect(r) {
        check(r.status === 'timeout', 'status timeout', r);
        check(r.stdout === 'looping forever\n', 'stdout written before the timeout is in the report', r);
        check(r.stderr === 'on stderr too\n', 'stderr written before the timeout is in the report', r);
        const [stdin, stdout, stderr] = r.channels;
        check(stdin?.path === '/dev/stdin' && stdin.reads === 0, 'stdin accounted', r);
        check(stdout?.path === '/dev/stdout' && stdout.writes === 1 && stdout.writeBytes === 16, 'stdout accounted', r);
        check(stderr?.path === '/dev/stderr' && stderr.writeBytes === 14 && !stderr.truncated, 'stderr accounted', r);
        check(r.etag === undefined && stdout.etag === undefined, 'no etag for a run cut short', r);
      },
    },
    {
      name: 'a burst of 200 lines before an endless loop arrives whole',
      // Each of these runs on a fresh worker (the run before timed out): on a loaded machine its
      // first run is slow to start, so the guest gets time enough to write its lines.
      manifest: { program: locate('printloop'), args: ['printloop', '200'], limits: { timeout: 2000 } },
      expect(r) {
        check(r.status === 'timeout', 'status timeout', r);
        const lines = r.stdout.split('\n');
        check(lines.length === 201 && lines[0] === 'line 1' && lines[198] === 'line 199' && lines[199] === 'looping forever', 'all 200 lines', r);
      },
    },
    {
      name: 'a memory bomb is capped and runs on',
      manifest: { program: locate('membomb'), limits: { memory: 16 * MiB } },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 0, 'exits 0', r);
        const got = Number(/malloc failed after (\d+) MiB/.exec(r.stdout)?.[1]);
        check(got > 0 && got < 16, 'malloc fails below the limit', r);
        check(r.stdout.includes('still running'), 'runs on', r);
        check(r.memoryPeakBytes <= 16 * MiB, 'peak memory within the limit', r);
      },
    },
    {
      name: 'a file bomb fills the filesystem to limits.memory, gets ENOSPC, and finds room after a removal',
      manifest: { program: locate('filebomb'), mounts: [{ guest: '/sandbox' }], limits: { memory: 16 * MiB } },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 0, 'exits 0', r);
        const got = Number(/write failed after (\d+) MiB: ENOSPC/.exec(r.stdout)?.[1]);
        check(got > 0 && got <= 16, 'files hold no more than limits.memory', r);
        check(r.stdout.includes('after unlink: room again'), 'removing a file gives its bytes back', r);
      },
    },
    {
      name: 'an output flood hits its quota; the guest sees EDQUOT and decides',
      manifest: {
        program: locate('flood'),
        limits: { output: 64 * 1024 },
        channels: [{ path: '/dev/stdout', limits: { writeBytes: 4 * MiB } }],
      },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 3, 'exits 3, its own choice', r);
        check(/write failed after 4194304 bytes: .*quota/i.test(r.stderr), 'the write past the quota failed with EDQUOT', r);
        check(r.stdout.length === 64 * 1024, 'captured output is capped at limits.output', r);
        const out = r.channels.find((c) => c.path === '/dev/stdout');
        check(out?.quotaHit === true && out.writeBytes === 4 * MiB, 'the channel report shows the quota hit', r);
        check(out?.truncated === true, 'the report says stdout was cut', r);
        check(r.channels.find((c) => c.path === '/dev/stderr')?.truncated === false, 'stderr was not cut', r);
      },
    },
    {
      name: 'an output flood without a quota is capped in the page and ends at the timeout',
      manifest: { program: locate('flood'), limits: { output: 64 * 1024, timeout: 1000 } },
      expect(r) {
        check(r.status === 'timeout', 'status timeout', r);
        check(r.stdout.length === 64 * 1024, 'captured output is capped at limits.output', r);
        const out = r.channels.find((c) => c.path === '/dev/stdout');
        check(out?.truncated === true && out.writeBytes > 64 * 1024, 'a timed-out run says its stdout was cut too', r);
      },
    },
    {
      name: 'unbounded recursion traps',
      manifest: { program: locate('recurse') },
      expect(r) {
        check(r.status === 'trap' && r.exitCode === null, 'status trap', r);
        check(r.message.length > 0, 'the trap is explained', r);
      },
    },
    {
      name: 'out-of-bounds pointers give EFAULT, never a host exception',
      manifest: { program: locate('badptr') },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 0, 'exits 0', r);
        const lines = r.stdout.split('\n').filter((l) => l.includes('far'));
        check(lines.length === 10, 'ten bad calls made', r);
        check(lines.every((l) => l.endsWith(`: ${EFAULT}`)), 'each bad call got EFAULT', r);
        check(r.stdout.includes('fd_filestat_get ok: 0') && r.stdout.includes('survived'), 'the guest goes on', r);
      },
    },
    {
      name: 'attempts to leave the preopened directory all fail',
      manifest: { program: locate('escape'), mounts: [{ guest: '/sandbox' }] },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 0, 'exits 0 (no escapes)', r);
        check(r.stdout.includes('7 attempts, 0 escapes') && !r.stdout.includes('ESCAPED'), 'every attempt refused', r);
      },
    },
    {
      name: 'descriptor exhaustion gives EMFILE',
      manifest: { program: locate('fdbomb'), mounts: [{ guest: '/sandbox' }], limits: { fds: 16 } },
      expect(r) {
        check(r.status === 'ok' && r.exitCode === 0, 'exits 0', r);
        check(r.stdout.includes('open failed after 11: EMFILE'), '16 fds = 3 stdio + 2 preopens (/sandbox, /dev) + 11 files', r);
      },
    },
    {
      name: 'a guest missing an import is refused, the import named',
      manifest: { program: locate('needs-import') },
      expect(r) {
        check(r.status === 'invalid', 'status invalid', r);
        check(r.message.includes('env.launch_missiles'), 'the import is named', r);
      },
    },
  ];
}
