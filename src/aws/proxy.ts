/** Which proxy a request to an AWS endpoint goes through: none for loopback and NO_PROXY hosts, else the setting or the environment's. */

function isLocal(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || hostname === '[::1]' || hostname.startsWith('127.');
}

function noProxy(hostname: string): boolean {
  const list = (process.env.NO_PROXY ?? process.env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.some((entry) => entry === '*' || hostname === entry || hostname.endsWith(entry.startsWith('.') ? entry : `.${entry}`));
}

/** The proxy for `endpoint` (or the region's Secrets Manager endpoint), as the SDK for Java's users expect it. */
export function proxyFor(endpoint: string | undefined, region: string | undefined, configured: string | undefined): string | undefined {
  const url = new URL(
    endpoint ?? process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? process.env.AWS_ENDPOINT_URL ?? `https://secretsmanager.${region}.amazonaws.com`,
  );
  if (isLocal(url.hostname) || noProxy(url.hostname)) return undefined;
  if (configured) return configured;
  return url.protocol === 'https:' ? (process.env.https_proxy ?? process.env.HTTPS_PROXY) : (process.env.http_proxy ?? process.env.HTTP_PROXY);
}
