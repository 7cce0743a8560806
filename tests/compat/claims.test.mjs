// Issue 19's proof with clients not written here: Megan (300 Azure AD groups) signs in through the demo's
// contoso-graph connection, whose gatehouse_role_mappings give a role for one of her groups; jose verifies the access
// token and reads the permission the role brings, the role, and the claims the API chose (gatehouse_claims), within
// the groups cap. The settings round-trip through the official SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { demo, issuer, unique, managementClient } from './demo.mjs';

const management = managementClient(ManagementClient);
const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));
const megan = demo.azure_ad.users.find((u) => u.username.toLowerCase().startsWith('meganb@'));
const ns = 'https://gatehouse.example/claims/';

test('a mapped role and the chosen claims reach Megan\'s access token through contoso-graph, verified by jose', async () => {
  const audience = `https://${unique('claims-api')}.example/`;
  const api = await management.resourceServers.create({
    identifier: audience, name: unique('Claims API'), scopes: [{ value: 'read:orders', description: 'Read orders' }],
    enforce_policies: true, token_dialect: 'access_token_authz',
    gatehouse_claims: { namespace: ns, access_token: ['roles', 'groups', 'upn', 'tid'], groups: { prefix: 'Project 0' }, max_groups: 100 },
  });
  assert.deepEqual(api.gatehouse_claims.access_token, ['roles', 'groups', 'upn', 'tid'], 'the SDK returns the extension as sent');
  const role = await management.roles.create({ name: unique('project-lead') });
  await management.roles.permissions.add(role.id, { permissions: [{ resource_server_identifier: audience, permission_name: 'read:orders' }] });

  let graph;
  for await (const c of await management.connections.list({ name: 'contoso-graph' })) graph = c;
  const options = { ...graph.options, gatehouse_role_mappings: [{ group: 'Project 042', roles: [role.id] }] };
  const updated = await management.connections.update(graph.id, { options });
  assert.deepEqual(updated.options.gatehouse_role_mappings, options.gatehouse_role_mappings);

  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm', client_id: demo.native_client_id, realm: 'contoso-graph',
      username: megan.username, password: megan.password, audience, scope: 'openid read:orders',
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const { payload } = await jwtVerify(body.access_token, jwks, { issuer, audience });
  assert.deepEqual(payload.permissions, ['read:orders']);
  assert.deepEqual(payload[`${ns}roles`], [role.name]);
  assert.equal(payload[`${ns}groups`].length, 99, 'Project 001..099 of her 301 groups, under the cap');
  assert.equal(payload[`${ns}groups_overage`], undefined);
  assert.equal(payload[`${ns}upn`].toLowerCase(), megan.username.toLowerCase());
  assert.match(payload[`${ns}tid`], /^[0-9a-f-]{36}$/);

  // Past the cap: no groups claim, an explicit overage marker instead.
  await management.resourceServers.update(api.id, { gatehouse_claims: { namespace: ns, access_token: ['groups'], max_groups: 200 } });
  const again = await (await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm', client_id: demo.native_client_id, realm: 'contoso-graph',
      username: megan.username, password: megan.password, audience, scope: 'read:orders',
    }),
  })).json();
  const over = (await jwtVerify(again.access_token, jwks, { issuer, audience })).payload;
  assert.equal(over[`${ns}groups_overage`], true);
  assert.equal(over[`${ns}groups`], undefined);

  await management.connections.update(graph.id, { options: graph.options });
  await management.roles.delete(role.id);
  await management.resourceServers.delete(api.id);
});
