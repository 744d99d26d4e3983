// The playground's run settings as typed (arguments, stdin, environment, limits) and their reading
// into manifest fields. A field that does not read is named with what was expected, and the run
// does not start.
import type { Limits } from '../contract/manifest.js';
import { readLimit } from '../elements/limits.js';
import { parseArgs } from './args.js';

export interface RunSettings {
  args: string;
  stdin: string;
  /** NAME=value lines. */
  env: string;
  timeout: string;
  memory: string;
}

export type SettingsField = keyof RunSettings;

export const FIELD_LABELS: Record<SettingsField, string> = {
  args: 'Arguments',
  stdin: 'Standard input',
  env: 'Environment',
  timeout: 'Timeout',
  memory: 'Memory',
};

export interface FieldError {
  field: SettingsField;
  message: string;
}

/** What a run takes from the settings: argv after argv[0], and the manifest fields. */
export interface RunInputs {
  args: string[];
  stdin: string;
  env: Record<string, string>;
  limits: Limits;
}

export type SettingsRead = { ok: true; inputs: RunInputs } | { ok: false; errors: FieldError[] };

/** The environment from NAME=value lines; blank lines are skipped, the value may hold `=`. */
export function parseEnv(text: string): { ok: true; env: Record<string, string> } | { ok: false; message: string } {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const name = line.slice(0, eq);
    if (eq < 1 || /\s/.test(name)) return { ok: false, message: `line ${i + 1}: expected NAME=value; got "${line}"` };
    env[name] = line.slice(eq + 1);
  }
  return { ok: true, env };
}

/** Every field that does not read, in the order of the form; or what the run takes. */
export function readSettings(settings: RunSettings): SettingsRead {
  const errors: FieldError[] = [];
  const env = parseEnv(settings.env);
  if (!env.ok) errors.push({ field: 'env', message: env.message });
  const limits: Limits = {};
  for (const field of ['timeout', 'memory'] as const) {
    const read = readLimit(field, settings[field]);
    if (!read.ok) errors.push({ field, message: read.message });
    else if (read.value !== undefined) limits[field] = read.value;
  }
  if (!env.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, inputs: { args: parseArgs(settings.args), stdin: settings.stdin, env: env.env, limits } };
}
