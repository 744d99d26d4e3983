// The VM service a worker offers, the same for Web Workers and worker_threads: attach over
// Comlink; a run as one message each way (RunMessage in, RunReply out; see contract/protocol.ts),
// or, warm on a shared link, through the shared block's box with no message (see run-bell.ts).
import { sharedLink } from '../contract/link.js';
import { deferred } from '../contract/deferred.js';
import { nextTaskDone } from '../contract/next-task.js';
import type { FsEntry } from '../contract/fs-image.js';
import { isRunMessage, type RunReply, type VmRequest, type VmResult, type VmService, type WarmUp } from '../contract/protocol.js';
import { type Hasher, loadKeystream } from '../kernel/index.js';
import { loadExtism } from './extism.js';
import { etagHashers } from './etag.js';
import { HeldModule } from './held-module.js';
import { Memories } from './memories.js';
import { MessageWorkerLink } from './link-message.js';
import { SharedWorkerLink } from './link-shared.js';
import { LastRequest } from './last-request.js';
import { ended, prepareNext, runVm, type WorkerState } from './run.js';
import { RunBell } from './run-bell.js';
import { Spares } from './spare.js';
import { runWarmUp } from './warm-up.js';

/** Sends a message on the worker's own port: output, Comlink's replies and run replies, in order. */
export type PostAny = (message: unknown, transfer: ArrayBuffer[]) => void;

export interface VmWorker {
  /** What Comlink exposes. */
  service: VmService;
  /** Takes a message from the worker's port: a RunMessage is run and answered; anything else is not ours. */
  receive(data: unknown): void;
  /** How the warm-up ended (see warm-up.ts): null when there was none (no guest given, a run came first, or the attach failed). */
  warmedUp: Promise<VmResult | null>;
}

