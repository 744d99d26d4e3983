// Running the chain: the text goes through each enabled plugin in turn, each call's output the
// next call's input. No DOM here: the page draws the states this reports.
import { type Plugin, PluginError, type Report } from '../../src/index.js';

/** A step of a run: a loaded plugin and the export to call. */
export interface Link {
  plugin: Plugin;
  function: string;
}

export type StepState =
  | { state: 'waiting' }
  | { state: 'running'; started: number }
  | { state: 'ok'; output: string; report: Report }
  /** Skipped, its input going on to the next step; or, killed by a stop, the chain's end. */
  | { state: 'failed'; error: string; report: Report };

/** A step's outcome in a word: its state; a failed call's report status, "error" when the plugin itself failed. */
export function outcome(step: StepState): string {
  if (step.state !== 'failed') return step.state;
  return step.report.status === 'ok' ? 'error' : step.report.status;
}

/**
 * Passes `input` through `links` in order; resolves with what the last one said. A step that fails
 * (its own error, a trap, a limit, a timeout) is skipped: the text it was given goes on to the next
 * step, so one bad plugin cannot take the rest of the chain with it. A stop (`signal`) ends the call
 * in flight (its report says killed) and the chain: the steps after it stay waiting.
 */
export async function runChain(
  links: readonly Link[],
  input: string,
  onState: (index: number, state: StepState) => void,
  signal: AbortSignal,
): Promise<string> {
  links.forEach((_, i) => onState(i, { state: 'waiting' }));
  let text = input;
  for (const [i, link] of links.entries()) {
    if (signal.aborted) break;
    onState(i, { state: 'running', started: performance.now() });
    try {
      const result = await link.plugin.call(link.function, text, { signal });
      text = result.text();
      onState(i, { state: 'ok', output: text, report: result.report });
    } catch (e) {
      if (!(e instanceof PluginError)) throw e;
      onState(i, { state: 'failed', error: e.message, report: e.report });
    }
  }
  return text;
}
