// What the host checks and rewrites in a module's bytes before compiling it: the memory limit
// (enforced by lowering the memory's declared maximum, so memory.grow fails the way the guest
// expects) and, in deterministic mode, refusal of what could make runs differ.
import { leb, readImports, readMemories, type MemoryLimits, type Section, sections, WasmFormatError } from './wasm-binary.js';
import { scanCode } from './wasm-code.js';
import { Refusal } from './refusal.js';

const PAGE = 65536;
const enum SectionId {
  Import = 2,
  Memory = 5,
  Code = 10,
}

export interface ModulePolicy {
  /** Most linear-memory bytes; null for no limit. */
  memory: number | null;
  deterministic: boolean;
}


function encodeLimits(limits: MemoryLimits, max: number | null): number[] {
  const flags = (limits.shared ? 2 : 0) | (limits.memory64 ? 4 : 0) | (max === null ? 0 : 1);
  return [flags, ...leb(limits.min), ...(max === null ? [] : leb(max))];
}

function capped(limits: MemoryLimits, maxPages: number, where: string): number | null {
  if (limits.min > maxPages) {
    throw new Refusal(
      `program needs ${limits.min * PAGE} bytes of memory to start (${where}), more than limits.memory allows (${maxPages * PAGE})`,
    );
  }
  return limits.max === null ? maxPages : Math.min(limits.max, maxPages);
}

/** What to compile, and the one check that walks every instruction (left to run while the engine compiles). */
export interface PolicyPlan {
  /** `bytes` itself, or a copy with memory maxima lowered. */
  bytes: Uint8Array;
  /** Throws a Refusal for relaxed-SIMD instructions in deterministic mode. */
  scan(): void;
}

/**
 * Checks and rewrites what can be done from the module's header sections (refusing shared
 * memory, thread imports, and memory past the limit); the instruction scan is returned for later.
 * Malformed modules are left to the compiler, which names the problem precisely.
 */
export function planPolicy(bytes: Uint8Array, policy: ModulePolicy): PolicyPlan {
  let list: Section[];
  try {
    list = sections(bytes);
  } catch (e) {
    if (e instanceof WasmFormatError) return { bytes, scan() {} };
    throw e;
  }
  const code = list.find((s) => s.id === SectionId.Code);
  const scan = () => {
    if (!policy.deterministic || !code) return;
    let relaxed: string | null = null;
    try {
      relaxed = scanCode(bytes, code).relaxedSimd;
    } catch (e) {
      if (!(e instanceof WasmFormatError)) throw e;
    }
    if (relaxed) throw new Refusal(`program uses relaxed-SIMD instructions (${relaxed}), whose results differ between machines; deterministic mode refuses them`);
  };
  try {
    return { bytes: lower(bytes, list, policy), scan };
  } catch (e) {
    if (e instanceof WasmFormatError) return { bytes, scan() {} };
    throw e;
  }
}

/** planPolicy with its scan done at once: the bytes to compile, or a Refusal. */
export function applyPolicy(bytes: Uint8Array, policy: ModulePolicy): Uint8Array {
  const plan = planPolicy(bytes, policy);
  plan.scan();
  return plan.bytes;
}

function lower(bytes: Uint8Array, list: Section[], policy: ModulePolicy): Uint8Array {
  const importSection = list.find((s) => s.id === SectionId.Import);
  const memorySection = list.find((s) => s.id === SectionId.Memory);
  const imports = importSection ? readImports(bytes, importSection) : [];
  const memories = memorySection ? readMemories(bytes, memorySection) : [];

  if (policy.deterministic) {
    const shared = [...imports.map((i) => i.memory), ...memories].some((m) => m?.shared);
    if (shared) throw new Refusal('program uses shared memory (threads), which deterministic mode refuses; set determinism.realtime to run it');
    const thread = imports.find((i) => i.name === 'thread-spawn' || i.module === 'wasi-threads');
    if (thread) throw new Refusal(`program imports ${thread.module}.${thread.name} (threads), which deterministic mode refuses; set determinism.realtime to run it`);
  }

  if (policy.memory === null) return bytes;
  const maxPages = Math.floor(policy.memory / PAGE);
  for (const i of imports) if (i.memory) capped(i.memory, maxPages, `imported ${i.module}.${i.name}`);
  if (!memorySection || memories.length === 0) return bytes;

  // Re-encode the memory section with lowered maxima and splice it in place of the old one.
  const payload = [...leb(memories.length)];
  memories.forEach((m, index) => payload.push(...encodeLimits(m, capped(m, maxPages, `memory ${index}`))));
  const head = [SectionId.Memory, ...leb(payload.length)];
  const out = new Uint8Array(bytes.length - (memorySection.end - memorySection.start) + head.length + payload.length);
  out.set(bytes.subarray(0, memorySection.start));
  out.set(head, memorySection.start);
  out.set(payload, memorySection.start + head.length);
  out.set(bytes.subarray(memorySection.end), memorySection.start + head.length + payload.length);
  return out;
}
