// A VM worker on the page.
import * as Comlink from 'comlink';
import { createVmWorker } from './service.js';

const vm = createVmWorker((message, transfer) => self.postMessage(message, { transfer }));
self.addEventListener('message', (event) => vm.receive(event.data));
Comlink.expose(vm.service);
