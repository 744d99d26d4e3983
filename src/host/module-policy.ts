// What the host checks and rewrites in a module's bytes before compiling it: the memory limit
// (enforced by lowering the memory's declared maximum, so memory.grow fails the way the guest
// expects) and, in deterministic mode, refusal of what could make runs differ.
import { type Import, ImportKind, leb, type MemoryLimits, Reader, readImports, readMemories, type Section, SectionId, sections, WasmFormatError } from './wasm-binary.js';
import { scanCode } from './wasm-code.js';
import { concatBytes } from '../contract/bytes.js';
import { isMemoryImport, MEMORY_IMPORT, MEMORY_SECTION, type MemoryShape } from '../contract/memory-import.js';
import { Refusal } from './refusal.js';
import type { Manifest } from '../contract/manifest.js';
import { limitsOf } from './defaults.js';

const PAGE = 65536;

/** The policy a manifest's program is checked and compiled under: its memory limit, and determinism unless it runs realtime. */
export function policyOf(manifest: Manifest): ModulePolicy {
  if (manifest.program instanceof WebAssembly.Module && manifest.limits?.memory !== undefined) {
    throw new Refusal('manifest.limits.memory: a compiled WebAssembly.Module cannot be limited; pass the program as bytes or a URL');
  }
  return {
    memory: limitsOf(manifest.limits).memory,
    deterministic: !manifest.determinism?.realtime,
  };
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
  /** Throws a Refusal, in deterministic mode, for relaxed-SIMD instructions or code it cannot read. */
  scan(): void;
}

/** What the policy reads of a module before its code. */
interface Header {
  imports: Import[];
  importSection: Section | undefined;
  memories: MemoryLimits[];
  memorySection: Section | undefined;
  code: Section | undefined;
}

function readHeader(bytes: Uint8Array): Header {
  const list = sections(bytes);
  const importSection = list.find((s) => s.id === SectionId.Import);
  const memorySection = list.find((s) => s.id === SectionId.Memory);
  return {
    imports: importSection ? readImports(bytes, importSection) : [],
    importSection,
    memories: memorySection ? readMemories(bytes, memorySection) : [],
    memorySection,
    code: list.find((s) => s.id === SectionId.Code),
  };
}

/** What a module that could not be read was to be checked for, and what refusing it means. */
const MEMORY_CHECK = { against: 'against limits.memory', because: 'a program whose memory cannot be limited is refused' };
const DETERMINISM_CHECK = {
  against: 'for determinism',
  because: 'deterministic mode refuses what it cannot check (set determinism.realtime to run it)',
};

/**
 * What a module that could not be read comes to. If the engine rejects it too, it is malformed, and
 * the compiler names the problem better: return, and let it. If the engine accepts it, what could not
 * be read is a gap in this reader (a newer proposal, say), and what it hides was never checked: refuse.
 */
function unreadable(bytes: Uint8Array, error: unknown, check: typeof MEMORY_CHECK): void {
  if (!(error instanceof WasmFormatError)) throw error;
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return;
  throw new Refusal(`program could not be checked ${check.against}: ${error.message}; ${check.because}`);
}

/**
 * Checks and rewrites what can be done from the module's header sections (refusing shared
 * memory, thread imports, and memory past the limit); the instruction scan is returned for later.
 * Malformed modules are left to the compiler, which names the problem precisely; a module the
 * engine accepts but the policy cannot read is refused, never passed unchecked.
 */
export function planPolicy(bytes: Uint8Array, policy: ModulePolicy): PolicyPlan {
  const unchecked = { bytes, scan() {} };
  if (nothingToCheck(policy)) return unchecked;
  let header: Header;
  try {
    header = readHeader(bytes);
  } catch (e) {
    unreadable(bytes, e, policy.memory === null ? DETERMINISM_CHECK : MEMORY_CHECK);
    return unchecked;
  }
  const { code } = header;
  const firstFunction = functionImports(header);
  const scan = () => {
    if (!policy.deterministic || !code) return;
    let relaxed: string | null;
    try {
      relaxed = scanCode(bytes, code, firstFunction).relaxedSimd;
    } catch (e) {
      unreadableCode(bytes, e);
      return;
    }
    if (relaxed) refuseRelaxedSimd(relaxed);
  };
  return { bytes: lower(bytes, header, policy), scan };
}

const nothingToCheck = (policy: ModulePolicy) => !policy.deterministic && policy.memory === null;

const functionImports = (header: Header) => header.imports.filter((i) => i.kind === ImportKind.Func).length;

/** A module's sections before its code, checked and rewritten as planPolicy does the whole module. */
export interface HeaderPlan {
  /** What to compile in place of those sections. */
  bytes: Uint8Array;
  /** The index of the first function the code section defines (for the scan's messages). */
  firstFunction: number;
}

/**
 * planPolicy for the sections before the code section alone (`prefix` ends where it begins), for a
 * module compiled while it downloads (module-stream.ts): the code is scanned as it comes, with
 * CodeScanner. Null when the policy cannot read these sections: the caller then waits for the
 * whole module and plans it with planPolicy, which decides what that means.
 */
