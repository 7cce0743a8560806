// Auth0's RBAC through the official auth0 SDK: a role with a permission, assigned to a user, shows in the user's
// permissions and in the access token of an API that enforces policies (verified with jose); deleting the role
// takes it all back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { demo, issuer, unique, managementClient } from './demo.mjs';

const management = managementClient(ManagementClient);
const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));

async function all(pagePromise) {
  const items = [];
  for await (const item of await pagePromise) items.push(item);
  return items;
}

async function login(email, password, audience, scope) {
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      client_id: demo.native_client_id, realm: demo.connections[0], username: email, password, audience, scope,
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

test('roles round-trip through the SDK and limit the access token of an API enforcing policies', async () => {
  const api = await management.resourceServers.create({
    identifier: `https://${unique('rbac-api')}.example/`, name: unique('RBAC API'),
    scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders', description: 'Write orders' }],
    enforce_policies: true, token_dialect: 'access_token_authz',
  });
  assert.equal(api.enforce_policies, true);
  assert.equal(api.token_dialect, 'access_token_authz');

  const email = `${unique('rbac-user')}@example.com`;
  const password = 'Correct-Horse-7-Battery';
  const user = await management.users.create({ connection: demo.connections[0], email, password, email_verified: true });

  const role = await management.roles.create({ name: unique('order-reader'), description: 'Reads orders' });
  assert.match(role.id, /^rol_[A-Za-z0-9]{16}$/);
  await management.roles.permissions.add(role.id, { permissions: [{ resource_server_identifier: api.identifier, permission_name: 'read:orders' }] });
  const rolePermissions = await all(management.roles.permissions.list(role.id));
  assert.deepEqual(rolePermissions.map((p) => [p.permission_name, p.description, p.resource_server_name]), [['read:orders', 'Read orders', api.name]]);

  await management.roles.users.assign(role.id, { users: [user.user_id] });
  assert.deepEqual((await all(management.users.roles.list(user.user_id))).map((r) => r.id), [role.id]);
  assert.deepEqual((await all(management.roles.users.list(role.id))).map((u) => u.user_id), [user.user_id]);
  await management.users.permissions.create(user.user_id, { permissions: [{ resource_server_identifier: api.identifier, permission_name: 'write:orders' }] });

  const permissions = await all(management.users.permissions.list(user.user_id));
  assert.deepEqual(permissions.map((p) => [p.permission_name, p.sources.map((s) => s.source_type)]), [['read:orders', ['ROLE']], ['write:orders', ['DIRECT']]]);

  const tokens = await login(email, password, api.identifier, 'read:orders write:orders');
  const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: api.identifier });
  assert.equal(payload.scope, 'read:orders write:orders');
  assert.deepEqual(payload.permissions, ['read:orders', 'write:orders']);

  await management.roles.delete(role.id);
  await assert.rejects(management.roles.get(role.id), (err) => err.statusCode === 404);
  assert.deepEqual(await all(management.users.roles.list(user.user_id)), []);
  const after = await jwtVerify((await login(email, password, api.identifier, 'read:orders write:orders')).access_token, jwks, { issuer, audience: api.identifier });
  assert.equal(after.payload.scope, 'write:orders');

  await management.users.delete(user.user_id);
  await management.resourceServers.delete(api.id);
});
