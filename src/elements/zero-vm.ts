// <zero-vm>: runs one WASI program in a disposable VM, in a terminal: its output shown, and (when
// its stdin is live) what is typed sent to it a line at a time.
//
//   <zero-vm src="/programs/hello.wasm" args="world" stdin="" autorun></zero-vm>
//
// Properties in (src, args, stdin, interactive, noninteractive, timeout, memory, autorun, or a
// whole `manifest`, which wins, with `channels` binding its live ends), events out (`vm-start`
// with the manifest, `vm-exit` with the Report, `vm-error` when a run ends without one), rendering
// a function of state. Each run has an AbortController: Stop and Ctrl-C abort it, its end aborts
// it, and that ends the run's keyboard input. A bad timeout or memory attribute starts no run: the
// status line names it, and run() rejects. Its public surface (attributes, events, ::part() names,
// CSS custom properties) is documented on the class for custom-elements.json (npm run build:cem).
/**
 * `<zero-vm>`: importing this module registers the element (a side effect) and exports its class.
 * @module zerovm-web/element
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { limitsOf } from '../host/defaults.js';
import type { LiveEnd } from '../host/live.js';
import type { LoadProgress } from '../host/program.js';
import { capabilities } from '../host/plan.js';
import { ZeroVM } from '../index.js';
import { programName } from '../contract/program-name.js';
import { formatBytes, splitArgs, statusLine } from './format.js';
import { KeyboardInput } from './keyboard-input.js';
import { type LimitsRead, readLimits } from './limits.js';
import { TerminalView } from './terminal-view.js';
import { zeroVmStyles } from './zero-vm-styles.js';

const STDIN = '/dev/stdin';

/**
 * Runs one WASI program in a disposable VM (in a Web Worker) in an xterm.js terminal: the program
 * from `src` with `args`, `stdin`, `timeout` and `memory`, or a whole `manifest`; started by
 * `run()`, the Run button or `autorun`, ended by `stop()`, the Stop button or Ctrl-C.
 *
 * Interactive runs: without a `stdin` attribute the program reads what is typed in the terminal
 * (its `/dev/stdin` is declared `source: 'live'`), as in a terminal's cooked mode: what is typed
 * is echoed, Backspace erases the last character, Enter sends the line, Ctrl-D sends what is typed
 * without a newline or, on an empty line, ends the input, Ctrl-C stops the program (shown as ^C),
 * and a paste sends each full line and keeps the rest for editing. `noninteractive` turns this
 * off (stdin is then empty); `interactive` turns it on even with a `stdin` attribute, whose text
 * then goes first, as if typed ahead. Both are boolean attributes that default to false, as HTML's
 * and Lit's do (an attribute cannot turn off a default of true); on a page that can neither block
 * nor suspend a VM (not cross-origin isolated, no JSPI), runs are interactive only when asked.
 * With a `manifest`, the run is interactive exactly when the manifest declares `/dev/stdin`
 * `source: 'live'` (and `channels` does not bind it): the manifest is never rewritten.
 *
 * Keyboard: while the program takes input, Tab is the program's (it is input); Escape then Tab
 * (or Shift+Tab) leaves the terminal. Once the run has ended, Tab leaves it at once. `focus()`
 * puts the focus in the terminal, as the Run button does for an interactive run.
 *
 * @summary A WASI program in a disposable VM, with its output in a terminal.
 * @tag zero-vm
 *
 * @fires {CustomEvent<Manifest>} vm-start - A run starts; `detail` is the Manifest it runs.
 * @fires {CustomEvent<Report>} vm-exit - A run ended with a report (any status); `detail` is the Report.
 * @fires {CustomEvent<string>} vm-error - A run ended without a report (its worker failed, not the guest); `detail` says why.
 *
 * @csspart bar - The bar above the terminal: the buttons and the status line.
 * @csspart button - Both buttons, Run and Stop.
 * @csspart run-button - The Run button.
 * @csspart stop-button - The Stop button.
 * @csspart status - The status line: ready, fetching or compiling a big program, running…, or the report's status, exit code and time.
 * @csspart progress - The bar of a program's fetch and compile, while a run waits for them (shown only then).
 * @csspart message - Why a run failed or was refused, under the bar (shown only then).
 * @csspart terminal - The box around the terminal (xterm.js, whose colours and fonts are the custom properties below).
 *
 * @cssprop [--zero-vm-background=#0d1117] - Background of the element and the terminal.
 * @cssprop [--zero-vm-foreground=#e6edf3] - Text colour, and the terminal's stdout.
 * @cssprop [--zero-vm-stderr-color=#ff7b72] - The terminal's stderr.
 * @cssprop [--zero-vm-muted-color=#8b949e] - Dim text: the idle status line and the terminal's notices where output was cut.
 * @cssprop [--zero-vm-bar-background=#161b22] - Background of the bar.
 * @cssprop [--zero-vm-border-color=#30363d] - The element's border and the lines between its parts.
 * @cssprop [--zero-vm-accent=#58a6ff] - Focus rings and the running status (the terminal's focus ring defaults to #1f6feb).
 * @cssprop [--zero-vm-success-color=#3fb950] - The status line after exit 0.
 * @cssprop [--zero-vm-error-color=#ff7b72] - The status line after a non-zero exit, a trap or a refusal, and the message's text.
 * @cssprop [--zero-vm-warning-color=#d29922] - The status line after a timeout or Stop.
 * @cssprop [--zero-vm-font=system-ui, sans-serif] - Font family of the bar and the message.
 * @cssprop [--zero-vm-mono-font=ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace] - Font family of the terminal and the status line.
 * @cssprop [--zero-vm-font-size=13px] - Font size of the terminal (any CSS length).
 */
