// openid-client's device authorization grant (RFC 8628) against Gatehouse, the pages completed in Debian's Chromium
// (playwright-core never downloads a browser): Gatehouse's own /activate with its hosted login page; Azure AD's
// devicelogin page (the demo's in-process emulator) through the broker; and the demo's MFA user, refused by the
// password grant, continuing from its mfa_token on a device. openid-client starts the flow (where it can), waits the
// interval, polls, and validates the id_token (issuer, audience, signature) itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import * as oidc from 'openid-client';
import { chromium } from 'playwright-core';
import { ManagementClient } from 'auth0';
import { issuer, demo, unique, managementClient } from './demo.mjs';

const management = managementClient(ManagementClient);
const [user] = demo.users;
const azure = demo.azure_ad;
const adele = azure.users[0];
const mfaUser = azure.users.find((u) => u.username.startsWith('mfa.'));
const nativeAppId = azure.app_registrations.find((a) => a.role.startsWith('Native')).app_id;
const passwordRealm = 'http://auth0.com/oauth/grant-type/password-realm';

const browser = await chromium.launch({
  executablePath: process.env.GATEHOUSE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Root in CI containers cannot use Chromium's sandbox.
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});

after(() => browser.close());

// A public native app (a TV, a CLI) allowed the device grant (and the password grant, for the mfa_token test).
async function deviceApp(connectionNames) {
  const app = await management.clients.create({
    name: unique('compat-device'),
    app_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token', passwordRealm],
  });
  for await (const connection of await management.connections.list()) {
    if (connectionNames.includes(connection.name)) {
      await management.connections.clients.update(connection.id, [{ client_id: app.client_id, status: true }]);
    }
  }
  return oidc.discovery(new URL(issuer), app.client_id, undefined, oidc.None());
}

// Each page in a fresh Chromium context (own cookies); the dev certificates are only for 127.0.0.1.
async function inBrowser(steps) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await steps(page);
  } finally {
    await context.close();
  }
}

// Gatehouse's /activate: the code (pre-filled from verification_uri_complete), the application's name, Confirm.
async function confirmAtActivate(page, answer) {
  await page.goto(answer.verification_uri_complete);
  assert.ok(page.url().startsWith(`${issuer}u/device?state=`), page.url());
  assert.equal(await page.getByLabel('Code').inputValue(), answer.user_code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Confirm' }).click();
}

// The MFA code the emulator's admin API holds for the user's pending second factor (the emulator has its own CA).
function emulatorMfaCode(upn) {
  const url = new URL(`_emulator/mfa-codes/${encodeURIComponent(upn)}`, azure.emulator);
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca: readFileSync(azure.ca_file) }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body).code) : reject(new Error(`${res.statusCode} ${body}`))));
    }).on('error', reject).end();
  });
}

test('openid-client: device authorization grant with /activate and the hosted login page', async () => {
  const config = await deviceApp([demo.connections[0]]);
  assert.equal(config.serverMetadata().device_authorization_endpoint, `${issuer}oauth/device/code`);

  const answer = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile email offline_access' });
  assert.match(answer.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  assert.equal(answer.verification_uri, `${issuer}activate`);
  const polling = oidc.pollDeviceAuthorizationGrant(config, answer);

  await inBrowser(async (page) => {
    await confirmAtActivate(page, answer);
    assert.ok(page.url().startsWith(`${issuer}u/login?state=`), page.url());
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Device connected').waitFor();
  });

  const tokens = await polling;
  assert.match(tokens.claims().sub, /^auth0\|/);
  assert.equal(tokens.claims().email, user.email);
  assert.ok(tokens.refresh_token);
});

test('openid-client: Azure AD\'s device code through the broker, the emulator\'s devicelogin page in Chromium', async () => {
  const name = unique('compat-device-waad');
  await management.connections.create({
    name,
    strategy: 'waad',
    options: { tenant_domain: azure.tenant, client_id: nativeAppId, gatehouse_device_code_via_azure: true },
  });
  const config = await deviceApp([name]);

  const answer = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile email', connection: name });
  assert.equal(answer.verification_uri, new URL('devicelogin', azure.emulator).href);
  const polling = oidc.pollDeviceAuthorizationGrant(config, answer);

  await inBrowser(async (page) => {
    await page.goto(answer.verification_uri);
    await page.getByLabel('Code').fill(answer.user_code);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email, phone, or Skype').fill(adele.username);
    await page.getByLabel('Password').fill(adele.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#deviceSignedIn').waitFor();
  });

  const tokens = await polling;
  assert.match(tokens.claims().sub, /^waad\|/);
  assert.equal(tokens.claims().email.toLowerCase(), adele.username.toLowerCase());
});

test('the demo\'s MFA user, refused by the password grant, gets tokens on a device from the mfa_token', async () => {
  const config = await deviceApp(['contoso']);
  const refused = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: passwordRealm, client_id: config.clientMetadata().client_id, realm: 'contoso',
      username: mfaUser.username, password: mfaUser.password, scope: 'openid profile email',
    }),
  });
  const refusal = await refused.json();
  assert.equal(refused.status, 403);
  assert.equal(refusal.error, 'mfa_required');

  const continued = await fetch(`${issuer}mfa/continue`, {
    method: 'POST',
    body: new URLSearchParams({ mfa_token: refusal.mfa_token, client_id: config.clientMetadata().client_id, continue_with: 'device' }),
  });
  const answer = await continued.json();
  assert.equal(continued.status, 200, JSON.stringify(answer));
  // The answer is /oauth/device/code's: openid-client polls it as its own.
  const polling = oidc.pollDeviceAuthorizationGrant(config, answer);

  await inBrowser(async (page) => {
    await confirmAtActivate(page, answer);
    // The connection is pre-set and the username pre-filled: Gatehouse's page refreshes to Azure AD's sign-in page
    // for the tried account (a 302 answering the form would break its CSP form-action).
    await page.waitForURL((url) => url.href.startsWith(azure.emulator));
    assert.equal(await page.getByLabel('Email, phone, or Skype').inputValue(), mfaUser.username);
    await page.getByLabel('Password').fill(mfaUser.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code').fill(await emulatorMfaCode(mfaUser.username));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Device connected').waitFor();
  });

  const tokens = await polling;
  assert.match(tokens.claims().sub, /^waad\|/);
  assert.equal(tokens.claims().email.toLowerCase(), mfaUser.username.toLowerCase());
});
