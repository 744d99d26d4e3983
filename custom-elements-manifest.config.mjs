// custom-elements.json: <zero-vm>'s public surface (attributes, properties, methods, events, ::part()
// names, CSS custom properties) for editors, linters and docs, from the JSDoc on ZeroVmElement.
// `npm run build:cem` writes it; test/node/custom-elements.test.ts fails when it is stale.

/** Where each analysed source ships: the package exports `zerovm-web/element` as dist/element.js. */
const SHIPPED = { 'src/elements/zero-vm.ts': 'dist/element.js' };

/**
 * Done here, in the analyzer's own last phase, rather than by a script editing its output: one
 * command makes the manifest, and the test that regenerates it runs exactly what the build runs.
 */
function shippedSurface() {
  return {
    name: 'zerovm-shipped-surface',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        module.path = shipped(module.path);
        for (const declaration of module.declarations ?? []) {
          // TypeScript `private` members are no one's API: dropped here, so a new one cannot leak in.
          if (declaration.members) declaration.members = declaration.members.filter((m) => m.privacy !== 'private');
        }
        for (const e of module.exports ?? []) {
          if (e.declaration.module) e.declaration.module = shipped(e.declaration.module);
        }
      }
    },
  };
}

function shipped(path) {
  const target = SHIPPED[path];
  if (!target) throw new Error(`custom-elements-manifest.config.mjs: where does ${path} ship? Add it to SHIPPED.`);
  return target;
}

export default {
  globs: Object.keys(SHIPPED),
  litelement: true,
  // package.json's "customElements" field is kept by hand; the analyzer would rewrite the file.
  packagejson: false,
  plugins: [shippedSurface()],
};
