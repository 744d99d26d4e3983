// One way to run something after what the event loop has waiting, for the host and the worker alike.

/** Runs `fn` in a task of its own, soon: after what the event loop has waiting (unlike a microtask), without setTimeout's clamping. */
export function nextTask(fn: () => void): void {
  if (typeof setImmediate === 'function') {
    setImmediate(fn);
    return;
  }
  if (!taskChannel) {
    taskChannel = new MessageChannel();
    taskChannel.port1.onmessage = () => {
      // One that throws must not drop the others: they run, then its error is thrown.
      let failure: unknown = null;
      for (const f of tasks.splice(0)) {
        try {
          f();
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== null) throw failure;
    };
  }
  tasks.push(fn);
  if (tasks.length === 1) taskChannel.port2.postMessage(null);
}
const tasks: (() => void)[] = [];
let taskChannel: MessageChannel | null = null;

/** nextTask as a promise: resolves in a task of its own, soon. */
export const nextTaskDone = (): Promise<void> => new Promise((resolve) => nextTask(resolve));
