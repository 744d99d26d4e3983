/**
 * ZeroVM for the web, in Node: the same VMs over worker_threads (`NodeZeroVM`, `runInNode`).
 * @module zerovm-web/node
 */
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
export { NodeZeroVM, type NodeZeroVMOptions, runInNode } from './cli/node-host.js';
export { DirVolumeStore } from './cli/volume-dir.js';
