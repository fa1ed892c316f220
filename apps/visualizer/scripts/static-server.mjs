// A small static file server for the built visualiser (dist/): GET and HEAD only, no directory
// listings, nothing outside the root, index.html for directories.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Content types of the files a Vite build writes. */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.trace': 'text/plain; charset=utf-8',
  '.rep': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Maps a request path to a file under root, or null when it would leave root or is malformed.
 * @param {string} root an absolute directory.
 * @param {string} urlPath the request's path (with its query, if any).
 * @returns {string | null} the file path.
 */
export function resolveRequestPath(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(new URL(urlPath, 'http://x').pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(root, path));
  const base = resolve(root);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

/**
 * Starts serving a directory.
 * @param {{ root: string, port?: number, host?: string }} options the directory, the port
 *   (0 for any free one; default 4173) and the host (default 127.0.0.1).
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>} the address and a
 *   close function that ends open connections too.
 * @throws when the port cannot be listened on (for example EADDRINUSE).
 */
export async function startStaticServer({ root, port = 4173, host = '127.0.0.1' }) {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let file = resolveRequestPath(base, request.url ?? '/');
    if (file === null) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad path\n');
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done(undefined);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done(undefined));
      }),
  };
}
