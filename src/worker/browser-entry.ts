// A VM worker on the page.
import * as Comlink from 'comlink';
import { createVmService } from './service.js';

Comlink.expose(createVmService((message, transfer) => self.postMessage(message, { transfer })));