export function createVmWorker(post: PostAny): VmWorker {
  let state: WorkerState | null = null;
  /**
   * Settles once attached: a run may come before the attach, or right behind it (the host waits for
   * neither). An attach that fails fails such a run too, saying why, instead of leaving it waiting.
   */
  const attaching = deferred<WorkerState>(true); // a failure is seen by the runs that wait, if any
  /** Tar images unpacked, by content hash: each is sent and unpacked once per worker. */
  const images = new Map<string, FsEntry[]>();
  /** Modules given to this worker, by key: each is sent once (the host says when to drop one). */
  const modules = new Map<string, HeldModule>();
  /** Runs that have come as messages (the first always does). */
  let runs = 0;
  /** How the warm-up ended. One that failed only saved no time: the worker serves on. */
  const warmedUp = deferred<VmResult | null>(true);

  async function run(request: VmRequest, again: boolean): Promise<{ result: VmResult; transfer: ArrayBuffer[]; idle: (() => void) | null }> {
    let ready = state;
    if (!ready) {
      ready = await attaching.promise;
      // A task later, so that attach's answer (Comlink's, a few microtasks behind) is posted before
      // the guest takes the thread: the host starts the run's timeout on it.
      await nextTaskDone();
    }
    if (request.forget) for (const key of request.forget) modules.delete(key);
    if (request.module) modules.set(request.moduleKey, new HeldModule(request.moduleKey, request.module));
    const held = modules.get(request.moduleKey);
    if (!held) throw new Error(`module ${request.moduleKey} was never sent to this worker`);
    const abi = request.plugin ? loadExtism() : null;
    if (abi) await abi; // once per worker (a plugin's pool loads it at attach)
    const keystream = !request.determinism.realtime && held.draws ? loadKeystream() : null;
    if (keystream) await keystream; // once per worker: null once loaded
    if (request.images.length > 0) {
      const refused = await mountImages(request, images).then(() => null, (e: Error) => e.message);
      if (refused) return { result: ended('invalid', null, refused), transfer: [], idle: null };
    }
    const result = await runVm(request, held, ready);
    result.tail = ready.link.end();
    // The tail's one block and the volumes' changed files move to the host rather than being copied.
    const transfer = new Set<ArrayBuffer>();
    if (result.tail.length > 0) transfer.add(result.tail[0][2].buffer as ArrayBuffer);
    for (const entries of result.volumes ?? []) for (const e of entries) if (e.type === 'file' && 'data' in e) transfer.add(e.data.buffer as ArrayBuffer);
    // Once the reply is on its way, the next VM of this module is made while the worker is idle.
    const idle = result.status !== 'invalid' && request.plugin?.keep === undefined ? () => prepareNext(request, held, ready, again) : null;
    return { result, transfer: [...transfer], idle };
  }

  /**
   * The warm-up, a task later, unless a run has come by then (it warms the worker as well). What
   * decides is the count of runs: a run message already waiting may or may not come before the
   * timer's task, and one that comes during the warm-up waits for it (~5 ms, of compiles it then
   * need not make).
   */
  function warmSoon(ready: WorkerState, guest: WarmUp): void {
    setTimeout(() => {
      try {
        warmedUp.resolve(runs === 0 ? runWarmUp(ready, guest) : null);
      } catch (e) {
        warmedUp.reject(e);
      }
    }, 0);
  }

  /** Where runs come from besides messages: the shared block's box (a worker with a shared link). */
  let bell: RunBell | null = null;
  /** The last request read, from the box or a message's text: the same bytes or text again are the same request. */
  const requests = new LastRequest();

  /** Runs a request and replies: through the link when it can, else as a message. `again`: the same request object as the last run's (see last-request.ts). */
  function answer(request: VmRequest, again = false): void {
    const at = request.run;
    const reply = (message: RunReply, transfer: ArrayBuffer[] = []) => {
      bell?.ready(); // before the reply can be seen: the host may put the next run in the box at once
      if (!state?.link.reply(message)) post(message, transfer);
    };
    run(request, again).then(
      ({ result, transfer, idle }) => {
        reply({ zerovm: 'result', run: at, result }, transfer);
        idle?.(); // after the reply: it is not held up, and no task is queued for it
        bell?.wait();
      },
      (e: unknown) => {
        reply({ zerovm: 'failed', run: at, message: e instanceof Error ? e.message : String(e) });
        bell?.wait();
      },
    );
  }

  return {
    service: {
      async attach(link, options) {
        try {
          if (!(options?.etag instanceof WebAssembly.Module)) throw new Error('attach: no etag module (a host older than this worker?)');
          const hasher = etagHashers(options.etag);
          // Loaded before the worker counts as up (and before a run that came meanwhile starts).
          if (options.plugin) await loadExtism();
          const ready = attachedState(link, hasher);
          attaching.resolve(ready);
          if (options.warmUp) warmSoon(ready, options.warmUp);
          else warmedUp.resolve(null);
        } catch (e) {
          warmedUp.resolve(null);
          attaching.reject(e);
          throw e;
        }
      },
      warmUpStatus: async () => (await warmedUp.promise)?.status ?? null,
    },
    receive(data) {
      if (!isRunMessage(data)) return;
      runs++;
      if ('request' in data) return answer(data.request);
      const { request, again } = requests.readText(data.text, data.run);
      answer(request, again);
    },
    warmedUp: warmedUp.promise,
  };

  /** What every run of the attached worker works with. */
  function attachedState(link: SharedArrayBuffer | MessagePort, hasher: () => Hasher): WorkerState {
    const memories = new Memories();
    const shared = link instanceof MessagePort ? null : sharedLink(link);
    // Runs come as messages until the first is over; from then on warm ones come through the box.
    if (shared) bell = new RunBell(shared, requests, answer);
    state = {
      spares: new Spares(memories),
      memories,
      link: shared ? new SharedWorkerLink(shared) : new MessageWorkerLink(post, link as MessagePort),
      hasher,
      kept: new Map(),
    };
    return state;
  }
}

/** Puts the request's images into its filesystem, read-only, unpacking the ones this worker has not seen. */
async function mountImages(request: VmRequest, images: Map<string, FsEntry[]>): Promise<void> {
  const areas = [...(request.fs.areas ?? [])];
  for (const image of request.images) {
    let entries = images.get(image.key);
    if (!entries) {
      if (!image.bytes) throw new Error(`${image.where}: image ${image.key} was never sent to this worker`);
      const bytes = image.bytes;
      // The tar reader is loaded with the first image: most workers never get one.
      const { tarEntries } = await import('../contract/tar.js');
      entries = await tarEntries(bytes, '/').catch((e: Error) => {
        throw new Error(`${image.where}: not a tar archive this runtime can read: ${e.message}`);
      });
      images.set(image.key, entries);
    }
    const under = (path: string) => (image.guest === '/' ? path : `${image.guest}${path}`);
    for (const e of entries) request.fs.entries.push({ ...e, path: under(e.path) });
    areas.push({ path: image.guest, readonly: true });
  }
  request.fs.areas = areas;
}
