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

const MAX_REDIRECTS = 5;

/** `*` any run of characters, `?` one; the rest literal; the whole hostname (IPv6 without brackets), case-insensitive. */
export function hostGlob(glob: string): RegExp {
  const body = glob.replace(/^\[|\]$/g, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Why an allowedHosts entry can never match a hostname (a scheme, a path, a port, userinfo), or null. */
export function badHostEntry(entry: string): string | null {
  if (/[/@]/.test(entry) || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return 'a host name or glob only, without scheme, path or user (e.g. "api.example.com", "*.example.com")';
  if (/^[^:[\]]+:\d+$/.test(entry)) return 'ports are not part of an entry: every port of an allowed host is allowed';
  return null;
}

/** Why `url` may not be fetched, or null. */
function refusal(url: URL, allowed: RegExp[]): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return allowed.some((glob) => glob.test(host)) ? null : `no allowedHosts match ${JSON.stringify(host)}`;
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
  return async (message: Uint8Array, signal?: AbortSignal) => {
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
    const method = (request.method ?? 'GET').toUpperCase();
    let response: Response | null = null;
    // Redirects are followed here, each hop checked against allowedHosts (fetch would follow them
    // anywhere); no cookies or credentials of the page go with a plugin's request.
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const why = refusal(url, allowed);
      if (why) return refuse(`HTTP request to ${JSON.stringify(url.href)} is not allowed (${why})`);
      try {
        response = await fetchImpl(url, {
          method,
          headers: request.headers ?? {},
          redirect: 'manual',
          credentials: 'omit',
          signal, // the call is over (timeout, kill, dispose): so is its request
          ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: body.slice() } : {}),
        });
      } catch (e) {
        return refuse(`HTTP request to ${JSON.stringify(url.href)} failed: ${(e as Error).message}`);
      }
      // A browser hides where a redirect goes (an opaque response): it cannot be checked, so not followed.
      if (response.type === 'opaqueredirect') return refuse(`HTTP request to ${JSON.stringify(url.href)} was redirected, and a page cannot see where to (not followed)`);
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) break;
      void response.body?.cancel().catch(() => undefined);
      url = new URL(location, url);
      if (hop === MAX_REDIRECTS) return refuse(`HTTP request to ${JSON.stringify(request.url)}: more than ${MAX_REDIRECTS} redirects`);
    }
    response = response!;
    const bytes = await readBody(response, undefined, MAX_HTTP_BODY);
    if (bytes === null) return refuse(`HTTP response from ${JSON.stringify(request.url)}: more than the ${MAX_HTTP_BODY} bytes a plugin is given`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return encodeHttpReply(response.status, headers, bytes);
  };
}

