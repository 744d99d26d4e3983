// <zero-vm>: runs one WASI program in a disposable VM and shows its output in a terminal.
//
//   <zero-vm src="/programs/hello.wasm" args="world" stdin="" autorun></zero-vm>
//
// Properties in (src, args, stdin, timeout, memory, autorun, or a whole `manifest`, which wins),
// events out (`vm-start` with the manifest, `vm-exit` with the Report, `vm-error` when a run ends
// without one), rendering a function of state. A bad timeout or memory attribute starts no run: the
// status line names it, and run() rejects. Its public surface (attributes, events, ::part() names,
// CSS custom properties) is documented on the class for custom-elements.json (npm run build:cem).
/**
 * `<zero-vm>`: importing this module registers the element (a side effect) and exports its class.
 * @module zerovm-web/element
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { limitsOf } from '../host/defaults.js';
import { ZeroVM } from '../index.js';
import { programName } from '../contract/program-name.js';
import { splitArgs, statusLine } from './format.js';
import { type LimitsRead, readLimits } from './limits.js';
import { colourVar, FONT_CSS } from './terminal-look.js';
import { TerminalView } from './terminal-view.js';
import { xtermStyles } from './xterm-styles.js';

/**
 * Runs one WASI program in a disposable VM (in a Web Worker) and shows its output in an xterm.js
 * terminal: the program from `src` with `args`, `stdin`, `timeout` and `memory`, or a whole
 * `manifest`; started by `run()`, the Run button or `autorun`, ended by `stop()` or the Stop button.
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
 * @csspart status - The status line: ready, running…, or the report's status, exit code and time.
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
  static override styles = [
    xtermStyles,
    css`
      :host {
        display: block;
        border-radius: 8px;
        overflow: hidden;
        background: ${colourVar('background')};
        color: ${colourVar('foreground')};
        font: 13px/1.4 var(--zero-vm-font, system-ui, sans-serif);
        border: 1px solid var(--zero-vm-border-color, #30363d);
      }
      :host([hidden]) {
        display: none;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 6px 8px;
        background: var(--zero-vm-bar-background, #161b22);
        border-bottom: 1px solid var(--zero-vm-border-color, #30363d);
      }
      button {
        font: inherit;
        font-weight: 600;
        padding: 3px 14px;
        border-radius: 6px;
        border: 1px solid #3d444d;
        background: #21262d;
        color: inherit;
        cursor: pointer;
      }
      button.run:not(:disabled) {
        background: #238636;
        border-color: #2ea043;
        color: #fff;
      }
      button.stop:not(:disabled) {
        background: #b62324;
        border-color: #da3633;
        color: #fff;
      }
      button:disabled {
        opacity: 0.45;
        cursor: default;
      }
      button:focus-visible {
        outline: 2px solid var(--zero-vm-accent, #58a6ff);
        outline-offset: 2px;
      }
      .status {
        margin-left: auto;
        font-family: var(--zero-vm-mono-font, ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace);
        font-size: 12px;
        color: ${colourVar('notice')};
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .status[data-status='ok'] { color: var(--zero-vm-success-color, #3fb950); }
      .status[data-status='ok']:not([data-exit='0']),
      .status[data-status='trap'],
      .status[data-status='invalid'],
      .status[data-status='error'] { color: var(--zero-vm-error-color, #ff7b72); }
      .status[data-status='timeout'],
      .status[data-status='killed'] { color: var(--zero-vm-warning-color, #d29922); }
      .status[data-status='running'] { color: var(--zero-vm-accent, #58a6ff); }
      .message {
        padding: 4px 10px;
        font-size: 12px;
        color: var(--zero-vm-error-color, #ff7b72);
        background: #1c1215;
        border-bottom: 1px solid var(--zero-vm-border-color, #30363d);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .term {
        padding: 6px 0 6px 8px;
        overflow: hidden;
        ${FONT_CSS}
      }
      .term:focus-within {
        box-shadow: inset 0 0 0 2px var(--zero-vm-accent, #1f6feb);
      }
    `,
  ];

  /** The program's URL. */
  @property() src = '';
  /** Arguments after argv[0], separated by whitespace (argv[0] is src's file name without .wasm). */
  @property() args = '';
  /** Text given to the program as its standard input. */
  @property() stdin = '';
  /** Wall-clock limit, such as "5s" or "250ms" (limits.timeout); null or empty for the default. */
  @property() timeout: string | null = null;
  /** Linear-memory limit, such as "64MiB" (limits.memory); null or empty for the default. */
  @property() memory: string | null = null;
  /** Run once as soon as the element is on the page. */
  @property({ type: Boolean }) autorun = false;
  /** Terminal height in rows. */
  @property({ type: Number }) rows = 14;
  /** A whole Manifest; when set, it wins over src, args and stdin. */
  @property({ attribute: false }) manifest: Manifest | null = null;

  @state() private running = false;
  @state() private report: Report | null = null;
  @state() private failure = '';

  @query('.term') private termBox!: HTMLElement;

  private view = new TerminalView(this.rows);
  // xterm takes colours and fonts as options, not CSS, so the custom properties are read on attach,
  // at the start of each run, and when this element's own style or class attribute changes (what a
  // page sets to theme one element, applied at once). No event says when an inherited custom
  // property changes (a page stylesheet, an ancestor's class), and watching the whole page would
  // cost on every mutation: such a change shows from the next run.
  private styleObserver = new MutationObserver(() => this.view.restyle());
  private pending: Promise<Report> | null = null;
  // One ZeroVM per element, made on the first run: kill() ends every VM of a ZeroVM, so sharing
  // one across the page would let one element's Stop kill its neighbours' programs. A pool of one
  // is enough for an element that runs one program at a time, and it is disposed when the element
  // leaves the page.
  private vm: ZeroVM | null = null;

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
    // A removed attribute reads as null: the same as an empty one.
    const src = this.src ?? '';
    const manifest: Manifest = { program: src, args: [programName(src), ...splitArgs(this.args ?? '')] };
    if (this.stdin) manifest.stdin = this.stdin;
    if (Object.keys(limits.limits).length > 0) manifest.limits = limits.limits;
    return manifest;
  }

  /**
   * Runs the program (stopping a run still going), streaming its output; resolves with its report.
   * Rejects, starting nothing, when an attribute is bad.
   */
  async run(): Promise<Report> {
    const manifest = this.effectiveManifest();
    if (this.pending) {
      this.stop();
      await this.pending.catch(() => undefined);
    }
    const run = this.start(manifest);
    this.pending = run;
    try {
      return await run;
    } finally {
      if (this.pending === run) this.pending = null;
    }
  }

  /** Kills the running program at once; its run() resolves with status `killed`. */
  stop(): void {
    this.vm?.kill();
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
        ? { status: 'running', line: 'running…', message: '' }
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
      </div>
      ${message ? html`<div class="message" part="message">${message}</div>` : null}
      <div class="term" part="terminal"></div>
    `;
  }

  private onRunClick(): void {
    this.run().catch(() => undefined);
  }

  private attributeLimits(): LimitsRead {
    return readLimits({ timeout: this.timeout ?? '', memory: this.memory ?? '' });
  }

  private async start(manifest: Manifest): Promise<Report> {
    this.view.clear();
    this.view.restyle();
    this.report = null;
    this.failure = '';
    this.running = true;
    this.emit('vm-start', manifest);
    this.vm ??= new ZeroVM({ pool: 1 });
    try {
      const report = await this.vm.run(manifest, {
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
      this.running = false;
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
