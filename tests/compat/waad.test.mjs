// The brief's headline flow through the official SDK: a native app logs a user in with the password-realm grant
// on a waad connection; Gatehouse checks the password with Azure AD (the demo's in-process emulator) and issues
// its own tokens. Two connections on one Azure AD tenant give one person two distinct Gatehouse users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { domain, issuer, demo, confidentialApp, managementClient, nativeLogin } from './demo.mjs';

const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));
const [nativeConnection, graphConnection] = demo.azure_ad.connections;
const [adele] = demo.azure_ad.users;
const mfaUser = demo.azure_ad.users.find((u) => u.username.startsWith('mfa.'));
const app = await confidentialApp(managementClient(ManagementClient));
const auth = new AuthenticationClient({ domain, clientId: app.clientId, clientSecret: app.clientSecret });

async function login(realm, { username, password }) {
  const { data } = await auth.oauth.passwordGrant({ username, password, realm, scope: 'openid profile email' });
  return (await jwtVerify(data.id_token, jwks, { issuer, audience: app.clientId })).payload;
}

test('the native app of the brief: a public client posts the password-realm grant for an Azure AD user', async () => {
  const { status, body } = await nativeLogin(nativeConnection, adele.username, adele.password);
  assert.equal(status, 200, JSON.stringify(body));
  const { payload } = await jwtVerify(body.id_token, jwks, { issuer, audience: demo.native_client_id });
  assert.match(payload.sub, /^waad\|/);
});

test('an Azure AD user logs in through a waad connection and gets Gatehouse-signed tokens', async () => {
  const claims = await login(nativeConnection, adele);
  assert.match(claims.sub, /^waad\|/);
  assert.equal(claims.email.toLowerCase(), adele.username.toLowerCase());
  assert.ok(claims.name);
});

test('two connections on the same Azure AD tenant keep their users apart', async () => {
  const first = await login(nativeConnection, adele);
  const second = await login(graphConnection, adele);
  assert.notEqual(first.sub, second.sub);
  assert.ok(second.sub.startsWith(`waad|${graphConnection}|`), second.sub);
});

test('a wrong Azure AD password is Auth0\'s wrong-credentials error, and MFA is a typed error', async () => {
  await assert.rejects(login(nativeConnection, { username: adele.username, password: 'not-the-password' }), (err) => {
    assert.equal(err.statusCode, 403);
    assert.equal(err.error, 'invalid_grant');
    assert.equal(err.error_description, 'Wrong email or password.');
    return true;
  });
  await assert.rejects(login(nativeConnection, mfaUser), (err) => {
    assert.equal(err.statusCode, 403);
    assert.equal(err.error, 'mfa_required');
    return true;
  });
});
