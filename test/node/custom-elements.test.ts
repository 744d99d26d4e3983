// custom-elements.json, <zero-vm>'s public surface for editors and docs: current (the command behind
// `npm run build:cem`, run again into a scratch directory, makes the committed file byte for byte)
// and true to the element's source: the attributes, events, ::part() names and CSS custom properties
// it lists are the ones the code has, with the defaults the code falls back to, and nothing private.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const elements = join(root, 'src/elements');

interface Named {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
  privacy?: string;
}

interface Element {
  tagName: string;
  attributes: (Named & { fieldName: string })[];
  members: (Named & { kind: 'field' | 'method' })[];
  events: Named[];
  cssParts: Named[];
  cssProperties: Named[];
}

/** The element's source without its comments (the JSDoc names every part and property too). */
function code(file: string): string {
  return readFileSync(join(elements, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const committed = readFileSync(join(root, 'custom-elements.json'), 'utf8');
const manifest = JSON.parse(committed) as { modules: { path: string; declarations: Element[]; exports: { kind: string; name: string; declaration: { name: string; module: string } }[] }[] };
const element = manifest.modules[0].declarations[0];
const source = code('zero-vm.ts');
const names = (list: Named[]) => list.map((n) => n.name).sort();

describe('custom-elements.json', () => {
  let scratch = '';
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'zerovm-cem-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is current: the analyzer, run again, writes the committed file', () => {
    const cem = fileURLToPath(import.meta.resolve('@custom-elements-manifest/analyzer/cem.js'));
    // --outdir is taken relative to the working directory, even when absolute.
    execFileSync(process.execPath, [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet', '--outdir', relative(root, scratch)], { cwd: root, stdio: 'pipe' });
    const fresh = readFileSync(join(scratch, 'custom-elements.json'), 'utf8');
    const [now, then] = [fresh.split('\n'), committed.split('\n')];
    const line = Math.max(0, [...now, ...then].findIndex((_, i) => now[i] !== then[i]));
    assert.ok(fresh === committed, `custom-elements.json is stale (line ${line + 1} is now ${JSON.stringify(now[line])}): run \`npm run build:cem\``);
  });

  it('describes <zero-vm> as shipped: dist/element.js, its class and its tag', () => {
    assert.equal(manifest.modules.length, 1, 'one module');
    assert.equal(manifest.modules[0].path, 'dist/element.js');
    const tag = /customElements\.define\('([\w-]+)', (\w+)\)/.exec(source);
    assert.deepEqual([element.tagName, (element as unknown as Named).name], [tag?.[1], tag?.[2]], 'the tag and class it defines');
    assert.deepEqual(manifest.modules[0].exports.map((e) => [e.kind, e.name, e.declaration.module]),
      [['js', 'ZeroVmElement', 'dist/element.js'], ['custom-element-definition', 'zero-vm', 'dist/element.js']]);
  });

  it("lists the attributes its @property() fields observe, with types that match Lit's conversion", () => {
    const declared = [...source.matchAll(/@property\(([^)]*)\)\s+(\w+)/g)]
      .filter(([, options]) => !/attribute:\s*false/.test(options))
      .map(([, options, field]) => ({ name: /attribute:\s*'([^']+)'/.exec(options)?.[1] ?? field.toLowerCase(), field, converter: /type:\s*(\w+)/.exec(options)?.[1] ?? 'String' }));
    assert.deepEqual(element.attributes.map((a) => [a.name, a.fieldName]), declared.map((d) => [d.name, d.field]), 'attributes, in order');
    const typeFor = { String: /^string( \| null)?$/, Boolean: /^boolean$/, Number: /^number$/ } as Record<string, RegExp>;
    for (const [i, d] of declared.entries()) {
      assert.match(element.attributes[i].type?.text ?? '', typeFor[d.converter], `${d.name}: Lit reads it as ${d.converter}`);
    }
    assert.deepEqual(element.attributes.map((a) => [a.name, a.type?.text]), [
      ['src', 'string'], ['args', 'string'], ['stdin', 'string | null'], ['interactive', 'boolean'], ['noninteractive', 'boolean'],
      ['timeout', 'string | null'], ['memory', 'string | null'], ['autorun', 'boolean'], ['rows', 'number'],
    ]);
  });

  it('lists its public properties and methods, and nothing private', () => {
    assert.deepEqual(element.members.map((m) => `${m.kind} ${m.name}`), [
      'field src', 'field args', 'field stdin', 'field interactive', 'field noninteractive', 'field timeout', 'field memory',
      'field autorun', 'field rows', 'field manifest', 'field channels', 'field output', 'field lastReport', 'method terminalText',
      'method effectiveManifest', 'method run', 'method stop', 'method focus',
    ]);
    const privates = [...source.matchAll(/\bprivate (?:readonly |async )?(\w+)/g)].map(([, name]) => name);
    assert.ok(privates.includes('running') && privates.includes('emit'), `private members found in the source: ${privates}`);
    const listed = JSON.stringify(element);
    for (const name of privates) assert.ok(!listed.includes(`"name":"${name}"`), `${name} is private, yet listed`);
    assert.ok(!listed.includes('"privacy"'), 'nothing listed has a privacy');
  });

  it('lists the events it fires, with the detail types its HTMLElementEventMap declares', () => {
    const fired = [...source.matchAll(/this\.emit\('([\w-]+)'/g)].map(([, name]) => name);
    const declared = new Map([...source.matchAll(/'([\w-]+)': CustomEvent<(\w+)>/g)].map(([, name, detail]) => [name, `CustomEvent<${detail}>`]));
    assert.deepEqual(names(element.events), [...fired].sort(), 'events');
    for (const event of element.events) assert.equal(event.type?.text, declared.get(event.name), `${event.name}'s type`);
    assert.deepEqual(element.events.map((e) => [e.name, e.type?.text]),
      [['vm-start', 'CustomEvent<Manifest>'], ['vm-exit', 'CustomEvent<Report>'], ['vm-error', 'CustomEvent<string>']]);
  });

  it('lists the ::part() names its template has', () => {
    const parts = new Set([...source.matchAll(/\bpart="([^"]+)"/g)].flatMap(([, list]) => list.split(/\s+/)));
    assert.deepEqual(names(element.cssParts), [...parts].sort());
    assert.deepEqual(names(element.cssParts), ['bar', 'button', 'message', 'progress', 'run-button', 'status', 'stop-button', 'terminal']);
  });

  it('lists the CSS custom properties its styles and terminal read, with the defaults they fall back to', () => {
    const files = readdirSync(elements).filter((f) => f.endsWith('.ts')).map(code).join('\n');
    const used = new Set(files.match(/--zero-vm-[a-z-]+/g));
    assert.deepEqual(names(element.cssProperties), [...used].sort());
    for (const { name, default: fallback } of element.cssProperties) {
      assert.ok(fallback, `${name} has a documented default`);
      const inCss = `var(${name}, ${fallback})`;
      const inTs = `'${name}', '${fallback}'`;
      assert.ok(files.includes(inCss) || files.includes(inTs), `${name}: the code falls back to the documented ${fallback}`);
    }
  });

  it('describes each attribute, event, part and custom property in one line', () => {
    for (const item of [...element.attributes, ...element.events, ...element.cssParts, ...element.cssProperties]) {
      assert.match(item.description ?? '', /^[^\n]+$/, `${item.name}'s description`);
    }
  });
});