export function planHeader(prefix: Uint8Array, policy: ModulePolicy): HeaderPlan | null {
  if (nothingToCheck(policy)) return { bytes: prefix, firstFunction: 0 };
  let header: Header;
  try {
    header = readHeader(prefix);
  } catch (e) {
    if (e instanceof WasmFormatError) return null;
    throw e;
  }
  return { bytes: lower(prefix, header, policy), firstFunction: functionImports(header) };
}

/** What the code scan's failure to read `bytes` (the whole module) comes to, as in planPolicy. */
export function unreadableCode(bytes: Uint8Array, error: unknown): void {
  unreadable(bytes, error, DETERMINISM_CHECK);
}

export function refuseRelaxedSimd(found: string): never {
  throw new Refusal(`program uses relaxed-SIMD instructions (${found}), whose results differ between machines; deterministic mode refuses them`);
}

/** planPolicy with its scan done at once: the bytes to compile, or a Refusal. */
export function applyPolicy(bytes: Uint8Array, policy: ModulePolicy): Uint8Array {
  const plan = planPolicy(bytes, policy);
  plan.scan();
  return plan.bytes;
}

function lower(bytes: Uint8Array, header: Header, policy: ModulePolicy): Uint8Array {
  const { imports, memories, memorySection } = header;
  if (policy.deterministic) {
    const shared = [...imports.map((i) => i.memory), ...memories].some((m) => m?.shared);
    if (shared) throw new Refusal('program uses shared memory (threads), which deterministic mode refuses; set determinism.realtime to run it');
    const thread = imports.find((i) => i.name === 'thread-spawn' || i.module === 'wasi-threads');
    if (thread) throw new Refusal(`program imports ${thread.module}.${thread.name} (threads), which deterministic mode refuses; set determinism.realtime to run it`);
  }

  // The worker gives that import the limits a custom section names: a module must not name its own.
  const taken = imports.find(isMemoryImport);
  if (taken) throw new Refusal(`program imports ${taken.module}.${taken.name}, a name this runtime keeps for the memory it gives a program`);

  if (policy.memory === null) return bytes;
  const maxPages = Math.floor(policy.memory / PAGE);
  for (const i of imports) if (i.memory) capped(i.memory, maxPages, `imported ${i.module}.${i.name}`);
  if (!memorySection || memories.length === 0) return bytes;
  const lowered = memories.map((m, index) => capped(m, maxPages, `memory ${index}`));
  if (header.importSection && memories.length === 1 && !memories[0].shared && !memories[0].memory64 && imports.every((i) => !i.memory)) {
    return importedMemory(bytes, header.importSection, memorySection, memories[0], lowered[0]!);
  }

  // Re-encode the memory section with lowered maxima and splice it in place of the old one.
  const payload = [...leb(memories.length)];
  memories.forEach((m, index) => payload.push(...encodeLimits(m, lowered[index])));
  return concatBytes([bytes.subarray(0, memorySection.start), encodeSection(SectionId.Memory, payload), bytes.subarray(memorySection.end)]);
}

/** A section: its id, its payload's length, its payload. */
const encodeSection = (id: SectionId, payload: number[]) => Uint8Array.from([id, ...leb(payload.length), ...payload]);

const utf8 = new TextEncoder();
const vecName = (name: string) => [...leb(utf8.encode(name).length), ...utf8.encode(name)];

/**
 * The module with its one memory imported (`zerovm.memory`, same limits, maximum lowered) rather
 * than defined, and a custom section giving those limits: the worker then hands each instance a
 * memory of its own making, and can hand a small one it zero-filled to the next VM of the module
 * (worker/memories.ts) instead of having the engine allocate one and the GC free it per run. The
 * memory keeps index 0 (imported memories come first), so the code and the export are unchanged.
 */
function importedMemory(bytes: Uint8Array, imports: Section, memory: Section, limits: MemoryLimits, max: number): Uint8Array {
  const r = new Reader(bytes, imports.payload, imports.end);
  const count = r.u32();
  const entry = [...vecName(MEMORY_IMPORT.module), ...vecName(MEMORY_IMPORT.name), ImportKind.Memory, ...encodeLimits(limits, max)];
  const importPayload = [...leb(count + 1), ...bytes.subarray(r.at, imports.end), ...entry];
  const shape: MemoryShape = { initial: limits.min, maximum: max };
  const customPayload = [...vecName(MEMORY_SECTION), ...utf8.encode(JSON.stringify(shape))];
  // The custom section goes first: the worker reads the first of that name (a module may carry its
  // own), and it is then in the same place whether the module is planned whole or as it downloads.
  return concatBytes([
    bytes.subarray(0, 8),
    encodeSection(SectionId.Custom, customPayload),
    bytes.subarray(8, imports.start),
    encodeSection(SectionId.Import, importPayload),
    bytes.subarray(imports.end, memory.start),
    bytes.subarray(memory.end),
  ]);
}
