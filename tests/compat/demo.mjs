// What the tests know about the running Gatehouse: its domain (host:port, served over HTTPS with the
// dev certificate that NODE_EXTRA_CA_CERTS trusts) and the demo tenant it seeded (demo.json).
import { readFileSync } from 'node:fs';

export const domain = process.env.GATEHOUSE_DOMAIN;
if (!domain) throw new Error('GATEHOUSE_DOMAIN is not set: run these tests through scripts/test');

export const issuer = `https://${domain}/`;
export const demo = JSON.parse(readFileSync(process.env.GATEHOUSE_DEMO, 'utf8'));

// A name unique to this run, for resources the tests create.
export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

// The official AuthenticationClient always authenticates the client (it is meant for back ends), so SDK logins
// go through a confidential app made for the run and enabled on the demo's connections. Native apps are the raw
// form posts in nativeLogin().
let confidential;
export async function confidentialApp(management) {
  confidential ??= (async () => {
    const client = await management.clients.create({
      name: unique('compat-backend'),
      app_type: 'regular_web',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['password', 'http://auth0.com/oauth/grant-type/password-realm', 'refresh_token'],
    });
    for await (const connection of await management.connections.list()) {
      if (demo.connections.includes(connection.name)) {
        await management.connections.clients.update(connection.id, [{ client_id: client.client_id, status: true }]);
      }
    }
    return { clientId: client.client_id, clientSecret: client.client_secret };
  })();
  return confidential;
}

// What a native app sends: a public client (no secret) posting the password-realm grant.
export async function nativeLogin(realm, username, password, scope = 'openid profile email') {
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      client_id: demo.native_client_id,
      realm,
      username,
      password,
      scope,
    }),
  });
  return { status: res.status, body: await res.json() };
}

export function managementClient(ManagementClient) {
  return new ManagementClient({ domain, clientId: demo.management.client_id, clientSecret: demo.management.client_secret });
}
