// scripts/cluster: adds the waad connection "contoso-native" (the emulator's tenant, the payload of docs/waad.md)
// through the Management API, enabled for the demo's native app. --demo seeds waad connections only with its
// in-process emulator; the cluster's nodes share one emulator process instead. Idempotent.
//   NODE_EXTRA_CA_CERTS=<dev-ca.pem> node scripts/lib/cluster-seed.mjs <url> <demo.json>
import { readFileSync } from 'node:fs';

const [url, demoFile] = process.argv.slice(2);
const demo = JSON.parse(readFileSync(demoFile, 'utf8'));

async function call(method, path, body, token) {
  const response = await fetch(new URL(path, url), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

const token = await call('POST', 'oauth/token', {
  grant_type: 'client_credentials',
  client_id: demo.management.client_id,
  client_secret: demo.management.client_secret,
  audience: demo.management.audience,
});
if (token.status !== 200) throw new Error(`management token: ${token.status} ${JSON.stringify(token.body)}`);

const created = await call('POST', 'api/v2/connections', {
  name: 'contoso-native',
  strategy: 'waad',
  options: {
    tenant_domain: 'contoso.onmicrosoft.com',
    app_id: 'https://contoso.onmicrosoft.com/gatehouse-api',
    client_id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e02',
    client_secret: 'any_value',
  },
  enabled_clients: [demo.native_client_id],
}, token.body.access_token);
if (created.status !== 201 && created.status !== 409) throw new Error(`waad connection: ${created.status} ${JSON.stringify(created.body)}`);
console.log(`waad connection contoso-native: ${created.status === 201 ? 'created' : 'already there'}`);
