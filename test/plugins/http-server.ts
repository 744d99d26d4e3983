// The plugins' HTTP test server (Node): httpRoutes, and /echo answering with what it was sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRoutes } from './cases.js';

/** Starts the server on a free port of 127.0.0.1; `base` is its URL, close() stops it. */
export async function startHttpServer(): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/echo') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${req.method} x-test=${req.headers['x-test']} type=${req.headers['content-type']} body=${Buffer.concat(chunks).toString()}`);
        return;
      }
      const route = httpRoutes[path] ?? { status: 404, body: 'not found' };
      res.writeHead(route.status, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
      res.end(route.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
