// The plugins demo (demos/plugins.html) driven as a user drives it, in a frame of the test page:
// type a text, run the chain, read each step's card; turn on runaway and flood and see their limits
// stop them, named, while the page goes on answering (its elapsed count moves, a later run works).
import { assert, assertEqual } from './assert.js';
import { mount, stop, typeKeys, until } from './dom.js';

/** The demo page in a frame, once its plugins are loaded (Run is enabled then). */
async function openDemo(): Promise<Document> {
  const frame = mount(Object.assign(document.createElement('iframe'), { src: '/demos/plugins.html' }));
  frame.style.cssText = 'width: 1000px; height: 800px';
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const page = frame.contentDocument!;
  await until(() => !page.querySelector<HTMLButtonElement>('#run')!.disabled, 'the plugins to load');
  return page;
}

async function typeText(page: Document, text: string): Promise<void> {
  const field = page.querySelector<HTMLTextAreaElement>('#input')!;
  field.select();
  field.focus();
  await typeKeys(text);
  assertEqual(field.value, text, 'the text typed');
}

function toggle(page: Document, step: string): void {
  page.querySelector<HTMLInputElement>(`#chain [data-step="${step}"] input[type=checkbox]`)!.click();
}

/** Clicks Run and waits until the run is over (Run is enabled again); returns the status line. */
async function clickRun(page: Document): Promise<string> {
  const run = page.querySelector<HTMLButtonElement>('#run')!;
  run.click();
  assert(run.disabled, 'Run is disabled while the chain runs');
  await until(() => !run.disabled, 'the chain to finish');
  return page.querySelector('#phase')!.textContent!;
}

interface Card {
  state: string;
  badge: string;
  output: string | null;
  error: string | null;
  fields: Record<string, string>;
  logs: string[];
}

