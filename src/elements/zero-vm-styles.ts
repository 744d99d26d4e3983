// <zero-vm>'s stylesheet: xterm's own, then the element's, every colour and font behind a CSS
// custom property (documented on the element's class) so that pages restyle it.
import { css } from 'lit';
import { colourVar, FONT_CSS } from './terminal-look.js';
import { xtermStyles } from './xterm-styles.js';

export const zeroVmStyles = [
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
    progress {
      width: 8em;
      height: 0.6em;
      accent-color: var(--zero-vm-accent, #58a6ff);
    }
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
