// comlink ships its Node adapter without a declaration for the .mjs path that Node resolves.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