export class ZeroVmElement extends LitElement {
  /** @internal Lit's styles: pages restyle through ::part() and the custom properties. */
  static override styles = zeroVmStyles;

  /** The program's URL. */
  @property() src = '';
  /** Arguments after argv[0], separated by whitespace (argv[0] is src's file name without .wasm). */
  @property() args = '';
  /** Text given to the program as its standard input; without it, the program reads what is typed (see `noninteractive`). */
  @property() stdin: string | null = null;
  /** Take the program's input from the keyboard even with a `stdin` attribute (its text goes first, as if typed ahead). */
  @property({ type: Boolean }) interactive = false;
  /** Never take the program's input from the keyboard: its stdin is the `stdin` attribute's text, or empty. */
  @property({ type: Boolean }) noninteractive = false;
  /** Wall-clock limit, such as "5s" or "250ms" (limits.timeout); null or empty for the default. */
  @property() timeout: string | null = null;
  /** Linear-memory limit, such as "64MiB" (limits.memory); null or empty for the default. */
  @property() memory: string | null = null;
  /** Run once as soon as the element is on the page. */
  @property({ type: Boolean }) autorun = false;
  /** Terminal height in rows. */
  @property({ type: Number }) rows = 14;
  /** A whole Manifest; when set, it wins over src, args, stdin, interactive and noninteractive. */
  @property({ attribute: false }) manifest: Manifest | null = null;
  /**
   * Live ends for the manifest's live channels, by path, as RunOptions.channels: a call channel's
   * page function, a live input's stream, a live output's sink. One bound to `/dev/stdin` takes
   * the keyboard's place.
   */
  @property({ attribute: false }) channels: Record<string, LiveEnd> | null = null;

  @state() private running = false;
  @state() private report: Report | null = null;
  @state() private failure = '';
  /** The program's fetch or compile, while the run waits for it (a big program's first run). */
  @state() private loading: LoadProgress | null = null;

  @query('.term') private termBox!: HTMLElement;

  // Keys go to the keyboard input of the run going on, if it takes any.
  private view = new TerminalView(this.rows, (data) => this.input?.key(data));
  // xterm takes colours and fonts as options, not CSS, so the custom properties are read on attach,
  // at the start of each run, and when this element's own style or class attribute changes (what a
  // page sets to theme one element, applied at once). No event says when an inherited custom
  // property changes (a page stylesheet, an ancestor's class), and watching the whole page would
  // cost on every mutation: such a change shows from the next run.
  private styleObserver = new MutationObserver(() => this.view.restyle());
  private pending: Promise<Report> | null = null;
  // One ZeroVM per element, made on the first run: its own warm worker (a pool of one is enough
  // for an element that runs one program at a time), disposed when the element leaves the page.
  private vm: ZeroVM | null = null;
  /** Aborts the run going on: Stop, Ctrl-C, or its end (which ends its keyboard input). */
  private abort: AbortController | null = null;
  private input: KeyboardInput | null = null;

