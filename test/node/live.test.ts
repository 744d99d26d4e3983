// Live channels in Node (the shared link: guests wait on Atomics.wait): the cases of test/live/cases.ts.
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { liveCases } from '../live/cases.js';

const locate = (name: string) => {
  const hostile = fileURLToPath(new URL(`../hostile/${name}.wasm`, import.meta.url));
  return existsSync(hostile) ? hostile : fileURLToPath(new URL(`../hostile/${name}`, import.meta.url));
};

describe('live channels (Node)', { timeout: 120_000 }, () => {
  const vm = new NodeZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of liveCases) it(c.name, () => c.run(vm, locate));
});
