// A second, empty Gatehouse for tests that need one (the deploy-cli import target): the same server build
// scripts/lib/run-compat.sh runs, on a free loopback port with its own data dir and dev certificate.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const serverDll = process.env.GATEHOUSE_SERVER_DLL
  ?? resolve(import.meta.dirname, '../../src/Gatehouse.Server/bin/Release/net10.0/Gatehouse.Server.dll');

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    }).on('error', fail);
  });
}

// JSON over HTTPS trusting only this server's CA (the test process trusts the main server's through NODE_EXTRA_CA_CERTS).
function call(instance, method, path, { body, token, form } = {}) {
  const payload = form ? new URLSearchParams(form).toString() : body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request(`https://${instance.domain}${path}`, {
      method,
      ca: instance.ca,
      headers: {
        ...(payload ? { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

export async function startGatehouse() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-compat-'));
  const port = await freePort();
  const child = spawn('dotnet', [serverDll, '--urls', `https://127.0.0.1:${port}`, '--data-dir', dataDir, '--dev-cert'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const caFile = join(dataDir, 'dev-ca.pem');
  const instance = { domain: `127.0.0.1:${port}`, caFile, dataDir };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`Gatehouse exited: ${stderr}`);
    if (existsSync(caFile) && existsSync(join(dataDir, 'bootstrap.json'))) {
      instance.ca = readFileSync(caFile);
      try {
        if ((await call(instance, 'GET', '/.well-known/openid-configuration')).status === 200) break;
      } catch { /* not listening yet */ }
    }
    if (i > 120) throw new Error('Gatehouse did not start in 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  const bootstrap = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8'));
  instance.clientId = bootstrap.client_id;
  instance.clientSecret = bootstrap.client_secret;
  const token = await call(instance, 'POST', '/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: bootstrap.client_id, client_secret: bootstrap.client_secret, audience: bootstrap.audience },
  });
  instance.api = (method, path, body) => call(instance, method, `/api/v2/${path}`, { body, token: token.body.access_token });
  instance.stop = () => {
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return instance;
}
