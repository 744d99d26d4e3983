// Tar images mounted read-only, run after run on one worker: the worker is sent an image's bytes
// the first time it is given it and keeps it unpacked, so a later run that names it (alone or
// beside a new image) still finds every file.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { packEntries } from '../../src/contract/tar.js';

const CATFILE = fileURLToPath(new URL('../hostile/catfile.wasm', import.meta.url));
const utf8 = new TextEncoder();

const image = (text: string) => packEntries([{ path: 'etc', type: 'dir' }, { path: 'etc/motd', type: 'file', data: utf8.encode(text) }]);

describe('image mounts on one worker', () => {
  const vm = new NodeZeroVM({ pool: 1 });
  after(() => vm.dispose());

  const cat = async (path: string, images: Record<string, Uint8Array>) => {
    const report = await vm.run({ program: CATFILE, args: ['catfile', path], mounts: Object.entries(images).map(([guest, bytes]) => ({ guest, image: bytes })) });
    assert.equal(report.status, 'ok', report.message);
    assert.equal(report.exitCode, 0, report.stderr);
    return report.stdout;
  };

  it('finds an image given before, alone and beside one it has not been given', async () => {
    const [first, second] = await Promise.all([image('first\n'), image('second\n')]);
    assert.equal(await cat('/a/etc/motd', { '/a': first }), 'first\n');
    assert.equal(await cat('/a/etc/motd', { '/a': first }), 'first\n'); // bytes not sent again
    assert.equal(await cat('/b/etc/motd', { '/a': first, '/b': second }), 'second\n');
    assert.equal(await cat('/b/etc/motd', { '/b': first }), 'first\n'); // the same image elsewhere
  });
});
