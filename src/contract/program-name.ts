// argv[0] for a program given by URL or path, the one rule every front uses (API, element, CLI,
// playground): its file name without `.wasm`. "/programs/wc.wasm?v=2" → "wc"; bytes → "program".

export function programName(program: unknown): string {
  if (typeof program !== 'string') return 'program';
  const file = program.split(/[?#]/, 1)[0].split(/[/\\]/).pop() ?? '';
  return file.replace(/\.wasm$/i, '') || 'program';
}
