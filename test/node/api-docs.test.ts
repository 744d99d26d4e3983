// The API reference (docs/api/) is generated from the types by TypeDoc: regenerated here, it must
// equal what is committed, so that the reference never drifts from the code (`npm run docs`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

describe('docs/api', () => {
  it('is what TypeDoc makes of the types now (run `npm run docs` after changing them)', { timeout: 120_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'zerovm-api-'));
    try {
      const r = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--logLevel', 'Error'], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const fresh = files(out);
      const committed = files(join(root, 'docs/api'));
      assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), 'the same pages');
      for (const [page, text] of fresh) assert.equal(committed.get(page), text, `docs/api/${page} is stale: run npm run docs`);
      assert.match(fresh.get('zerovm-web.md') ?? '', /### ZeroVM/, 'ZeroVM is documented');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
