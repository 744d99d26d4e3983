// The warm-up a VM worker is given as it attaches (see worker/warm-up.ts): a small guest of ours
// (warm-up/warm-up.c) and the request to run it with, both made once per page (or Node process)
// as a run of `{ program, args: ['warm-up'] }` makes them: the guest compiled under that
// manifest's policy (its memory made an import, as any program's is), the request built by the
// same code as every run's.
import { channelTable } from '../contract/channels.js';
import { fromBase64 } from '../contract/base64.js';
import type { Manifest } from '../contract/manifest.js';
import type { WarmUp } from '../contract/protocol.js';
import { limitsOf } from './defaults.js';
import { applyPolicy } from './module-policy.js';
import { planChannels } from './plan.js';
import { madeOnce } from './remember.js';
import { buildRequest } from './request.js';
import { WARM_UP_WASM } from './warm-up/wasm.js';

const MANIFEST: Manifest = { program: 'warm-up', args: ['warm-up'] };

/** The warm-up guest's module and request, made the first time they are asked for. */
export const warmUpGuest = madeOnce(async (): Promise<WarmUp> => {
  const limits = limitsOf(MANIFEST.limits);
  const bytes = applyPolicy(fromBase64(WARM_UP_WASM), { memory: limits.memory, deterministic: true });
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const plan = await planChannels(channelTable(), MANIFEST, {}, () => Promise.reject(new Error('the warm-up fetches nothing')), false);
  const program = { module, key: 'warm-up', compileMs: 0, from: 'page' as const };
  return { module, request: buildRequest(MANIFEST, { limits, program, mounted: [], plan, stream: limits.output }) };
});
