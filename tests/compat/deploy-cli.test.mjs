// auth0-deploy-cli manages Gatehouse as it manages Auth0: `a0deploy export` of the running tenant, an edit of the
// YAML, `a0deploy import` into an EMPTY Gatehouse, and an export of that one equals the edited YAML: clients,
// resource servers, client grants, connections (waad and database) and roles with their permissions, nothing lost.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ManagementClient } from 'auth0';
import yaml from 'js-yaml';
import { demo, domain, unique, managementClient } from './demo.mjs';
import { startGatehouse } from './gatehouse-process.mjs';

const run = promisify(execFile);
const a0deploy = resolve(import.meta.dirname, 'node_modules/.bin/a0deploy');
const work = mkdtempSync(join(tmpdir(), 'gatehouse-deploy-'));
const management = managementClient(ManagementClient);
const resources = ['clients', 'resourceServers', 'clientGrants', 'connections', 'databases', 'roles'];
const waadSecret = 'waad-app-secret-value-1';

// Gatehouse's own system entries, which Auth0 tenants have under other names, are left to each tenant.
const config = (target) => ({
  AUTH0_DOMAIN: target.domain,
  AUTH0_CLIENT_ID: target.clientId,
  AUTH0_CLIENT_SECRET: target.clientSecret,
  AUTH0_INCLUDED_ONLY: resources,
  AUTH0_EXCLUDED_CLIENTS: ['Gatehouse Management', 'Gatehouse Dashboard'],
  AUTH0_EXCLUDED_RESOURCE_SERVERS: ['Gatehouse Management API'],
  AUTH0_KEYWORD_REPLACE_MAPPINGS: { CONNECTIONS_WAAD_SECRET: waadSecret },
});

async function a0(command, target, dir) {
  const configFile = join(work, `${command}-${target.domain.replace(/\W/g, '_')}.json`);
  writeFileSync(configFile, JSON.stringify(config(target)));
  const args = command === 'export' ? ['export', '-c', configFile, '-f', 'yaml', '-o', dir] : ['import', '-c', configFile, '-i', join(dir, 'tenant.yaml')];
  try {
    return await run(a0deploy, args, { env: { ...process.env, NODE_EXTRA_CA_CERTS: target.caFile }, timeout: 150000 });
  } catch (e) {
    throw new Error(`a0deploy ${command} failed: ${e.stdout}\n${e.stderr}`);
  }
}

const readYaml = (dir) => yaml.load(readFileSync(join(dir, 'tenant.yaml'), 'utf8'));
const byName = (items) => Object.fromEntries((items ?? []).map((i) => [i.name ?? `${i.client_id} -> ${i.audience}`, i]));

