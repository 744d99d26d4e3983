// The page functions the playground offers its programs, each on a call channel: a guest writes a
// request to /dev/call/NAME, and its next read asks the page function and waits for the reply
// (dict asks /dev/call/dict for each word). Plain functions of text; the app binds them per run.

export interface PageFunction {
  /** The call channel it answers on. */
  path: string;
  /** How the UI names it. */
  signature: string;
  summary: string;
  /** The reply to one request: empty when it has none. */
  answer(request: string): string;
}

/** What the page knows, and the guest does not: looked up by `lookUp(word)`. */
export const DICTIONARY: Readonly<Record<string, string>> = {
  wasm: 'WebAssembly: a portable binary instruction format, run in a sandbox',
  wasi: 'the WebAssembly System Interface: files, clocks and random numbers for wasm programs',
  sandbox: 'a place where untrusted code runs without reaching anything it was not given',
  zerovm: 'a hypervisor (2013) that started a fresh, tiny VM for every request',
  channel: 'the only way a ZeroVM guest reaches the world, declared in its manifest',
  manifest: 'what a VM is given: its program, arguments, limits and channels',
  etag: 'a hash of every byte that went through a channel',
  worker: 'a browser thread with its own event loop: each VM runs in one',
  deterministic: 'giving the same output for the same input, every time',
  report: 'how every run ends: its status, exit code, output and accounting',
  quota: 'the most reads, writes or bytes a channel allows',
  kernel: 'the code that answers a program\'s system calls',
};

export const PAGE_FUNCTIONS: readonly PageFunction[] = [
  {
    path: '/dev/call/dict',
    signature: 'lookUp(word)',
    summary: `the page's dictionary of ${Object.keys(DICTIONARY).length} words`,
    answer: (word) => DICTIONARY[word.trim().toLowerCase()] ?? '',
  },
];

/** One call a page function answered. */
export interface Call {
  request: string;
  reply: string;
}

/** A page function's calls in one run: how many, and the last few. */
export interface Calls {
  count: number;
  recent: Call[];
}

const RECENT = 8;

/** `calls` with one more. */
export function withCall(calls: Calls | undefined, call: Call): Calls {
  return { count: (calls?.count ?? 0) + 1, recent: [...(calls?.recent ?? []), call].slice(-RECENT) };
}
