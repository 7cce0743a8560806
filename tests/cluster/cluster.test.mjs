// The cluster of scripts/cluster (three nodes on one PostgreSQL and one Redis, haproxy in front, the emulator as
// Azure AD): what one node changes the others enforce at once, the key a token was signed with is in every node's
// JWKS, limits hold across nodes, a device flow needs no sticky routing, and a node killed under load loses no
// acknowledged write. The tests run in order; the kill -9 test is last because it takes a node away.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { url, nodes, nodePids, emulator, demo, call, managementToken, login, refresh, sql, kid } from './cluster.mjs';

const database = 'Username-Password-Authentication';
const [alice] = demo.users;

test('a connection change made on one node is enforced by every node on the next request', async () => {
  const token = await managementToken(nodes[0]);
  const listed = await call(nodes[0], 'GET', `api/v2/connections?name=${database}`, null, token);
  const connection = listed.body[0];
  // Every node has the connection cached (a config cache of seconds would otherwise keep it enabled).
  for (const node of nodes) assert.equal((await login(node, alice.email, alice.password, database)).status, 200);

  const without = connection.enabled_clients.filter((c) => c !== demo.native_client_id);
  try {
    assert.equal((await call(nodes[0], 'PATCH', `api/v2/connections/${connection.id}`, { enabled_clients: without }, token)).status, 200);
    const refused = await Promise.all(nodes.map((node) => login(node, alice.email, alice.password, database)));
    for (const answer of refused) {
      assert.notEqual(answer.status, 200);
      assert.deepEqual([answer.status, answer.body?.error], [refused[0].status, refused[0].body?.error]);
    }
  } finally {
    assert.equal((await call(nodes[2], 'PATCH', `api/v2/connections/${connection.id}`, { enabled_clients: connection.enabled_clients }, token)).status, 200);
  }
  for (const node of nodes) assert.equal((await login(node, alice.email, alice.password, database)).status, 200);
});

test('during rotations a token from any node is signed with a key every node publishes', async () => {
  const jwks = async (node) => (await call(node, 'GET', '.well-known/jwks.json')).body.keys.map((k) => k.kid);
  for (const node of nodes) await jwks(node); // every node has read its key ring
  const token = await managementToken(nodes[0]);
  for (let round = 0; round < 3; round++) {
    const rotating = nodes[round % nodes.length];
    assert.equal((await call(rotating, 'POST', 'api/v2/keys/signing/rotate', null, token)).status, 201);
    for (const signer of nodes) {
      const signed = await login(signer, alice.email, alice.password, database);
      assert.equal(signed.status, 200);
      for (const reader of nodes) assert.ok((await jwks(reader)).includes(kid(signed.body.access_token)), `round ${round}: ${reader} misses the key of ${signer}`);
    }
  }
});

test('a password spray over three nodes is blocked at the same count as on one node and never locks Azure AD', async () => {
  const signins = async (upn) => (await call(emulator, 'GET', '_emulator/signins')).body.filter((e) => e.userPrincipalName === upn);
  const spray = async (upn, targets) => {
    const answers = [];
    for (let i = 0; i < 14; i++) answers.push((await login(targets[i % targets.length], upn, 'not-the-password', 'contoso-native')).status);
    return answers;
  };
  await call(emulator, 'DELETE', '_emulator/signins');

  const oneNode = await spray('AdeleV@contoso.com', [nodes[0]]);
  const threeNodes = await spray('MeganB@contoso.com', nodes);

  // AADSTS50126: a wrong password that reached Azure AD (each node's first call may also log 700025, the public-client
  // retry without a secret, which smart lockout does not count).
  const wrong = (entries) => entries.filter((e) => e.resultCode === 50126);
  const all = [...await signins('AdeleV@contoso.com'), ...await signins('MeganB@contoso.com')];
  const reachedOne = wrong(await signins('AdeleV@contoso.com'));
  const reachedThree = wrong(await signins('MeganB@contoso.com'));
  assert.ok(reachedOne.length > 0 && reachedOne.length < 10, `one node let ${reachedOne.length} wrong passwords reach Azure AD`);
  assert.equal(reachedThree.length, reachedOne.length, 'three nodes must stop the spray where one node does');
  assert.deepEqual(threeNodes, oneNode);
  assert.equal(oneNode.at(-1), 429);
  // AADSTS50053: the account is locked. Never reached: the provider saw fewer wrong passwords than its threshold.
  assert.ok(all.every((e) => e.resultCode !== 50053));
});