function cards(page: Document): Record<string, Card> {
  return Object.fromEntries(
    [...page.querySelectorAll<HTMLElement>('#cards .card')].map((card) => [
      card.dataset.step!,
      {
        state: card.dataset.state!,
        badge: card.querySelector('.badge')!.textContent!,
        output: card.querySelector('pre.output')?.textContent ?? null,
        error: card.querySelector('.error')?.textContent ?? null,
        fields: Object.fromEntries([...card.querySelectorAll<HTMLElement>('.report tr')].map((tr) => [tr.dataset.field!, tr.querySelector('td')!.textContent!])),
        logs: [...card.querySelectorAll('.logs li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
      },
    ]),
  );
}

const TEXT = 'Well darn it,\nthat heck of a fox!';
const SHOUTED = 'WELL **** IT,\nTHAT **** OF A FOX!';
const COUNTS = '{"lines":2,"words":8,"chars":33,"bytes":33}';

describe('the plugins demo page', () => {
  afterEach(stop);

  it('passes the text through filter, shout and wordcount: a card per call with its output and report', async function () {
    this.timeout(60_000);
    const page = await openDemo();
    await typeText(page, TEXT);
    const said = await clickRun(page);
    assertEqual(said, 'Done: 3 steps ok.', 'the status line');
    const shown = cards(page);
    assertEqual(Object.keys(shown), ['filter', 'shout', 'wordcount'], 'the cards (runaway and flood start off)');
    assertEqual(shown.filter!.output, 'Well **** it,\nthat **** of a fox!', 'filter, asking the page about each word');
    assertEqual(shown.filter!.logs, ['info asked about 8 words, redacted 2'], "filter's log");
    assertEqual(shown.shout!.output, SHOUTED, 'shout');
    assertEqual(shown.wordcount!.output, COUNTS, 'wordcount');
    for (const [name, card] of Object.entries(shown)) {
      assertEqual([card.state, card.badge, card.fields.status], ['ok', 'ok', 'ok'], `${name}'s state`);
      assert(/^\d/.test(card.fields.run!) && /^\d/.test(card.fields.memory!), `${name}: runMs and memory shown, got ${JSON.stringify(card.fields)}`);
    }
    assertEqual(shown.wordcount!.fields.output, `${COUNTS.length} B`, "wordcount's outputBytes");
  });

  it('runaway is stopped by its timeout and named, the chain skips it, and the page answers throughout', async function () {
    this.timeout(60_000);
    const page = await openDemo();
    await typeText(page, TEXT);
    toggle(page, 'runaway');
    const run = page.querySelector<HTMLButtonElement>('#run')!;
    run.click();
    // While runaway spins in its worker the page counts up: its main thread is free.
    const elapsed = () => page.querySelector('#cards [data-step="runaway"][data-state="running"] .elapsed')?.textContent;
    const first = await until(elapsed, 'runaway to run');
    await until(() => elapsed() !== first, 'the elapsed count to move on');
    await until(() => !run.disabled, 'the chain to finish');
    assertEqual(page.querySelector('#phase')!.textContent, 'Done: 3 steps ok; runaway (timeout) skipped.', 'the status line names runaway');
    const shown = cards(page);
    assertEqual(Object.keys(shown), ['filter', 'shout', 'runaway', 'wordcount'], 'the cards');
    const runaway = shown.runaway!;
    assertEqual([runaway.state, runaway.badge, runaway.fields.status, runaway.output], ['failed', 'timeout', 'timeout', null], "runaway's card");
    assertEqual(runaway.fields.message, 'timed out after 1000 ms', "runaway's report message: its limits.timeout");
    assert(runaway.error!.startsWith('Stopped by its timeout: timed out after 1000 ms. Skipped'), `runaway's card says why: ${runaway.error}`);
    assertEqual(shown.wordcount!.output, COUNTS, "wordcount got shout's output, runaway skipped");

    // Off again, the chain runs as before: runaway's worker was replaced, nothing is stuck.
    toggle(page, 'runaway');
    assertEqual(await clickRun(page), 'Done: 3 steps ok.', 'a run afterwards');
    assertEqual(cards(page).wordcount!.output, COUNTS, 'wordcount afterwards');
  });

  it('Stop ends the running call (killed) and the chain; Run works again at once', async function () {
    this.timeout(60_000);
    const page = await openDemo();
    await typeText(page, TEXT);
    toggle(page, 'runaway');
    const run = page.querySelector<HTMLButtonElement>('#run')!;
    run.click();
    await until(() => page.querySelector('#cards [data-step="runaway"][data-state="running"]'), 'runaway to run');
    page.querySelector<HTMLButtonElement>('#stop')!.click();
    await until(() => !run.disabled, 'the chain to stop');
    assertEqual(page.querySelector('#phase')!.textContent, 'Stopped: 2 steps ok; runaway stopped; 1 not run.', 'the status line');
    const shown = cards(page);
    assertEqual([shown.runaway!.state, shown.runaway!.badge], ['failed', 'killed'], "runaway's card");
    assert(shown.runaway!.error!.startsWith('Stopped by you') && shown.runaway!.error!.endsWith('The chain stopped here.'), `runaway's card says why: ${shown.runaway!.error}`);
    assertEqual(shown.wordcount!.state, 'waiting', 'wordcount, after the stop');
    toggle(page, 'runaway');
    assertEqual(await clickRun(page), 'Done: 3 steps ok.', 'a run afterwards');
  });

  it('flood is stopped by its output limit and named; the steps after it still run', async function () {
    this.timeout(60_000);
    const page = await openDemo();
    await typeText(page, TEXT);
    toggle(page, 'flood');
    assertEqual(await clickRun(page), 'Done: 3 steps ok; flood (trap) skipped.', 'the status line names flood');
    const flood = cards(page).flood!;
    assertEqual([flood.state, flood.badge, flood.output], ['failed', 'trap', null], "flood's card");
    assertEqual(flood.fields.message, 'output_set: 4194304 bytes, more than limits.output (65536)', "flood's report message");
    assertEqual(flood.logs, ['warn about to answer with 4 MiB'], "flood's log, kept though the call failed");
    assertEqual(cards(page).wordcount!.output, COUNTS, 'wordcount after flood');
  });
});
