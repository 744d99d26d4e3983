// DOM helpers for the element and playground tests: mount and clean up (stylesheets too), wait for
// an event or a condition, press and type keys, find the focus. Waiting has no time limit of its own: the
// test framework's timeout ends a test that waits in vain (and stop() ends its polling), so no test
// depends on how fast a machine is.
import { sendKeys } from '@web/test-runner-commands';

const mounted: HTMLElement[] = [];
let generation = 0;

/** Appends `element` to the document; stop() removes it. */
export function mount<T extends HTMLElement>(element: T): T {
  mounted.push(element);
  document.body.append(element);
  return element;
}

/** A stylesheet on the page, as the page's own would be; stop() removes it. */
export function stylesheet(text: string): HTMLStyleElement {
  return mount(Object.assign(document.createElement('style'), { textContent: text }));
}

/** Removes everything mount() added and ends pending until() polls; call it in afterEach. */
export function stop(): void {
  generation++;
  for (const element of mounted.splice(0)) element.remove();
}

/** The first `type` event `target` sees. */
export function nextEvent<T = unknown>(target: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

/** Polls `probe` once a frame until it returns something truthy, and returns that. */
export async function until<T>(probe: () => T | null | undefined | false | '', what = 'condition'): Promise<T> {
  const mine = generation;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (generation !== mine) throw new Error(`stopped waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

/** `selector` in `host`'s shadow root, or an error that names what is missing. */
export function inShadow<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${host.localName}: no ${selector} in its shadow root`);
  return found;
}

/**
 * Presses a key or a combination ("Enter", "Shift+Tab", "Control+D") as a user does: a real key
 * press from the browser's input, not a synthetic event. The modifiers are held around the key.
 */
export async function press(combination: string): Promise<void> {
  const keys = combination.split('+');
  const key = keys.pop()!;
  const held: string[] = [];
  try {
    for (const modifier of keys) {
      await sendKeys({ down: modifier });
      held.push(modifier);
    }
    await sendKeys({ press: key });
  } finally {
    for (const modifier of held.reverse()) await sendKeys({ up: modifier });
  }
}

/** Types `text` key by key, as a user does, into the focused element. */
export async function typeKeys(text: string): Promise<void> {
  await sendKeys({ type: text });
}

/** The focused element, looking inside shadow roots. */
export function focused(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

/** A short description of `element` for assertion messages. */
export function describeElement(element: Element | null): string {
  if (!element) return 'nothing';
  const label = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? '';
  return `<${element.localName}${element.className ? ` class="${element.className}"` : ''}> ${label}`.trim();
}
