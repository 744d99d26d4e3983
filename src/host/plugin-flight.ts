// A plugin call as one run of the host: the plugin's pool, the call, and its host calls planned as
// hidden call channels after the manifest's (the same numbering on both sides, and in a replay).
import { LOADER_CHANNEL } from '../contract/link.js';
import type { ChannelEntry } from '../contract/channels.js';
import type { VmPluginCall, VmPluginOutcome } from '../contract/plugin.js';
import type { CallHandler } from './live.js';
import { type ChannelPlan, waitingMode } from './plan.js';
import type { Pool } from './pool.js';
import { Refusal } from './refusal.js';

/**
 * A plugin call as a run: the plugin's own pool, the call, and the host's ends of its host calls
 * (each a hidden call channel after the manifest's). `outcome` is what the worker said of the call.
 */
export interface PluginFlight {
  pool: Pool;
  call: Omit<VmPluginCall, 'hostFunctions' | 'http'>;
  /** The page functions the plugin imports, by name. */
  hostFunctions: Map<string, CallHandler>;
  /** Its http_request's handler, when it imports http_request. */
  http: CallHandler | null;
  outcome?: VmPluginOutcome;
}

/**
 * A plugin call's host calls as hidden call channels after the manifest's (the same numbering on
 * both sides, and in a replay's record), bound to their page ends; a plugin that calls the host
 * must be able to wait, so the run is made a waiting one (or refused where no waiting exists).
 */
export function planPlugin(flight: PluginFlight, plan: ChannelPlan, replaying: boolean): VmPluginCall {
  const names = [...flight.hostFunctions.keys()];
  const count = names.length + (flight.http ? 1 : 0);
  if (plan.table.length + count > LOADER_CHANNEL) {
    throw new Refusal(`manifest.channels: ${plan.table.length} channels and ${count} host calls, more than the ${LOADER_CHANNEL} a VM may have`);
  }
  const bind = (path: string, handler: CallHandler): number => {
    const index = plan.table.length;
    const entry: ChannelEntry = { path, kind: 'call', live: true, sink: 'discard', spec: undefined, hidden: true };
    plan.table.push(entry);
    if (!replaying) plan.ends.set(index, handler);
    return index;
  };
  const hostFunctions = Object.fromEntries(names.map((name) => [name, bind(`extism:host/user/${name}`, flight.hostFunctions.get(name)!)]));
  const http = flight.http ? bind('extism:host/env/http_request', flight.http) : -1;
  if (count > 0 && !replaying && plan.mode === 'plain') {
    const mode = waitingMode();
    if (!mode) throw new Refusal('the plugin calls the host (a host function or http_request), but this page can neither block a VM (not cross-origin isolated) nor suspend one (no JSPI)');
    plan.mode = mode;
  }
  return { ...flight.call, hostFunctions, http };
}
