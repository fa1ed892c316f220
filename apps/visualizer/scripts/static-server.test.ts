import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRequestPath, type StaticServer, startStaticServer } from './static-server.mjs';

describe('resolveRequestPath', () => {
  it('maps paths under the root and refuses the rest', () => {
    expect(resolveRequestPath('/srv/app', '/')).toBe('/srv/app/');
    expect(resolveRequestPath('/srv/app', '/assets/a.js?v=1')).toBe('/srv/app/assets/a.js');
    expect(resolveRequestPath('/srv/app', '/a%20b.txt')).toBe('/srv/app/a b.txt');
    expect(resolveRequestPath('/srv/app', '/%2e%2e/secret')).toBe('/srv/app/secret');
    expect(resolveRequestPath('/srv/app', '/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveRequestPath('/srv/app', '/x%00y')).toBeNull();
    expect(resolveRequestPath('/srv/app', '/%E0%A4%A')).toBeNull();
  });
});

describe('startStaticServer', () => {
  let root: string;
  let server: StaticServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mems-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<p>hi</p>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    server = await startStaticServer({ root, port: 0 });
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html for the root, files with their content type, and 404 for the rest', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await fetch(server.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toBe('<p>hi</p>');
    const js = await fetch(`${server.url}assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${server.url}missing.css`)).status).toBe(404);
    const head = await fetch(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('9');
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a port that is in use', async () => {
    await expect(startStaticServer({ root, port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('pnpm visualize (scripts/visualize.mjs)', () => {
  const script = fileURLToPath(new URL('./visualize.mjs', import.meta.url));

  it('serves the built app, prints its URL, and stops cleanly on Ctrl+C (SIGINT)', async () => {
    const child = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /MeMS visualizer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>MeMS visualizer</title>');
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(out).toContain('visualize: stopped');
  });

  it.each([
    [['--port', 'abc'], 'must be a whole number from 0 to 65535'],
    [['--port', '70000'], 'must be a whole number from 0 to 65535'],
    [['--colour'], "Unknown option '--colour'"],
  ])('refuses %j with exit code 2', async (args, message) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});