  /** What the program wrote to stdout and stderr in the last run, interleaved, as plain text. */
  get output(): string {
    return this.view.text;
  }

  /** The last run's report, or null before the first run ends. */
  get lastReport(): Report | null {
    return this.report;
  }

  /** The terminal's screen and scrollback as text (what xterm actually shows). */
  terminalText(): Promise<string> {
    return this.view.screenText();
  }

  /** The Manifest the next run() will use; throws, naming the attribute, when one is bad. */
  effectiveManifest(): Manifest {
    if (this.manifest) return this.manifest;
    const limits = this.attributeLimits();
    if (!limits.ok) throw new Error(`${limits.field} attribute: ${limits.message}`);
    // A removed attribute reads as null: the same as an empty one (except stdin's, see keyboard()).
    const src = this.src ?? '';
    const manifest: Manifest = { program: src, args: [programName(src), ...splitArgs(this.args ?? '')] };
    if (this.keyboard()) manifest.channels = [{ path: STDIN, source: 'live' }];
    else if (this.stdin) manifest.stdin = this.stdin;
    if (Object.keys(limits.limits).length > 0) manifest.limits = limits.limits;
    return manifest;
  }

  /**
   * Runs the program (stopping a run still going), streaming its output; resolves with its report.
   * Rejects, starting nothing, when an attribute is bad.
   */
  run(): Promise<Report> {
    return this.launch(false);
  }

  /** Kills the running program at once; its run() resolves with status `killed`. */
  stop(): void {
    this.abort?.abort('stopped');
  }

