// The module policy: memory maxima lowered to limits.memory; nondeterminism refused; and what the
// policy could not read never passes as checked. The same, for a module compiled as it downloads.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyPolicy, type ModulePolicy, planPolicy } from '../../src/host/module-policy.js';
import { StreamedModule } from '../../src/host/module-stream.js';
import { leb, readMemories, sections } from '../../src/host/wasm-binary.js';
import { MEMORY_SECTION } from '../../src/contract/memory-import.js';

const read = (url: URL) => new Uint8Array(readFileSync(url));
const fixture = (name: string) => read(new URL(`../fixtures/${name}.wasm`, import.meta.url));
const PAGE = 65536;
const DETERMINISTIC: ModulePolicy = { memory: null, deterministic: true };
const REALTIME: ModulePolicy = { memory: null, deterministic: false };

function memoriesOf(bytes: Uint8Array) {
  const section = sections(bytes).find((s) => s.id === 5)!;
  return readMemories(bytes, section);
}
const memoryOf = (bytes: Uint8Array) => memoriesOf(bytes)[0];

const section = (id: number, payload: number[]) => [id, ...leb(payload.length), ...payload];
const name = (text: string) => [text.length, ...new TextEncoder().encode(text)];
const funcImport = (module: string, field: string) => [...name(module), ...name(field), 0, 0];

/** A module of `() -> ()` functions with these bodies (no locals; their final `end` added). */
function moduleOf({ imports = [], memories = [[1, 1, 4]], bodies = [] }: { imports?: number[][]; memories?: number[][]; bodies?: number[][] }) {
  const code = bodies.map((body) => [0, ...body, 0x0b]).flatMap((body) => [...leb(body.length), ...body]);
  return new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 0, 0]),
    ...(imports.length ? section(2, [imports.length, ...imports.flat()]) : []),
    ...section(3, [bodies.length, ...bodies.map(() => 0)]),
    ...(memories.length ? section(5, [memories.length, ...memories.flat()]) : []),
    ...section(10, [bodies.length, ...code]),
  ]);
}

/** Runs `f` as a newer engine would: one that accepts proposals this policy cannot read. */
function withEngineAccepting<T>(f: () => T): T {
  const validate = WebAssembly.validate;
  WebAssembly.validate = () => true;
  try {
    return f();
  } finally {
    WebAssembly.validate = validate;
  }
}

// Node 20's V8 predates these proposals (or their final encodings); browsers have them. A fixture that
// needs one is checked for validity only where the engine has it (and was checked in Chromium).
const PROBES = {
  gc: moduleOf({ bodies: [[0x41, 0, 0xfb, 0x1c, 0x1a]] }), // ref.i31
  exnref: moduleOf({ bodies: [[0x1f, 0x40, 0, 0x0b]] }), // try_table
  'typed function references': moduleOf({ bodies: [[0xd0, 0x70, 0xd4, 0x1a]] }), // ref.as_non_null
  'multi-memory': moduleOf({ memories: [[0, 1], [0, 1]] }),
  memory64: moduleOf({ memories: [[4, 1]] }),
};
type Proposal = keyof typeof PROBES;
const missing = (needs: Proposal[]) => needs.filter((p) => !WebAssembly.validate(PROBES[p]));

