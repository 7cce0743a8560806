// openid-client (panva's certified OpenID Connect relying party) signs a demo user in through the browser:
// discovery, its own authorization URL with PKCE S256, state and nonce, Gatehouse's hosted login page driven in
// Debian's Chromium (playwright-core never downloads a browser), then openid-client's own code exchange, id_token
// validation (issuer, audience, nonce, signature) and userinfo. The app's callback is a loopback listener (RFC 8252).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as oidc from 'openid-client';
import { chromium } from 'playwright-core';
import { ManagementClient } from 'auth0';
import { issuer, demo, unique, managementClient } from './demo.mjs';

const [user] = demo.users;
const management = managementClient(ManagementClient);

// The app's redirect URI: answers every request with a short page (the test reads the URL from the browser).
const callback = await new Promise((done) => {
  const listener = {};
  listener.server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the app');
  }).listen(0, '127.0.0.1', () => {
    listener.url = `http://127.0.0.1:${listener.server.address().port}/callback`;
    done(listener);
  });
});

const browser = await chromium.launch({
  executablePath: process.env.GATEHOUSE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Root in CI containers cannot use Chromium's sandbox.
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});

after(async () => {
  await browser.close();
  callback.server.close();
});

// A public single-page-style client (no secret: PKCE is what binds the code), enabled on the demo's database connection.
async function publicWebApp() {
  const app = await management.clients.create({
    name: unique('compat-openid-client'),
    app_type: 'spa',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    callbacks: [callback.url],
  });
  for await (const connection of await management.connections.list()) {
    if (connection.name === demo.connections[0]) {
      await management.connections.clients.update(connection.id, [{ client_id: app.client_id, status: true }]);
    }
  }
  return app.client_id;
}

// Gatehouse's login page in a fresh Chromium context (own cookies); the dev certificate is only on 127.0.0.1.
async function signInInBrowser(authorizationUrl) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(authorizationUrl.href);
    assert.ok(page.url().startsWith(`${issuer}u/login?state=`), page.url());
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${callback.url}?`)),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    return new URL(page.url());
  } finally {
    await context.close();
  }
}

test('openid-client: authorization code + PKCE through the hosted login page, id_token and userinfo checked by the client', async () => {
  const clientId = await publicWebApp();
  const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None());
  const metadata = config.serverMetadata();
  assert.ok(metadata.code_challenge_methods_supported.includes('S256'));
  assert.equal(metadata.authorization_response_iss_parameter_supported, true);

  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });

  const returned = await signInInBrowser(authorizationUrl);
  assert.equal(returned.searchParams.get('iss'), issuer);

  // openid-client checks state, iss (RFC 9207), the id_token's signature, iss, aud, exp, iat and nonce itself.
  const tokens = await oidc.authorizationCodeGrant(config, returned, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  const claims = tokens.claims();
  assert.match(claims.sub, /^auth0\|/);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.email, user.email);

  // fetchUserInfo refuses an answer whose sub is not the id_token's.
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, user.email);

  // The same code a second time is refused: single use.
  await assert.rejects(
    oidc.authorizationCodeGrant(config, returned, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
    (err) => err.error === 'invalid_grant',
  );
});