  /** Puts the keyboard focus in the terminal (where a program that takes keyboard input reads it). */
  override focus(options?: FocusOptions): void {
    if (!this.view.focus()) super.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.styleObserver.observe(this, { attributes: true, attributeFilter: ['style', 'class'] });
    if (this.hasUpdated) this.view.attach(this.termBox);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.styleObserver.disconnect();
    // A move in the DOM disconnects and reconnects in one task; only a real removal tears down.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.vm?.dispose();
      this.vm = null;
      this.view.detach();
    });
  }

  protected override firstUpdated(): void {
    this.view.attach(this.termBox);
    // After this update completes: starting a run changes state, which during firstUpdated() would
    // schedule a second update from inside the first. A failure is shown in the status line.
    if (this.autorun) void this.updateComplete.then(() => this.run()).catch(() => undefined);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('rows')) this.view.setRows(this.rows);
  }

  protected override render() {
    const limits = this.manifest ? null : this.attributeLimits();
    const badAttribute = limits?.ok === false ? limits : null;
    const { status, line, message, exit = null } = this.failure
      ? { status: 'error', line: `error · ${this.failure}`, message: '' }
      : this.running
        ? { status: 'running', line: this.loading ? loadingLine(this.loading) : 'running…', message: '' }
        : badAttribute
          ? { status: 'error', line: `error · bad ${badAttribute.field} attribute`, message: `${badAttribute.field} attribute: ${badAttribute.message}` }
          : this.report
            ? { status: this.report.status, line: statusLine(this.report), message: this.report.message, exit: this.report.exitCode }
            : { status: 'idle', line: 'ready', message: '' };
    return html`
      <div class="bar" part="bar">
        <button class="run" part="button run-button" ?disabled=${this.running || badAttribute !== null} @click=${this.onRunClick}>Run</button>
        <button class="stop" part="button stop-button" ?disabled=${!this.running} @click=${this.stop}>Stop</button>
        <span class="status" part="status" role="status" data-status=${status} data-exit=${exit ?? nothing}>${line}</span>
        ${this.running && this.loading
          ? html`<progress part="progress" max=${this.loading.total ?? nothing} value=${this.loading.total === null ? nothing : this.loading.loaded}></progress>`
          : null}
      </div>
      ${message ? html`<div class="message" part="message">${message}</div>` : null}
      <div class="term" part="terminal"></div>
    `;
  }

  private onRunClick(): void {
    this.launch(true).catch(() => undefined);
  }

  /** Whether the attributes ask for keyboard input (by default, when the page can make a VM wait for it). */
  private keyboard(): boolean {
    if (this.interactive) return true;
    if (this.noninteractive || this.stdin != null) return false;
    const can = capabilities();
    return can.share || can.suspend;
  }

  /** `focus`: put the focus in the terminal when the run takes keyboard input (a Run button click). */
  private async launch(focus: boolean): Promise<Report> {
    const manifest = this.effectiveManifest();
    const keyboard = !this.channels?.[STDIN] && declaresLiveStdin(manifest);
    const typedAhead = keyboard && !this.manifest ? (this.stdin ?? '') : '';
    if (this.pending) {
      this.stop();
      await this.pending.catch(() => undefined);
    }
    const run = this.start(manifest, keyboard ? { focus, typedAhead } : null);
    this.pending = run;
    try {
      return await run;
    } finally {
      if (this.pending === run) this.pending = null;
    }
  }

  private attributeLimits(): LimitsRead {
    return readLimits({ timeout: this.timeout ?? '', memory: this.memory ?? '' });
  }

  private async start(manifest: Manifest, keys: { focus: boolean; typedAhead: string } | null): Promise<Report> {
    this.view.clear();
    this.view.restyle();
    this.report = null;
    this.failure = '';
    this.running = true;
    const abort = new AbortController();
    this.abort = abort;
    const input = keys && new KeyboardInput(abort.signal, { echo: (text) => this.view.echo(text), interrupt: () => abort.abort('^C') });
    this.input = input;
    this.view.inputLive = input !== null;
    if (keys?.focus) this.view.focus();
    if (keys?.typedAhead) input?.key(keys.typedAhead);
    this.emit('vm-start', manifest);
    this.vm ??= new ZeroVM({ pool: 1 });
    try {
      const report = await this.vm.run(manifest, {
        signal: abort.signal,
        ...(input ? { stdin: input.stream } : {}),
        ...(this.channels ? { channels: this.channels } : {}),
        onProgress: (progress) => {
          // Done compiling: the run itself starts; a bar is for what is still coming.
          // A run that joined another's fetch hears no compile: a fetch done is the end of its bar too.
          const done = progress.phase === 'compile' ? progress.loaded === progress.total : progress.total !== null && progress.loaded >= progress.total;
          this.loading = done ? null : progress;
        },
        onStdout: (bytes) => this.view.write('stdout', bytes),
        onStderr: (bytes) => this.view.write('stderr', bytes),
      });
      this.view.end();
      this.noteTruncation(report, manifest);
      this.report = report;
      this.emit('vm-exit', report);
      return report;
    } catch (e) {
      // Not the guest's doing (the worker itself failed): say so, and let run()'s caller see it.
      this.failure = e instanceof Error ? e.message : String(e);
      this.emit('vm-error', this.failure);
      throw e;
    } finally {
      abort.abort(); // the run is over: so is its keyboard input
      this.abort = null;
      this.input = null;
      this.view.inputLive = false;
      this.running = false;
      this.loading = null;
    }
  }

  /** Says so in the terminal wherever output was cut at limits.output. */
  private noteTruncation(report: Report, manifest: Manifest): void {
    const kept = limitsOf(manifest.limits).output;
    for (const channel of report.channels) {
      if (!channel.truncated) continue;
      const name = channel.path.replace(/^\/dev\//, '');
      this.view.notice(`[${name} truncated after ${count(kept)} of ${count(channel.writeBytes)} bytes]`);
    }
  }

  private emit<T>(type: string, detail: T): void {
    /** @ignore The events are documented with @fires on the class. */
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/** Whether `manifest` declares its stdin live: then the keyboard is bound to it. */
function declaresLiveStdin(manifest: Manifest): boolean {
  return manifest.channels?.some((c) => c.path === STDIN && c.source === 'live') ?? false;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

if (!customElements.get('zero-vm')) customElements.define('zero-vm', ZeroVmElement);

declare global {
  interface HTMLElementTagNameMap {
    'zero-vm': ZeroVmElement;
  }
  interface HTMLElementEventMap {
    'vm-start': CustomEvent<Manifest>;
    'vm-exit': CustomEvent<Report>;
    /** The run ended without a report: not the guest's doing (its worker failed). */
    'vm-error': CustomEvent<string>;
  }
}

/** The status line while the program loads: "fetching 12.0 MiB of 75.5 MiB…", "compiling 75.5 MiB…". */
function loadingLine({ phase, loaded, total }: LoadProgress): string {
  if (phase === 'compile') return `compiling ${formatBytes(total ?? loaded)}…`;
  return total === null ? `fetching ${formatBytes(loaded)}…` : `fetching ${formatBytes(loaded)} of ${formatBytes(total)}…`;
}
