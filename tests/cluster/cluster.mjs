// What the cluster tests share: the cluster scripts/cluster started (its cluster.env is in the environment), a client
// for the whole cluster (through haproxy) and for each node directly, and the demo tenant's credentials.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through scripts/test cluster (it starts scripts/cluster)`);
  return value;
};

export const url = env('GATEHOUSE_CLUSTER_URL');
export const nodes = env('GATEHOUSE_CLUSTER_NODE_PORTS').split(' ').map((port) => `https://127.0.0.1:${port}/`);
export const nodePids = env('GATEHOUSE_CLUSTER_NODE_PIDS').split(' ').map(Number);
export const emulator = env('GATEHOUSE_CLUSTER_EMULATOR');
export const demo = JSON.parse(readFileSync(env('GATEHOUSE_CLUSTER_DEMO'), 'utf8'));

/** One HTTP call; a connection that breaks (a node killed under it) answers { status: 0 }, as a client sees it. */
export async function call(base, method, path, body, token, form = false) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  let payload;
  if (body && form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(body).toString();
  } else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  try {
    const response = await fetch(new URL(path, base), { method, headers, body: payload, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: response.status, body: json };
  } catch (error) {
    return { status: 0, body: null, error };
  }
}

export async function managementToken(base = url) {
  const { status, body } = await call(base, 'POST', 'oauth/token', {
    grant_type: 'client_credentials',
    client_id: demo.management.client_id,
    client_secret: demo.management.client_secret,
    audience: demo.management.audience,
  });
  if (status !== 200) throw new Error(`management token: ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A password-realm login of the demo's native app. */
export const login = (base, username, pass, realm, scope = 'openid') => call(base, 'POST', 'oauth/token', {
  grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
  client_id: demo.native_client_id,
  username,
  password: pass,
  realm,
  scope,
  audience: demo.api_audience,
}, null, true);

export const refresh = (base, token) => call(base, 'POST', 'oauth/token', {
  grant_type: 'refresh_token', client_id: demo.native_client_id, refresh_token: token,
}, null, true);

/** One value from the cluster's PostgreSQL (psql, trust on loopback). */
export function sql(query) {
  const parts = Object.fromEntries(env('GATEHOUSE_CLUSTER_POSTGRES').split(';').map((p) => p.split('=')));
  return execFileSync('psql', ['-h', parts.Host, '-p', parts.Port, '-U', parts.Username, '-d', parts.Database, '-tAc', query],
    { encoding: 'utf8' }).trim();
}

export const kid = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid;
