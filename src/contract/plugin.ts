// Plugins: a module whose exported functions are called with bytes in and bytes out, through
// Extism's host ABI (`extism:host/env`, `extism:host/user`), each call a VM run of its own. What
// the page gives (the plugin manifest), what a call asks of the worker, and what comes back.
import type { Limits, Manifest } from './manifest.js';

/** A plugin's manifest: a program's (no stdin or args: a plugin is called, not started), plus Extism's. */
export interface PluginManifest extends Omit<Manifest, 'stdin' | 'args' | 'limits'> {
  /** Strings the plugin reads with config_get. */
  config?: Record<string, string>;
  /**
   * Hosts the plugin may reach with http_request, as globs (`*` any run of characters, `?` one):
   * `api.example.com`, `*.example.com`. None by default: every request is refused.
   */
  allowedHosts?: string[];
  limits?: PluginLimits;
}

export interface PluginLimits extends Limits {
  /** Bytes all of a plugin's vars may hold (var_set past it fails the call). Default 1 MiB. */
  vars?: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export interface PluginLog {
  level: LogLevel;
  message: string;
}

/** One call, as the worker runs it. */
export interface VmPluginCall {
  /** The export to call: no arguments, an i32 result (0: success). */
  function: string;
  input: Uint8Array;
  config: Record<string, string>;
  /**
   * The host's own call channels (never devices) the plugin's host calls go over, by channel
   * index: each `extism:host/user` function the module imports, and http_request.
   */
  hostFunctions: Record<string, number>;
  http: number;
  limits: { vars: number; output: number; memory: number };
  /** keepState: the instance (and its vars) stays in the worker under this key between calls. */
  keep?: string;
}

/** What a call left, beside the run's result. */
export interface VmPluginOutcome {
  /** What the function returned (0: success), or null when it did not return (a trap). */
  returned: number | null;
  output: Uint8Array;
  /** What the plugin named with error_set, when it did. */
  error?: string;
  logs: PluginLog[];
}

/**
 * http_request's reply on its call channel: `status` (u16), then the response's headers as JSON
 * (u32 length first), then its body; status 0 when the host refused it, the body then saying why.
 */
export function encodeHttpReply(status: number, headers: Record<string, string>, body: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(headers));
  const reply = new Uint8Array(6 + json.length + body.length);
  const view = new DataView(reply.buffer);
  view.setUint16(0, status, true);
  view.setUint32(2, json.length, true);
  reply.set(json, 6);
  reply.set(body, 6 + json.length);
  return reply;
}

export function decodeHttpReply(reply: Uint8Array): { status: number; headers: string; body: Uint8Array } {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  const length = view.getUint32(2, true);
  return { status: view.getUint16(0, true), headers: new TextDecoder().decode(reply.subarray(6, 6 + length)), body: reply.subarray(6 + length) };
}
