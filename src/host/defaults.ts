// Defaults for what a manifest leaves out. Documented in the README; change both together.

export const DEFAULT_LIMITS = {
  /** 512 MiB of linear memory: room for compilers and interpreters, a cap for a memory bomb. */
  memory: 512 * 1024 * 1024,
  /** 30 s of wall time: long enough for real programs, short enough that a runaway loop ends. */
  timeout: 30_000,
  /** Stdio, one preopen and room for a program that opens a fair number of files. */
  fds: 64,
  /** 1 MiB of each output channel is kept in the report; the rest still streams, uncaptured. */
  output: 1 << 20,
  /** A volume may hold as much as the VM's files may (limits.memory), unless it says less. */
  volumeBytes: Infinity,
} as const;

/** A manifest's limits with every default filled in. */
export type ResolvedLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export function limitsOf(limits: Partial<ResolvedLimits> = {}): ResolvedLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

export const DEFAULT_DETERMINISM = { seed: 0, epoch: 0, realtime: false } as const;

/** The guest directory preopened when the manifest names no mount. */
export const DEFAULT_PREOPEN = '/';
