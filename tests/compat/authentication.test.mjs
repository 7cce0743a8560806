// The official auth0 SDK's AuthenticationClient (auth0/legacy) logs demo users in, and jose verifies the
// tokens against Gatehouse's JWKS exactly as a resource server would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { domain, issuer, demo, confidentialApp, managementClient, nativeLogin } from './demo.mjs';

const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));
const user = demo.users[0];
const app = await confidentialApp(managementClient(ManagementClient));
const nativeClientId = app.clientId;

function auth() {
  return new AuthenticationClient({ domain, clientId: app.clientId, clientSecret: app.clientSecret });
}

test('a native app (public client, no secret) logs in on the default directory', async () => {
  const { status, body } = await nativeLogin(demo.connections[0], user.email, user.password);
  assert.equal(status, 200);
  const { payload } = await jwtVerify(body.id_token, jwks, { issuer, audience: demo.native_client_id });
  assert.equal(payload.email, user.email);
});

test('password grant without a realm uses the default directory and returns verifiable tokens', async () => {
  const { data } = await auth().oauth.passwordGrant({
    username: user.email,
    password: user.password,
    scope: 'openid profile email',
  });
  assert.equal(data.token_type, 'Bearer');
  assert.ok(data.expires_in > 0);
  assert.equal(decodeProtectedHeader(data.id_token).alg, 'RS256');

  const { payload } = await jwtVerify(data.id_token, jwks, { issuer, audience: nativeClientId });
  assert.match(payload.sub, /^auth0\|/);
  assert.equal(payload.email, user.email);
});

test('password-realm grant names the connection and can ask for an API audience', async () => {
  const { data } = await auth().oauth.passwordGrant({
    username: user.email,
    password: user.password,
    realm: demo.connections[0],
    audience: demo.api_audience,
    scope: 'openid offline_access',
  });
  const { payload } = await jwtVerify(data.access_token, jwks, { issuer, audience: demo.api_audience });
  assert.equal(payload.azp, nativeClientId);
  assert.equal(payload.gty, 'password');
  assert.ok(data.refresh_token, 'offline_access on an API that allows it yields a refresh token');

  const refreshed = await auth().oauth.refreshTokenGrant({ refresh_token: data.refresh_token });
  assert.ok(refreshed.data.access_token);
  assert.notEqual(refreshed.data.refresh_token, data.refresh_token, 'refresh tokens rotate');
});

test('a wrong password is refused with Auth0\'s exact error', async () => {
  await assert.rejects(
    auth().oauth.passwordGrant({ username: user.email, password: 'not-the-password', realm: demo.connections[0] }),
    (err) => {
      assert.equal(err.statusCode, 403);
      assert.equal(err.error, 'invalid_grant');
      assert.equal(err.error_description, 'Wrong email or password.');
      return true;
    },
  );
});

test('userinfo answers for a token that was granted openid', async () => {
  const a = auth();
  const { data } = await a.oauth.passwordGrant({ username: user.email, password: user.password, scope: 'openid email' });
  const res = await fetch(`${issuer}userinfo`, { headers: { authorization: `Bearer ${data.access_token}` } });
  assert.equal(res.status, 200);
  const info = await res.json();
  assert.match(info.sub, /^auth0\|/);
  assert.equal(info.email, user.email);
});
