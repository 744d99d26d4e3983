// A plugin call's failure, apart from the plugin host: pages check `instanceof PluginError`
// without loading the plugin host's code (host/plugin.ts loads with the first plugin).
import type { Report } from '../contract/report.js';

/** A call that failed: the plugin's error, a trap, a timeout, a kill, a refusal. Its report says all. */
export class PluginError extends Error {
  override name = 'PluginError';
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super(message);
  }
}
