// The playground's stylesheet (its own colours: --zp-text, --zp-muted, --zp-line, --zp-accent).
import { css } from 'lit';

export const playgroundStyles = css`
  :host {
    display: block;
    color: var(--zp-text, #1f2328);
    --zp-muted: #59636e;
    --zp-line: #d8dee4;
    --zp-accent: #0969da;
  }
  .layout {
    display: grid;
    grid-template-columns: 16rem minmax(0, 1fr);
    gap: 1.5rem;
    align-items: start;
  }
  @media (max-width: 50rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
    /* Names only, side by side: the chosen example's description is shown next to its form. */
    nav ul {
      grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
    }
    nav .description {
      display: none;
    }
  }
  h2,
  h3 {
    margin: 0 0 0.35rem;
    font-size: 1rem;
  }
  nav h2 {
    font-size: 0.8rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--zp-muted);
  }
  nav h2.upload {
    margin-top: 1rem;
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  nav button {
    display: block;
    width: 100%;
    text-align: left;
    font: inherit;
    padding: 0.45rem 0.6rem;
    border: 1px solid transparent;
    border-radius: 6px;
    background: none;
    color: inherit;
    cursor: pointer;
  }
  nav button:hover {
    background: #f6f8fa;
  }
  nav button[aria-pressed='true'] {
    background: #ddf4ff;
    border-color: #54aeff;
  }
  nav button:focus-visible,
  nav input:focus-visible {
    outline: 2px solid var(--zp-accent);
    outline-offset: 1px;
  }
  nav label {
    display: block;
    font-size: 0.85rem;
    margin-bottom: 0.25rem;
  }
  nav input[type='file'] {
    max-width: 100%;
    font-size: 0.8rem;
  }
  .name {
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    font-weight: 600;
  }
  .description {
    display: block;
    font-size: 0.8rem;
    color: var(--zp-muted);
  }
  .isolation {
    margin: 1rem 0 0;
    font-size: 0.8rem;
    color: var(--zp-muted);
  }
  .program h2 {
    font-size: 1.2rem;
  }
  .program p {
    margin: 0 0 0.75rem;
    color: var(--zp-muted);
  }
  zerovm-run-form {
    margin-bottom: 1rem;
  }
  zero-vm {
    margin-bottom: 1.25rem;
  }
  /* The form's Run is the one Run: it checks the fields first; the element keeps Stop. */
  zero-vm::part(run-button) {
    display: none;
  }
  .placeholder {
    color: var(--zp-muted);
  }
  .program p.hint {
    color: inherit;
    font-size: 0.9rem;
  }
  .calls {
    margin-bottom: 1.25rem;
  }
  /* The report, and beside it the volume the run mounted; below it where two columns would be too
     narrow for their tables (as in the playground page's own 72rem). */
  .results {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr));
    gap: 1.25rem;
    align-items: start;
  }
  .results > section {
    min-width: 0;
  }
  .error {
    padding: 0.6rem 0.8rem;
    border: 1px solid #ff818266;
    border-radius: 6px;
    background: #ffebe9;
    color: #a40e26;
    overflow-wrap: anywhere;
  }
`;

/** The tables, code, messages and outcome badges of the report and the volume panel. */
export const tableStyles = css`
    code,
    pre {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      font-size: 12.5px;
    }
    .message {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .badge {
      display: inline-block;
      padding: 0 0.5rem;
      border-radius: 999px;
      font-weight: 600;
      background: #eaeef2;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      margin: 0 0 1rem;
    }
    .scroll {
      overflow-x: auto;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding: 0 0 0.35rem;
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.6rem;
      border-bottom: 1px solid var(--zp-line, #d8dee4);
      vertical-align: top;
    }
`;