let target;
after(() => {
  target?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('export, edit, import into an empty Gatehouse and export again: nothing lost', { timeout: 300000 }, async () => {
  // What the source tenant holds beyond the demo: an API, an M2M app granted it, a waad connection with a secret.
  const api = await management.resourceServers.create({
    identifier: `https://${unique('deploy-api')}.example/`, name: unique('Deploy API'),
    scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders', description: 'Write' }], token_lifetime: 3600,
  });
  // Gatehouse's own settings (gatehouse_claims, gatehouse_access_rules, gatehouse_role_mappings) ride along.
  const role = await management.roles.create({ name: unique('deploy-role'), description: 'Reads orders' });
  const worker = await management.clients.create({
    name: unique('deploy-worker'), app_type: 'non_interactive', client_metadata: { team: 'ops' },
    gatehouse_claims: { namespace: 'https://claims.example/', access_token: ['roles', 'groups'], groups: { prefix: 'Sales' }, max_groups: 50 },
    gatehouse_access_rules: { groups: ['Sales'], tenants: ['9188040d-6c67-4c5b-b112-36a304b66dad'] },
  });
  await management.clientGrants.create({ client_id: worker.client_id, audience: api.identifier, scope: ['read:orders'] });
  const waad = await management.connections.create({
    name: unique('deploy-waad'), strategy: 'waad', display_name: 'Deploy Azure AD',
    options: {
      tenant_domain: 'fabrikam.onmicrosoft.com', client_id: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', client_secret: waadSecret, ext_groups: true,
      gatehouse_role_mappings: [{ group: 'Sales', roles: [role.id] }],
    },
  });
  await management.connections.clients.update(waad.id, [{ client_id: worker.client_id, status: true }]);
  await management.roles.permissions.add(role.id, { permissions: [{ resource_server_identifier: api.identifier, permission_name: 'read:orders' }] });

  const source = { domain, clientId: demo.management.client_id, clientSecret: demo.management.client_secret, caFile: process.env.NODE_EXTRA_CA_CERTS };
  const exported = join(work, 'exported');
  [target] = await Promise.all([startGatehouse(), a0('export', source, exported)]);

  const tenant = readYaml(exported);
  const exportedWaad = byName(tenant.connections)[waad.name];
  assert.equal(exportedWaad.options.client_secret, '##CONNECTIONS_WAAD_SECRET##', 'deploy-cli read the secret (read:connections_options) and masked it');
  assert.deepEqual(exportedWaad.enabled_clients, [worker.name]);
  assert.ok(byName(tenant.databases)['Username-Password-Authentication']);
  assert.ok(tenant.clientGrants.some((g) => g.client_id === worker.name && g.audience === api.identifier));
  assert.deepEqual(byName(tenant.roles)[role.name].permissions, [{ permission_name: 'read:orders', resource_server_identifier: api.identifier }]);

  // The edit: a longer token lifetime, a description, another scope granted.
  byName(tenant.resourceServers)[api.name].token_lifetime = 7200;
  byName(tenant.clients)[worker.name].description = 'Edited before import';
  tenant.clientGrants.find((g) => g.client_id === worker.name).scope = ['read:orders', 'write:orders'];
  byName(tenant.roles)[role.name].permissions.push({ permission_name: 'write:orders', resource_server_identifier: api.identifier });
  writeFileSync(join(exported, 'tenant.yaml'), yaml.dump(tenant));

  await a0('import', target, exported);
  const reexported = join(work, 'reexported');
  await a0('export', target, reexported);
  const copy = readYaml(reexported);
  // Nothing lost: every item comes back with every field it had (key order aside). deploy-cli may add its own
  // defaults on import (it sends disable_self_service_change_password:false for databases), which Auth0 keeps too.
  const key = (i) => i.name ?? `${i.client_id} -> ${i.audience}`;
  const contains = (actual, expected, at) => {
    if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
      assert.ok(actual && typeof actual === 'object', `${at} is missing`);
      for (const k of Object.keys(expected)) contains(actual[k], expected[k], `${at}.${k}`);
    } else {
      assert.deepEqual(actual, expected, `${at} differs`);
    }
  };
  for (const kind of resources) {
    const copied = Object.fromEntries((copy[kind] ?? []).map((i) => [key(i), i]));
    assert.deepEqual(Object.keys(copied).sort(), (tenant[kind] ?? []).map(key).sort(), `${kind}: the same items`);
    for (const item of tenant[kind] ?? []) contains(copied[key(item)], item, `${kind}[${key(item)}]`);
  }
  assert.equal(byName(copy.resourceServers)[api.name].token_lifetime, 7200);
  assert.equal(byName(copy.clients)[worker.name].description, 'Edited before import');
  assert.equal(byName(copy.roles)[role.name].permissions.length, 2);
  assert.deepEqual(byName(copy.clients)[worker.name].gatehouse_access_rules, worker.gatehouse_access_rules);
  assert.equal(byName(copy.clients)[worker.name].gatehouse_claims.max_groups, 50);
  // Role ids are the target's own after an import: the mapping keeps the source's ids (docs/waad.md says so).
  assert.deepEqual(byName(copy.connections)[waad.name].options.gatehouse_role_mappings, [{ group: 'Sales', roles: [role.id] }]);

  // The secret itself arrived (deploy-cli only ever shows it masked): the target's API returns it.
  const connections = await target.api('GET', `connections?name=${waad.name}`);
  assert.equal(connections.body[0].options.client_secret, waadSecret);
});
