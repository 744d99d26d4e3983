// The Extism-plugin cases (test/plugins/cases.ts) on @extism/extism 1.0.3, the reference side of
// the differential: what Extism's own JS SDK does with the same plugins.
import { after, before, describe, it } from 'node:test';
import { pluginCases } from '../plugins/cases.js';
import { extism } from '../plugins/extism-runner.js';
import { startHttpServer } from '../plugins/http-server.js';
import { pluginWasm as wasm } from '../plugins/wasm.js';

describe('Extism plugins on @extism/extism 1.0.3 (the reference)', () => {
  const http = { base: '' };
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  before(async () => {
    server = await startHttpServer();
    http.base = server.base;
  });
  after(() => server.close());

  for (const c of pluginCases) {
    const skip = c.skip?.includes('extism') ? c.reason ?? 'skipped for extism' : false;
    it(c.name, { skip }, () => c.run(extism, wasm, http));
  }
});
