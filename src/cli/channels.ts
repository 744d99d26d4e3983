// The run's channels from the command line. The guest's stdin is zerovm's own, passed through
// live (read only as the guest reads it), unless --stdin FILE or the manifest gives it; --in and
// --out declare /dev/in/NAME and /dev/out/NAME. Declared in the manifest, so that a saved manifest
// says what the run was given, and bound here to their live ends: zerovm's stdin and stdout, and
// files written with backpressure.
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { kindOf } from '../contract/channels.js';
import type { ChannelSpec, Manifest } from '../contract/manifest.js';
import type { LiveEnd, LiveSink } from '../host/live.js';
import { type ChannelFlag, type CliOptions, UsageError } from './args.js';
import { fileError, readBytes } from './files.js';

/** Declares stdin, --in and --out in `manifest`, reading the files that give fixed bytes. */
export async function declareChannels(manifest: Manifest, options: CliOptions): Promise<void> {
  const specs = [...(manifest.channels ?? [])];
  const declare = (path: string, fields: Partial<ChannelSpec>) => {
    const i = specs.findIndex((s) => s.path === path);
    if (i >= 0) specs[i] = { ...specs[i], ...fields }; // its limits and etag stay
    else specs.push({ path, ...fields });
  };
  const { stdinFile } = options;
  if (stdinFile !== undefined) {
    delete manifest.stdin; // the flag wins over the manifest's stdin
    declare('/dev/stdin', { source: stdinFile === '-' ? 'live' : { bytes: await readBytes('--stdin', stdinFile, stdinFile) } });
  } else {
    const given = manifest.stdin !== undefined || specs.some((s) => s.path === '/dev/stdin' && s.source !== undefined);
    const taken = options.inputs.some((c) => c.file === '-'); // by --in NAME=-: the guest's stdin is then empty
    if (!given && !taken) declare('/dev/stdin', { source: 'live' });
  }
  for (const { name, file } of options.inputs) {
    declare(`/dev/in/${name}`, { source: file === '-' ? 'live' : { bytes: await readBytes('--in', `${name}=${file}`, file) } });
  }
  for (const { name } of options.outputs) declare(`/dev/out/${name}`, { sink: 'live' });
  if (specs.length > 0) manifest.channels = specs;
}

export interface BoundChannels {
  /** RunOptions.channels: every live channel of the manifest. */
  ends: Record<string, LiveEnd>;
  /**
   * After the run: lets go of zerovm's stdin (a terminal must not keep zerovm alive), flushes and
   * closes the --out files; what failed at a file, naming its flag.
   */
  close(): Promise<string[]>;
}

/**
 * Binds every live channel of `manifest` to its end: opens the --out files (now, so that a bad path
 * fails before the run). A live channel the command line cannot bind is refused, naming it.
 */
export async function bindChannels(manifest: Manifest, options: CliOptions): Promise<BoundChannels> {
  const ends: Record<string, LiveEnd> = {};
  const files: { stream: Writable; flag: string }[] = [];
  let reader: string | undefined; // the channel zerovm's stdin goes to
  const close = async () => {
    if (reader) process.stdin.destroy();
    const failed = await Promise.all(
      files.map(({ stream, flag }) => {
        stream.end();
        return finished(stream).then(() => [], (e: Error) => [`${flag}: ${e.message}`]);
      }),
    );
    return failed.flat();
  };
  const from = `--manifest ${options.manifestFile}`; // the only place a live channel no flag declared can come from
  try {
    for (const { path, source, sink } of manifest.channels ?? []) {
      const kind = kindOf(path);
      const name = path.split('/')[3]; // NAME of /dev/in/NAME and /dev/out/NAME; none for stdio
      if (kind === 'call') throw new UsageError(`${from}: ${path} is a call channel, which zerovm cannot answer`, '');
      if (kind === 'input' && source === 'live') {
        if (name !== undefined && !options.inputs.some((c) => c.name === name && c.file === '-')) {
          throw new UsageError(`${from}: ${path} is live: pass zerovm's stdin to it with --in ${name}=-`, '');
        }
        if (reader) throw new UsageError(`${reader} and ${path} are both live: zerovm's stdin can be passed to one channel only`, '');
        reader = path;
        ends[path] = process.stdin;
      } else if (kind === 'output' && sink === 'live') {
        const flag = options.outputs.find((c) => c.name === name);
        if (name !== undefined && !flag) throw new UsageError(`${from}: ${path} is live: stream it to a file with --out ${name}=FILE`, '');
        const stream = flag ? await outputStream(flag) : path === '/dev/stderr' ? process.stderr : process.stdout;
        if (flag && flag.file !== '-') files.push({ stream, flag: `--out ${flag.name}=${flag.file}` });
        ends[path] = sinkTo(stream);
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { ends, close };
}

async function outputStream({ name, file }: ChannelFlag): Promise<Writable> {
  if (file === '-') return process.stdout;
  const handle = await open(file, 'w').catch((e: NodeJS.ErrnoException) => {
    throw fileError('--out', `${name}=${file}`, e, e.code === 'ENOENT' ? 'no such directory' : undefined);
  });
  const stream = handle.createWriteStream();
  stream.on('error', () => {}); // kept in stream.errored: the next write fails with it, and close() says it
  return stream;
}

/** Each write waits while the stream is behind (past its high-water mark): the guest waits with it. */
function sinkTo(stream: Writable): LiveSink {
  return async (bytes) => {
    if (stream.errored) throw stream.errored;
    if (!stream.write(bytes)) await once(stream, 'drain');
  };
}
