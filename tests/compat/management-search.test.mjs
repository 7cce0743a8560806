// The official SDK's ManagementClient drives the Management API's filters and pagings, the secret rule, user
// search (the q subset), users-by-email, a user's logs, log search and secret rotation, in Auth0's shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { demo, unique, managementClient, nativeLogin } from './demo.mjs';

const management = managementClient(ManagementClient);

async function all(pagePromise) {
  const items = [];
  for await (const item of await pagePromise) items.push(item);
  return items;
}

test('connections: strategy and name filters, checkpoint paging, options with the secret, enabled clients', async () => {
  const name = unique('sdk-waad');
  const app = await management.clients.create({ name: unique('sdk-app'), app_type: 'native' });
  const created = await management.connections.create({
    name, strategy: 'waad',
    options: { tenant_domain: 'sdk.onmicrosoft.com', client_id: '11111111-2222-4333-8444-555555555555', client_secret: 'sdk-secret-value' },
  });
  const waads = await all(management.connections.list({ strategy: ['waad'], take: 1 }));
  assert.ok(waads.length >= 2, 'the demo waad connections and this one, one page at a time');
  assert.ok(waads.every((c) => c.strategy === 'waad'));
  assert.ok(waads.some((c) => c.name === name));
  assert.equal(new Set(waads.map((c) => c.id)).size, waads.length, 'each connection once');

  const [byName] = await all(management.connections.list({ name }));
  assert.equal(byName.options.client_secret, 'sdk-secret-value');
  await management.connections.update(created.id, { options: { tenant_domain: 'other.onmicrosoft.com', client_id: '11111111-2222-4333-8444-555555555555' } });
  const kept = await management.connections.get(created.id);
  assert.equal(kept.options.client_secret, 'sdk-secret-value', 'a PATCH without the secret keeps it');

  await management.connections.clients.update(created.id, [{ client_id: app.client_id, status: true }]);
  const enabled = await all(management.connections.clients.get(created.id));
  assert.deepEqual(enabled.map((c) => c.client_id), [app.client_id]);

  await management.connections.delete(created.id);
  await assert.rejects(management.connections.get(created.id), (e) => e.statusCode === 404);
  await management.clients.delete(app.client_id);
});

test('clients: filters, secret rotation; resource servers and client grants listed', async () => {
  const client = await management.clients.create({ name: unique('sdk-m2m'), app_type: 'non_interactive' });
  const m2m = await all(management.clients.list({ app_type: 'non_interactive', is_global: false, per_page: 5, include_totals: true }));
  assert.ok(m2m.some((c) => c.client_id === client.client_id));
  assert.ok(m2m.every((c) => c.app_type === 'non_interactive'));

  const rotated = await management.clients.rotateSecret(client.client_id);
  assert.ok(rotated.client_secret && rotated.client_secret !== client.client_secret);

  const apis = await all(management.resourceServers.list({ identifiers: [demo.api_audience] }));
  assert.deepEqual(apis.map((a) => a.identifier), [demo.api_audience]);
  await management.clientGrants.create({ client_id: client.client_id, audience: demo.api_audience, scope: ['read:messages'] });
  const grants = await all(management.clientGrants.list({ client_id: client.client_id }));
  assert.deepEqual(grants.map((g) => g.scope), [['read:messages']]);
  await management.clients.delete(client.client_id);
});

test('users: q search, sort, users-by-email, a user\'s logs; logs search and get', async () => {
  const [alice, bob] = demo.users;
  assert.equal((await nativeLogin(demo.connections[0], alice.email, alice.password)).status, 200);
  const found = await all(management.users.list({ q: `email:"${alice.email}"`, search_engine: 'v3' }));
  assert.deepEqual(found.map((u) => u.email), [alice.email]);
  const either = await all(management.users.list({ q: `email:"${alice.email}" OR email:${bob.email.split('@')[0]}*`, sort: 'email:1' }));
  assert.deepEqual(either.map((u) => u.email), [alice.email, bob.email]);
  await assert.rejects(management.users.list({ q: '(email:a OR email:b)' }), (e) => e.statusCode === 400);

  const byEmail = await management.users.listUsersByEmail({ email: alice.email.toUpperCase() });
  assert.deepEqual(byEmail.map((u) => u.email), [alice.email]);

  const userLogs = await all(management.users.logs.list(found[0].user_id, { per_page: 10 }));
  assert.ok(userLogs.length > 0 && userLogs.every((l) => l.user_id === found[0].user_id));

  const logs = await all(management.logs.list({ search: `type:"sepft" user_id:"${found[0].user_id}"`, per_page: 5 }));
  assert.ok(logs.length > 0 && logs.every((l) => l.type === 'sepft'));
  const one = await management.logs.get(logs[0].log_id);
  assert.equal(one.log_id, logs[0].log_id);
});

test('tenant settings round-trip, and absent features answer like a tenant without them', async () => {
  const before = await management.tenants.settings.get();
  await management.tenants.settings.update({ support_email: 'sdk@example.com' });
  assert.equal((await management.tenants.settings.get()).support_email, 'sdk@example.com');
  assert.equal((await management.tenants.settings.get()).default_directory, before.default_directory);

  assert.deepEqual(await all(management.rules.list()), []);
  assert.deepEqual(await all(management.organizations.list()), []);
  await assert.rejects(management.rules.create({ name: 'admin', script: 'function (user, context, callback) { callback(null, user, context); }' }), (e) => e.statusCode === 403);
});