describe('applyPolicy', () => {
  it('passes a deterministic module, 0xfd bytes in immediates and plain SIMD included', () => {
    const bytes = fixture('policy-plain');
    assert.equal(applyPolicy(bytes, DETERMINISTIC), bytes);
  });

  it('lowers the memory maximum to the limit, and the result still compiles', async () => {
    const out = applyPolicy(fixture('policy-plain'), { memory: 3 * PAGE + 100, deterministic: true });
    const memory = memoryOf(out);
    assert.equal(memory.min, 2);
    assert.equal(memory.max, 3);
    const { instance } = await WebAssembly.instantiate(out as Uint8Array<ArrayBuffer>);
    const mem = instance.exports.memory as WebAssembly.Memory;
    assert.throws(() => mem.grow(2), RangeError); // past the limit: refused, as the guest would see it
    assert.equal(mem.grow(1), 2);
  });

  it('makes the one memory of a module with imports an import (zerovm.memory), its limits in a custom section', () => {
    const exit = { proc_exit() {} };
    const bytes = moduleOf({ imports: [funcImport('wasi_snapshot_preview1', 'proc_exit')], memories: [[1, 1, 8]] });
    const module = new WebAssembly.Module(applyPolicy(bytes, { memory: 4 * PAGE, deterministic: true }) as Uint8Array<ArrayBuffer>);
    assert.deepEqual(
      WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name} ${i.kind}`),
      ['wasi_snapshot_preview1.proc_exit function', 'zerovm.memory memory'],
    );
    const [limits] = WebAssembly.Module.customSections(module, 'zerovm.memory');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(limits)), { initial: 1, maximum: 4 }); // the maximum lowered
    new WebAssembly.Instance(module, { wasi_snapshot_preview1: exit, zerovm: { memory: new WebAssembly.Memory({ initial: 1, maximum: 4 }) } });
    // A memory that could grow past the limit does not fit the import.
    const roomy = new WebAssembly.Memory({ initial: 1, maximum: 8 });
    assert.throws(() => new WebAssembly.Instance(module, { wasi_snapshot_preview1: exit, zerovm: { memory: roomy } }), WebAssembly.LinkError);
  });

  it('refuses a module that imports zerovm.memory itself (its limits would go unchecked)', () => {
    const bytes = moduleOf({ imports: [[...name('zerovm'), ...name('memory'), 2, 0, 1]], memories: [] });
    assert.throws(() => applyPolicy(bytes, { memory: 4 * PAGE, deterministic: true }), /imports zerovm\.memory, a name this runtime keeps/);
    assert.throws(() => applyPolicy(bytes, { memory: 4 * PAGE, deterministic: false }), /imports zerovm\.memory/);
  });

  it('keeps a maximum already below the limit', () => {
    const out = applyPolicy(fixture('policy-shared'), { memory: 100 * PAGE, deterministic: false });
    assert.equal(memoryOf(out).max, 2);
    assert.equal(memoryOf(out).shared, true);
  });

  it('refuses a module whose initial memory exceeds the limit', () => {
    assert.throws(() => applyPolicy(fixture('policy-plain'), { memory: PAGE, deterministic: true }), /needs 131072 bytes of memory to start.*limits\.memory/);
  });

  it('refuses relaxed SIMD in deterministic mode, and allows it in realtime mode', () => {
    assert.throws(() => applyPolicy(fixture('policy-relaxed'), DETERMINISTIC), /relaxed-SIMD/);
    assert.doesNotThrow(() => applyPolicy(fixture('policy-relaxed'), REALTIME));
  });

  it('refuses shared memory in deterministic mode', () => {
    assert.throws(() => applyPolicy(fixture('policy-shared'), DETERMINISTIC), /shared memory/);
  });

  it('leaves malformed bytes to the compiler, which rejects them', async () => {
    const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9]);
    assert.equal(applyPolicy(junk, { memory: PAGE, deterministic: true }), junk);
    await assert.rejects(WebAssembly.compile(junk), WebAssembly.CompileError);
  });
});

describe('the instruction scan', () => {
  it('finds relaxed SIMD in a function after one with GC instructions', () => {
    const bytes = fixture('policy-gc-relaxed');
    assert.throws(() => applyPolicy(bytes, DETERMINISTIC), /relaxed-SIMD instructions \(0xfd 0x105 in function 1\)/);
    assert.equal(applyPolicy(bytes, REALTIME), bytes);
  });

  const proposals: [string, Proposal[]][] = [
    ['policy-simd-bulk', []],
    ['policy-eh-legacy', []],
    ['policy-atomics', []],
    ['policy-exnref', ['exnref']],
    ['policy-funcref', ['typed function references']],
    ['policy-gc', ['gc']],
  ];
  for (const [name, needs] of proposals) {
    it(`reads every instruction of ${name} and refuses none`, (t) => {
      const bytes = fixture(name);
      // As an engine that has the proposal: what the scan cannot read is refused, not left to the compiler.
      withEngineAccepting(() => assert.equal(applyPolicy(bytes, DETERMINISTIC), bytes));
      const lacking = missing(needs);
      if (lacking.length === 0) assert.ok(WebAssembly.validate(bytes), `${name} is valid WebAssembly`);
      else t.diagnostic(`validity not checked: this engine lacks ${lacking.join(', ')}`);
    });
  }

  const unreadable: [string, number[], string][] = [
    ['a GC opcode past the standard ones', [0xfb, 0x99, 0x01], 'unknown instruction 0xfb 0x99'],
    ['memory.discard (not standard)', [0x41, 0, 0x41, 0, 0xfc, 0x12, 0], 'unknown instruction 0xfc 0x12'],
    ['a SIMD opcode past relaxed SIMD', [0xfd, 0xa0, 0x02], 'unknown instruction 0xfd 0x120'],
    ['an atomic opcode past the threads proposal', [0xfe, 0x4f, 0, 0], 'unknown instruction 0xfe 0x4f'],
    ['stack switching', [0xe0, 0], 'unknown instruction 0xe0'],
    ['a heap type past the standard ones', [0xd0, 0x65, 0x6e, 0x1a], 'unknown heap type 0x65'],
    ['instructions after the body has ended', [0x0b, 0x01], 'instructions past the end of the body'],
  ];
  for (const [what, body, reason] of unreadable) {
    it(`refuses ${what} where the engine would accept it, naming it`, () => {
      const bytes = moduleOf({ imports: [funcImport('env', 'f')], bodies: [[0x01], body] });
      const expected = `program could not be checked for determinism: ${reason} in function 2; deterministic mode refuses what it cannot check (set determinism.realtime to run it)`;
      withEngineAccepting(() => {
        assert.throws(() => applyPolicy(bytes, DETERMINISTIC), { message: expected });
        assert.equal(applyPolicy(bytes, REALTIME), bytes);
      });
    });
  }

  it('leaves an unknown instruction in a module the engine rejects to the compiler', async () => {
    const bytes = moduleOf({ bodies: [[0xfb, 0x99, 0x01]] });
    assert.equal(applyPolicy(bytes, DETERMINISTIC), bytes);
    await assert.rejects(WebAssembly.compile(bytes), WebAssembly.CompileError);
  });

  it('refuses nothing of real clang output (public/programs, test/hostile)', () => {
    const dirs = [new URL('../../public/programs/', import.meta.url), new URL('../hostile/', import.meta.url)];
    const programs = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => new URL(f, dir)));
    assert.ok(programs.length >= 10);
    for (const url of programs) {
      const bytes = read(url);
      const plan = planPolicy(bytes, { memory: 2 ** 30, deterministic: true });
      assert.doesNotThrow(() => plan.scan(), url.pathname);
      assert.ok(WebAssembly.validate(plan.bytes as Uint8Array<ArrayBuffer>), url.pathname);
    }
  });
});

describe('header sections', () => {
  it('lowers every memory maximum of a module with imports of each kind and three memories', (t) => {
    const bytes = fixture('policy-sections');
    const out = withEngineAccepting(() => applyPolicy(bytes, { memory: 3 * PAGE, deterministic: true }));
    assert.deepEqual(
      memoriesOf(out).map(({ min, max, memory64 }) => ({ min, max, memory64 })),
      [{ min: 2, max: 3, memory64: false }, { min: 1, max: 3, memory64: false }, { min: 1, max: 3, memory64: true }],
    );
    const lacking = missing(['multi-memory', 'memory64']);
    if (lacking.length === 0) assert.ok(WebAssembly.validate(out as Uint8Array<ArrayBuffer>));
    else t.diagnostic(`validity not checked: this engine lacks ${lacking.join(', ')}`);
  });

  it('refuses a module whose imported memory starts past the limit', () => {
    assert.throws(() => applyPolicy(fixture('policy-sections'), { memory: PAGE / 2, deterministic: false }), /needs 65536 bytes of memory to start \(imported env\.memory\)/);
  });

  it('refuses a module the engine accepts but whose imports it cannot read, rather than skip the limit', async () => {
    const exact = [...name('env'), ...name('g'), 0x20, 0]; // an import kind from a later proposal
    const bytes = moduleOf({ imports: [exact], memories: [[0, 1]], bodies: [[]] });
    withEngineAccepting(() => {
      assert.throws(
        () => planPolicy(bytes, { memory: 2 * PAGE, deterministic: false }),
        { message: 'program could not be checked against limits.memory: unknown import kind 0x20 in import env.g; a program whose memory cannot be limited is refused' },
      );
      assert.throws(() => planPolicy(bytes, DETERMINISTIC), /could not be checked for determinism: unknown import kind 0x20/);
      assert.equal(planPolicy(bytes, REALTIME).bytes, bytes); // nothing to check
    });
    // Where the engine rejects it too, the compiler names the problem.
    assert.equal(planPolicy(bytes, { memory: 2 * PAGE, deterministic: true }).bytes, bytes);
    await assert.rejects(WebAssembly.compile(bytes), WebAssembly.CompileError);
  });

  it('refuses memory limits it cannot read where the engine accepts them', () => {
    const customPages = moduleOf({ memories: [[0x08, 1, 12]] }); // custom page sizes: a page is not 64 KiB
    withEngineAccepting(() =>
      assert.throws(() => applyPolicy(customPages, { memory: 2 * PAGE, deterministic: false }), /could not be checked against limits\.memory: unknown limits flags 0x8/),
    );
  });
});

describe('compiled as it downloads (StreamedModule)', () => {
  type Outcome = { refused: string } | { invalid: true } | { imports: unknown; exports: unknown; memory: string[] };
  const shapeOf = (m: WebAssembly.Module): Outcome => ({
    imports: WebAssembly.Module.imports(m),
    exports: WebAssembly.Module.exports(m),
    memory: WebAssembly.Module.customSections(m, MEMORY_SECTION).map((s) => new TextDecoder().decode(s)),
  });
  const compiled = (m: Promise<WebAssembly.Module>) => m.then(shapeOf, () => ({ invalid: true }) as const);

  /** The whole-module way: planPolicy, its scan, WebAssembly.compile. */
  function whole(bytes: Uint8Array, policy: ModulePolicy): Promise<Outcome> {
    let out: Uint8Array;
    try {
      out = applyPolicy(bytes, policy);
    } catch (e) {
      return Promise.resolve({ refused: (e as Error).message });
    }
    return compiled(WebAssembly.compile(out as Uint8Array<ArrayBuffer>));
  }

  /** `bytes` pushed in pieces cut at `cuts`; what came back and what the compile (and what a store would keep) comes to. */
  async function streamed(bytes: Uint8Array, policy: ModulePolicy, cuts: number[]): Promise<Outcome> {
    const stream = new StreamedModule(policy);
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      stream.push(bytes.slice(at, cut), cuts.length % 2 ? bytes.length : null);
      at = cut;
    }
    const back = stream.end();
    assert.deepEqual(back, bytes, 'the bytes as they came');
    assert.equal(back.buffer.byteLength, back.length, 'kept in a buffer of their size');
    if (stream.refusal) return { refused: stream.refusal.message };
    const outcome = await compiled(stream.finish());
    if (stream.compiled().length > 0) {
      let planned: Uint8Array | null = null;
      try {
        planned = applyPolicy(bytes, policy);
      } catch {
        // refused whole, not as it came: the assertion on the outcome says so
      }
      if (planned) assert.deepEqual(stream.compiled(), planned, 'the bytes compiled are those the whole-module policy gives');
    }
    return outcome;
  }

  const policies: ModulePolicy[] = [DETERMINISTIC, REALTIME, { memory: 2 * PAGE, deterministic: true }, { memory: 64 * PAGE, deterministic: false }, { memory: PAGE, deterministic: true }];
  const everyWay = (n: number) => [[], [1], [8], [9, 10, 11], Array.from({ length: Math.floor(n / 7) }, (_, i) => 7 * (i + 1)), [Math.floor(n / 2)], [n - 1]];

  it('comes to what the whole module comes to, the same bytes compiled and refusals word for word, however the bytes are cut (fixtures, clang output)', async () => {
    const fixtures = readdirSync(new URL('../fixtures/', import.meta.url)).filter((f) => f.endsWith('.wasm')).map((f) => fixture(f.slice(0, -5)));
    const programs = ['hello', 'cat', 'calc'].map((p) => read(new URL(`../../public/programs/${p}.wasm`, import.meta.url)));
    const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9]);
    const notWasm = new TextEncoder().encode('<!doctype html><p>not found</p>');
    let refused = 0;
    for (const bytes of [...fixtures, ...programs, junk, notWasm, new Uint8Array(0)]) {
      for (const policy of policies) {
        const expected = await whole(bytes, policy);
        if ('refused' in expected) refused++;
        for (const cuts of everyWay(bytes.length)) {
          assert.deepEqual(await streamed(bytes, policy, cuts.filter((c) => c > 0 && c < bytes.length)), expected, `${bytes.length} bytes, ${JSON.stringify(policy)}, cut at ${cuts.slice(0, 4).join(',')}…`);
        }
      }
    }
    assert.ok(refused >= 5, `some refusals were compared (${refused})`);
  });

  it('refuses what the policy cannot read where the engine accepts it, as the whole module is refused', () => {
    const unreadableImport = moduleOf({ imports: [[...name('env'), ...name('g'), 0x20, 0]], memories: [[0, 1]], bodies: [[]] });
    const unreadableCode = moduleOf({ imports: [funcImport('env', 'f')], bodies: [[0x01], [0xfb, 0x99, 0x01]] });
    withEngineAccepting(() => {
      for (const [bytes, policy] of [[unreadableImport, { memory: 2 * PAGE, deterministic: false }], [unreadableCode, DETERMINISTIC]] as const) {
        const stream = new StreamedModule(policy);
        for (let at = 0; at < bytes.length; at += 3) stream.push(bytes.slice(at, at + 3), null);
        stream.end();
        assert.throws(() => applyPolicy(bytes, policy), { message: stream.refusal?.message });
      }
    });
  });

  it('refuses relaxed SIMD as soon as its function body is in, before the rest of the module', () => {
    const v128 = [0xfd, 0x0c, ...new Array(16).fill(0)];
    const relaxed = [...v128, ...v128, 0xfd, 0x80, 0x02, 0x1a]; // i8x16.relaxed_swizzle, dropped
    const bytes = moduleOf({ bodies: [[0x01], relaxed, new Array(4000).fill(0x01)] });
    const stream = new StreamedModule(DETERMINISTIC);
    let pushed = 0;
    while (!stream.refusal && pushed < bytes.length) {
      stream.push(bytes.slice(pushed, pushed + 64), bytes.length);
      pushed += 64;
    }
    assert.match(stream.refusal?.message ?? 'not refused', /relaxed-SIMD instructions \(0xfd 0x100 in function 1\)/);
    assert.ok(pushed < bytes.length / 2, `refused after ${pushed} of ${bytes.length} bytes`);
    assert.equal(new StreamedModule(REALTIME).refusal, null);
  });
});
