// The plugins demo (demos/plugins.html): the user's text through a chain of untrusted plugins
// (steps.ts), each loaded once with limits of its own and each call a VM in the plugin's own
// worker (chain.ts), a card per call with its output and report (view.ts). A plugin that runs away
// or floods is stopped by its limits and named, while the page goes on answering: it only waits.
import { render } from 'lit';
import { formatMs } from '../../src/elements/format.js';
import { type HostFunction, type Plugin, ZeroVM } from '../../src/index.js';
import { type Link, outcome, runChain, type StepState } from './chain.js';
import { type Step, STEPS } from './steps.js';
import { cards, chainList } from './view.js';

const SAMPLE = `The quick brown fox jumps over the lazy dog.
Darn it, said the dog: that heck of a fox again!
Plugins see only the text they are given.`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLTextAreaElement>('input');
const bannedWords = $<HTMLInputElement>('banned');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const phase = $<HTMLSpanElement>('phase');
const chain = $<HTMLOListElement>('chain');
const results = $<HTMLElement>('cards');

input.value = SAMPLE;

const decoder = new TextDecoder();

/** The page's answer to filter's host function banned(word): "1" when the word is on the list. */
function banned(word: Uint8Array): string {
  const list = bannedWords.value.toLowerCase().split(/[\s,]+/).filter(Boolean);
  return list.includes(decoder.decode(word).toLowerCase()) ? '1' : '0';
}

// Each plugin is granted the host functions it needs, and no other.
const GRANTS: Record<string, Record<string, HostFunction>> = { filter: { banned } };

// Each plugin runs on workers of its own; this ZeroVM's own pool runs nothing here.
const vm = new ZeroVM({ pool: 1 });
const enabled = STEPS.map((step) => step.enabled);
let plugins: Plugin[] | null = null;
let run: { step: Step; state: StepState }[] = [];
let stopper: AbortController | null = null;

function draw(): void {
  render(
    chainList(STEPS, enabled, (i, on) => {
      enabled[i] = on;
      draw();
    }),
    chain,
  );
  render(cards(run, performance.now()), results);
  const running = run.find((r) => r.state.state === 'running');
  if (running?.state.state === 'running') say(`Running ${running.step.name}… ${formatMs(performance.now() - running.state.started)}`);
}

function say(text: string): void {
  phase.textContent = text;
}

function busy(yes: boolean): void {
  runButton.disabled = yes;
  stopButton.disabled = !yes;
}

async function runOnPage(): Promise<void> {
  if (!plugins || stopper) return;
  const chosen = STEPS.flatMap((step, i) => (enabled[i] ? [{ step, plugin: plugins![i]! }] : []));
  const links: Link[] = chosen.map(({ step, plugin }) => ({ plugin, function: step.function }));
  run = chosen.map(({ step }) => ({ step, state: { state: 'waiting' } }));
  stopper = new AbortController();
  busy(true);
  // Redraws the running step's elapsed time: a live count while a plugin spins in its worker.
  const ticker = setInterval(draw, 100);
  try {
    await runChain(links, input.value, (i, state) => {
      run[i] = { step: run[i]!.step, state };
      draw();
    }, stopper.signal);
    say(summary(stopper.signal.aborted));
  } catch (e) {
    say(`Failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(ticker);
    stopper = null;
    busy(false);
    draw();
  }
}

/** "Done: 3 steps ok." · "Done: 3 steps ok; runaway (timeout) skipped." · "Stopped: 2 steps ok; runaway stopped; 1 not run." */
function summary(stopped: boolean): string {
  if (run.length === 0) return 'No step is on: the text went nowhere.';
  const count = (word: string) => run.filter((r) => outcome(r.state) === word).length;
  const ok = count('ok');
  const skipped = run.flatMap((r) => (r.state.state === 'failed' && outcome(r.state) !== 'killed' ? [`${r.step.name} (${outcome(r.state)})`] : []));
  const killed = run.find((r) => outcome(r.state) === 'killed');
  const waiting = count('waiting');
  const parts = [
    `${stopped ? 'Stopped' : 'Done'}: ${ok} step${ok === 1 ? '' : 's'} ok`,
    skipped.length > 0 && `${skipped.join(', ')} skipped`,
    killed && `${killed.step.name} stopped`,
    waiting > 0 && `${waiting} not run`,
  ];
  return `${parts.filter(Boolean).join('; ')}.`;
}

runButton.addEventListener('click', () => void runOnPage());
stopButton.addEventListener('click', () => stopper?.abort(new Error('the Stop button')));
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void runOnPage();
  }
});

draw();
say('Loading the plugins…');
Promise.all(STEPS.map((step) => vm.plugin({ program: step.program, limits: step.limits }, { hostFunctions: GRANTS[step.name] ?? {} }))).then(
  (loaded) => {
    plugins = loaded;
    busy(false);
    say(`${loaded.length} plugins loaded. Press Run.`);
  },
  (e: Error) => say(`Could not load the plugins: ${e.message}`),
);
