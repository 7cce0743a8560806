// The official auth0 SDK's ManagementClient manages Gatehouse, and a client and connection it creates
// work at once for logins through the SDK's AuthenticationClient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { domain, issuer, demo, unique, managementClient } from './demo.mjs';

const management = managementClient(ManagementClient);
const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));

test('a client, a database connection and a user created through the SDK log in at once', async () => {
  const client = await management.clients.create({
    name: unique('compat-app'),
    app_type: 'regular_web',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['http://auth0.com/oauth/grant-type/password-realm'],
  });
  assert.ok(client.client_id);

  const connection = await management.connections.create({
    name: unique('compat-db'),
    strategy: 'auth0',
    enabled_clients: [client.client_id],
  });
  assert.equal(connection.strategy, 'auth0');

  const email = `${unique('someone')}@example.com`;
  const created = await management.users.create({
    connection: connection.name,
    email,
    password: 'Correct-Horse-7-Battery',
    email_verified: true,
  });
  assert.match(created.user_id, /^auth0\|/);

  assert.ok(client.client_secret, 'a confidential client is created with a secret');
  const auth = new AuthenticationClient({ domain, clientId: client.client_id, clientSecret: client.client_secret });
  const { data } = await auth.oauth.passwordGrant({
    username: email,
    password: 'Correct-Horse-7-Battery',
    realm: connection.name,
    scope: 'openid email',
  });
  const { payload } = await jwtVerify(data.id_token, jwks, { issuer, audience: client.client_id });
  assert.equal(payload.sub, created.user_id);

  const fetched = await management.users.get(created.user_id);
  assert.equal(fetched.email, email);
  assert.equal(fetched.identities[0].connection, connection.name);

  await management.users.delete(created.user_id);
  await management.connections.delete(connection.id);
  await management.clients.delete(client.client_id);
  await assert.rejects(management.clients.get(client.client_id), (err) => err.statusCode === 404);
});

test('lists answer in the shapes the SDK pages through', async () => {
  const clients = [];
  for await (const c of await management.clients.list({ per_page: 2, include_totals: true })) clients.push(c);
  assert.ok(clients.some((c) => c.client_id === demo.native_client_id));

  const connections = [];
  for await (const c of await management.connections.list()) connections.push(c);
  assert.ok(connections.some((c) => c.name === demo.connections[0]));
});

test('the SDK reads tenant settings and signing keys', async () => {
  const settings = await management.tenants.settings.get();
  assert.equal(settings.default_directory, demo.connections[0]);
  const keys = await management.keys.signing.list();
  assert.ok(keys.some((k) => k.current));
});

test('a missing scope is refused in Auth0\'s shape', async () => {
  const res = await fetch(`${issuer}api/v2/clients`, { headers: { authorization: 'Bearer not-a-token' } });
  assert.equal(res.status, 401);
  const body = await res.json();
  assert.equal(body.statusCode, 401);
  assert.equal(body.error, 'Unauthorized');
});