test('a refresh token raced on two nodes: exactly one wins and the family is revoked', async () => {
  const first = await login(url, alice.email, alice.password, database, 'openid offline_access');
  assert.equal(first.status, 200);
  const raced = await Promise.all([refresh(nodes[1], first.body.refresh_token), refresh(nodes[2], first.body.refresh_token)]);
  const winners = raced.filter((r) => r.status === 200);
  assert.equal(winners.length, 1, JSON.stringify(raced.map((r) => [r.status, r.body?.error])));
  assert.deepEqual(raced.filter((r) => r.status !== 200).map((r) => r.body.error), ['invalid_grant']);
  // Reuse detection: the replay revoked the family, the winner's successor included, on whichever node asks.
  for (const node of nodes) assert.equal((await refresh(node, winners[0].body.refresh_token)).status, 403);
});

test('a device flow started on one node is activated on a second, cancelled on a third and polled anywhere', async () => {
  const token = await managementToken(nodes[0]);
  const client = (await call(nodes[0], 'GET', `api/v2/clients/${demo.native_client_id}`, null, token)).body;
  const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
  const patched = await call(nodes[0], 'PATCH', `api/v2/clients/${demo.native_client_id}`, { grant_types: [...client.grant_types, deviceGrant] }, token);
  assert.equal(patched.status, 200);
  try {
    const started = await call(nodes[0], 'POST', 'oauth/device/code', { client_id: demo.native_client_id, scope: 'openid' }, null, true);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const poll = (node) => call(node, 'POST', 'oauth/token', { grant_type: deviceGrant, client_id: demo.native_client_id, device_code: started.body.device_code }, null, true);
    // Per node, the second node would not know the code (invalid_grant) and the third would not know it was just polled.
    assert.deepEqual(await answer(poll(nodes[1])), [403, 'authorization_pending']);
    assert.deepEqual(await answer(poll(nodes[2])), [429, 'slow_down']);

    // /activate on node 3, the code form on node 1 (the visit is shared), the code and the cancel posted to nodes 2 and 3.
    const opened = await fetch(new URL(`activate?user_code=${started.body.user_code}`, nodes[2]), { redirect: 'manual' });
    assert.equal(opened.status, 302);
    const pagePath = opened.headers.get('location');
    const form = await fetch(new URL(pagePath, nodes[0]), { redirect: 'manual' });
    assert.equal(form.status, 200);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = hidden(await form.text());
    const submit = (node, body) => fetch(new URL(pagePath, node), {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...body, [csrf.name]: csrf.value }).toString(),
    });
    const confirm = await submit(nodes[1], { action: 'code', user_code: started.body.user_code });
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /value="confirm"/);
    const cancelled = await submit(nodes[2], { action: 'cancel' });
    assert.equal(cancelled.status, 200);
    assert.match(await cancelled.text(), /You cancelled/);

    await new Promise((resolve) => setTimeout(resolve, 5_500)); // the interval, from the slow_down poll on node 3
    assert.deepEqual(await answer(poll(nodes[0])), [403, 'access_denied']);
  } finally {
    assert.equal((await call(nodes[0], 'PATCH', `api/v2/clients/${demo.native_client_id}`, { grant_types: client.grant_types }, token)).status, 200);
  }
});

async function answer(pending) {
  const { status, body } = await pending;
  return [status, body?.error];
}

