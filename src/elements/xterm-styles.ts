// The rules of @xterm/xterm/css/xterm.css (MIT, © the xterm.js authors) that its DOM renderer
// needs, as a Lit `css` block. Why a copy: the stylesheet must live inside <zero-vm>'s shadow root,
// and neither way of importing it there works in both toolchains — Vite's `?inline` CSS import is
// unknown to @web/test-runner's esbuild plugin, and a <link> to the package file needs a URL that
// differs between the dev server, the test server and a build. Left out: the composition view's
// colours, decorations and the vscode-derived scrollbar's shadows, which an output-only
// terminal does not use. Check this against xterm.css when upgrading @xterm/xterm.
import { css } from 'lit';

export const xtermStyles = css`
  .xterm {
    cursor: text;
    position: relative;
    user-select: none;
    -webkit-user-select: none;
  }
  .xterm.focus,
  .xterm:focus {
    outline: none;
  }
  .xterm .xterm-helpers {
    position: absolute;
    top: 0;
    z-index: 5;
  }
  .xterm .xterm-helper-textarea {
    padding: 0;
    border: 0;
    margin: 0;
    position: absolute;
    opacity: 0;
    left: -9999em;
    top: 0;
    width: 0;
    height: 0;
    z-index: -5;
    white-space: nowrap;
    overflow: hidden;
    resize: none;
  }
  .xterm .composition-view {
    display: none;
    position: absolute;
    white-space: nowrap;
    z-index: 1;
  }
  .xterm .xterm-viewport {
    background-color: #000;
    overflow-y: scroll;
    cursor: default;
    position: absolute;
    right: 0;
    left: 0;
    top: 0;
    bottom: 0;
  }
  .xterm .xterm-screen {
    position: relative;
  }
  .xterm .xterm-screen canvas {
    position: absolute;
    left: 0;
    top: 0;
  }
  .xterm-char-measure-element {
    display: inline-block;
    visibility: hidden;
    position: absolute;
    top: 0;
    left: -9999em;
    line-height: normal;
  }
  .xterm .xterm-accessibility:not(.debug),
  .xterm .xterm-message {
    position: absolute;
    left: 0;
    top: 0;
    bottom: 0;
    right: 0;
    z-index: 10;
    color: transparent;
    pointer-events: none;
  }
  .xterm .xterm-accessibility-tree {
    font-family: monospace;
    user-select: text;
    white-space: pre;
  }
  .xterm .live-region {
    position: absolute;
    left: -9999px;
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
  .xterm-dim {
    opacity: 1 !important;
  }
  .xterm-underline-1 { text-decoration: underline; }
  .xterm-underline-2 { text-decoration: double underline; }
  .xterm-underline-3 { text-decoration: wavy underline; }
  .xterm-underline-4 { text-decoration: dotted underline; }
  .xterm-underline-5 { text-decoration: dashed underline; }
  .xterm-overline { text-decoration: overline; }
  .xterm-strikethrough { text-decoration: line-through; }
  .xterm .xterm-scrollable-element > .scrollbar {
    cursor: default;
  }
  .xterm .xterm-scrollable-element > .visible {
    opacity: 1;
    background: rgba(0, 0, 0, 0);
    transition: opacity 100ms linear;
    z-index: 11;
  }
  .xterm .xterm-scrollable-element > .invisible {
    opacity: 0;
    pointer-events: none;
  }
  .xterm .xterm-scrollable-element > .invisible.fade {
    transition: opacity 800ms linear;
  }
  .xterm .xterm-scrollable-element > .shadow {
    position: absolute;
    display: none;
  }
`;
