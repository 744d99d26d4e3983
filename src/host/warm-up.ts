// The warm-up a VM worker is given as it attaches (see worker/warm-up.ts): a small guest of ours
// (warm-up/warm-up.c) and the request to run it with, made once per page (or Node process) the
// way a run of `{ program: <its bytes>, args: ['warm-up'] }` makes them: the manifest checked,
// the program hashed, checked and compiled as it streams under its policy (its memory made an
// import, as any program's is), the channels planned, the request built. That is the page's own
// first-run path, and it is compiled by the time the page's first real run takes it (on a fresh
// page it was ~5 ms of that run, against ~1.5 ms once compiled).
import { channelTable } from '../contract/channels.js';
import { fromBase64 } from '../contract/base64.js';
import type { Manifest } from '../contract/manifest.js';
import type { WarmUp } from '../contract/protocol.js';
import { limitsOf } from './defaults.js';
import { policyOf } from './module-policy.js';
import { planChannels } from './plan.js';
import { ProgramCache } from './program.js';
import { madeOnce } from './remember.js';
import { buildRequest } from './request.js';
import { checkManifest } from './validate.js';
import { WARM_UP_WASM } from './warm-up/wasm.js';

const nothing = () => Promise.reject(new Error('the warm-up fetches nothing'));

/** The warm-up guest's module and request, made the first time they are asked for. */
export const warmUpGuest = madeOnce(async (): Promise<WarmUp> => {
  const manifest: Manifest = { program: fromBase64(WARM_UP_WASM), args: ['warm-up'] };
  const problem = checkManifest(manifest);
  if (problem) throw new Error(`the warm-up's manifest: ${problem}`);
  const limits = limitsOf(manifest.limits);
  const program = await new ProgramCache(nothing).load(manifest.program, policyOf(manifest));
  const plan = await planChannels(channelTable(manifest.channels), manifest, {}, nothing, false);
  return { module: program.module, request: buildRequest(manifest, { limits, program, mounted: [], plan, stream: limits.output }) };
});
