// What the tests know about the running Gatehouse: its domain (host:port, served over HTTPS with the
// dev certificate that NODE_EXTRA_CA_CERTS trusts) and the demo tenant it seeded (demo.json).
import { readFileSync } from 'node:fs';

export const domain = process.env.GATEHOUSE_DOMAIN;
if (!domain) throw new Error('GATEHOUSE_DOMAIN is not set: run these tests through scripts/test');

export const issuer = `https://${domain}/`;
export const demo = JSON.parse(readFileSync(process.env.GATEHOUSE_DEMO, 'utf8'));

// A name unique to this run, for resources the tests create.
export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
