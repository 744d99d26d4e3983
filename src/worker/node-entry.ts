// A VM worker in Node (the CLI): the same service over worker_threads.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { createVmWorker } from './service.js';

if (!parentPort) throw new Error('node-entry must run in a worker_threads Worker');
const port = parentPort;
const vm = createVmWorker((message, transfer) => port.postMessage(message, transfer));
port.on('message', (data) => vm.receive(data));
Comlink.expose(vm.service, nodeEndpoint(port));