/** The anti-forgery field of a Gatehouse form. */
function hidden(html) {
  const match = html.match(/<input type="hidden" name="([^"]+)" value="([^"]*)">/);
  assert.ok(match, 'no anti-forgery field on the page');
  const decode = (text) => text.replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16))).replaceAll('&amp;', '&');
  return { name: match[1], value: decode(match[2]) };
}

test('kill -9 of a node under load loses no acknowledged write; in-flight requests fail cleanly', async () => {
  const run = Date.now().toString(36);
  const token = await managementToken(url);
  const sapiBefore = Number(sql(`SELECT count(*) FROM logs WHERE type = 'sapi'`));
  const acked = { users: [], logins: [], refreshes: [], refreshTokens: [] };
  const failures = [];
  let stop = false;
  let n = 0;

  const worker = async () => {
    while (!stop) {
      const email = `k9-${run}-${n++}@example.com`;
      const created = await call(url, 'POST', 'api/v2/users', { connection: database, email, password: 'Kill-9-Passw0rd!' }, token);
      if (created.status !== 201) { failures.push(created.status); continue; }
      acked.users.push(created.body.user_id);
      const signedIn = await login(url, email, 'Kill-9-Passw0rd!', database, 'openid offline_access');
      if (signedIn.status !== 200) { failures.push(signedIn.status); continue; }
      acked.logins.push(created.body.user_id);
      const rotated = await refresh(url, signedIn.body.refresh_token);
      if (rotated.status !== 200) { failures.push(rotated.status); continue; }
      acked.refreshTokens.push(rotated.body.refresh_token);
      acked.refreshes.push(created.body.user_id);
    }
  };
  const workers = Array.from({ length: 6 }, worker);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const before = acked.users.length;
  process.kill(nodePids[1], 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 6000));
  stop = true;
  await Promise.all(workers);

  assert.ok(before > 0 && acked.users.length > before, `writes acknowledged before/after the kill: ${before}/${acked.users.length}`);
  // Clean failures only: a broken connection (0) or a refusal; never a hang (30 s bound) or a 500.
  assert.ok(failures.every((s) => s === 0 || s === 502 || s === 503), `failures: ${failures}`);

  const list = (ids) => ids.map((id) => `'${id}'`).join(',');
  assert.equal(Number(sql(`SELECT count(*) FROM users WHERE user_id IN (${list(acked.users)})`)), acked.users.length);
  assert.equal(Number(sql(`SELECT count(DISTINCT user_id) FROM logs WHERE type = 'sepft' AND user_id IN (${list(acked.logins)})`)), acked.logins.length);
  assert.equal(Number(sql(`SELECT count(DISTINCT user_id) FROM logs WHERE type = 'sertft' AND user_id IN (${list(acked.refreshes)})`)), acked.refreshes.length);
  assert.ok(Number(sql(`SELECT count(*) FROM logs WHERE type = 'sapi'`)) - sapiBefore >= acked.users.length);
  // Every acknowledged rotation's successor is stored and live.
  for (const refreshToken of acked.refreshTokens) assert.equal((await refresh(url, refreshToken)).status, 200);
});

test('PostgreSQL down: readiness fails so haproxy drains the nodes, and logins refuse clearly without hanging', async () => {
  const port = /Port=(\d+)/.exec(process.env.GATEHOUSE_CLUSTER_POSTGRES)[1];
  execFileSync('../../scripts/lib/postgres.sh', ['stop'], { env: { ...process.env, GATEHOUSE_PG_PORT: port }, stdio: 'ignore' });
  for (const node of [nodes[0], nodes[2]]) {
    assert.equal((await call(node, 'GET', 'health/ready')).status, 503);
    const started = performance.now();
    const refused = await login(node, alice.email, alice.password, database);
    assert.deepEqual([refused.status, refused.body?.error], [503, 'temporarily_unavailable']);
    assert.ok(performance.now() - started < 20_000, 'a login with the database down must not hang');
  }
});
