// A plugin's http_request, answered on the page (or in Node) by the platform's fetch — only to the
// hosts the manifest's allowedHosts name; every other request is refused with a message saying
// why, and the plugin's call fails with it (as Extism's hosts do).
import { encodeHttpReply } from '../contract/plugin.js';
import { readBody } from './body.js';
import type { CallHandler } from './live.js';

/** The most of a response's body a plugin is given (the body is read whole into its memory). */
export const MAX_HTTP_BODY = 50 << 20;

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

/** `*` any run of characters, `?` one; the rest literal; the whole hostname, case-insensitive. */
export function hostGlob(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
}

/** The handler of a plugin's HTTP channel: the request's JSON, a NUL, its body in; a reply (encodeHttpReply) out. */
export function httpHandler(allowedHosts: readonly string[], fetchImpl: typeof fetch = fetch): CallHandler {
  const allowed = allowedHosts.map(hostGlob);
  const refuse = (message: string) => encodeHttpReply(0, {}, new TextEncoder().encode(message));
  return async (message) => {
    const nul = message.indexOf(0);
    const json = utf8.decode(nul < 0 ? message : message.subarray(0, nul));
    const body = nul < 0 ? EMPTY : message.subarray(nul + 1);
    let request: HttpRequest;
    let url: URL;
    try {
      request = JSON.parse(json) as HttpRequest;
      url = new URL(request.url);
    } catch {
      return refuse(`http_request: not a request: ${JSON.stringify(json.slice(0, 200))}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(`HTTP request to ${JSON.stringify(request.url)} is not allowed (only http and https)`);
    if (!allowed.some((glob) => glob.test(url.hostname))) {
      return refuse(`HTTP request to ${JSON.stringify(request.url)} is not allowed (no allowedHosts match ${JSON.stringify(url.hostname)})`);
    }
    const method = (request.method ?? 'GET').toUpperCase();
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: request.headers ?? {},
        ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: body.slice() } : {}),
      });
    } catch (e) {
      return refuse(`HTTP request to ${JSON.stringify(request.url)} failed: ${(e as Error).message}`);
    }
    const bytes = await readBody(response, undefined, MAX_HTTP_BODY);
    if (bytes === null) return refuse(`HTTP response from ${JSON.stringify(request.url)}: more than the ${MAX_HTTP_BODY} bytes a plugin is given`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return encodeHttpReply(response.status, headers, bytes);
  };
}

