// One manifest run again and again, another among them: a worker takes a request like the last
// without parsing it and loads the next VM's kernel for it ahead (worker/last-request.ts,
// spare.ts), and every run must still come out as its own manifest says. The same runs in Node
// and in Chromium and Firefox, isolated and not (the box's bytes, a message's text).
import type { Manifest } from '../../src/index.js';

export interface AgainRun {
  manifest: Manifest;
  /** How its stdout ends. */
  ends: string;
}

/**
 * notes rewrites the file it is given (a run that saw the last one's would list a note twice);
 * env prints its variables (a request taken for one a letter apart would print the old value).
 * Without bytes in it, env's request also goes as text in a message when not isolated.
 */
export function againRuns(locate: (name: string) => string): AgainRun[] {
  const notes = (add: string): AgainRun => ({
    manifest: { program: locate('notes'), args: ['notes', '/data/notes.txt'], files: { '/data/notes.txt': '[ ] one\n' }, stdin: `add ${add}\nlist\n` },
    ends: `1. [ ] one\n2. [ ] ${add}\nnotes> \nbye\n`,
  });
  const env = (x: string): AgainRun => ({ manifest: { program: locate('env'), args: ['env'], env: { X: x } }, ends: `argc=1\nargv[0]=env\nX=${x}\n` });
  return [notes('two'), notes('two'), notes('two'), notes('three'), notes('two'), notes('two'), env('1'), env('1'), env('1'), env('2'), env('1'), env('1')];
}

/** Lets the worker make (and load) its spare before the next run. */
export const idle = () => new Promise((resolve) => setTimeout(resolve, 10));
