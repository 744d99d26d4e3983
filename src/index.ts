/**
 * ZeroVM for the web, for pages: `run()` and `ZeroVM`, a pool of disposable WASI VMs in Web Workers.
 * @module zerovm-web
 */
import type { Manifest } from './contract/manifest.js';
import type { Report } from './contract/report.js';
import { browserPlatform } from './host/browser.js';
import { type RunOptions, VmHost, type ZeroVMOptions } from './host/vm-host.js';

export type { Bytes, Manifest, ProgramSource, Limits, Determinism, Mount, ChannelSpec, ChannelLimits, ChannelSink, ChannelSource } from './contract/manifest.js';
export type { ChunkListener } from './host/capture.js';
export type { Report, RunStatus, ChannelReport, Timings, InputsRecord, RecordedInput, VolumeReport } from './contract/report.js';
export type { Volumes, VolumeInfo, VolumeListing } from './host/volumes/api.js';
export type { VolumeStore, VolumeHead, VolumeVersion, VolumeCommit, CommitFailure } from './host/volumes/store.js';
export type { Tree, TreeEntry } from './host/volumes/tree.js';
export type { CallHandler, LiveEnd, LiveSink, LiveSource } from './host/live.js';
export type { RunOptions, ZeroVMOptions } from './host/vm-host.js';
export type { LoadProgress, ProgressListener } from './host/program.js';
export type { PluginManifest, PluginLimits, PluginLog, LogLevel } from './contract/plugin.js';
export type { PluginReport } from './contract/report.js';
export type { Plugin, PluginOptions, PluginCallOptions, PluginOutput, HostFunction } from './host/plugin.js';
export { PluginError } from './host/plugin-error.js';
export { checkManifest } from './host/validate.js';

/** A pool of disposable VMs: each run gets a fresh instance and kernel in a warm worker. */
export class ZeroVM extends VmHost {
  constructor(options: ZeroVMOptions = {}) {
    super(options, browserPlatform);
  }
}

let shared: ZeroVM | null = null;

/** Runs one manifest on a page-wide shared ZeroVM. */
export function run(manifest: Manifest, options?: RunOptions): Promise<Report> {
  shared ??= new ZeroVM();
  return shared.run(manifest, options);
}

/** Replays a recorded run (its manifest and its report) on the page-wide shared ZeroVM: see ZeroVM.replay. */
export function replay(manifest: Manifest, report: Report): Promise<Report> {
  shared ??= new ZeroVM();
  return shared.replay(manifest, report);
}
