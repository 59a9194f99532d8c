/**
 * The one endpoint policy: where a reference would send credentials (signed AWS requests to an endpointOverride, a
 * Vault token to its endpoint), and whether that may happen without asking. The editor asks the user for an 'ask';
 * the CLI, which never asks, declines it and names the option that allows it. Pure.
 *
 * The endpoint is parsed once, with the WHATWG URL parser, and the request is built from that parse
 * (`requestEndpoint`: its origin and path, never userinfo, query or fragment), so the host decided is the host
 * connected: `http://vault.internal:8200?@evil.example/` is vault.internal's, decimal and octal IPv4 are the dotted
 * address, an IDN host its punycode, IPv6 in brackets.
 */
import { partitionOfRegion, regionInfo } from '../regions/regions';
import { withoutUserinfo } from '../text/terminal';
import { credentialDestination, VerifyTarget } from '../verify/targets';

/** Where a reference would send credentials. */
export interface Destination {
  /** The endpoint as the request will use it (requestEndpoint), or as written when it cannot be parsed. Safe to show. */
  readonly endpoint: string;
  /** host[:port], lower case, as the allow-lists name it and as the request connects. */
  readonly host: string;
  readonly what: 'signed AWS requests' | 'the Vault token';
}

/**
 * 'allowed' carries the target the request is built from (its endpoint normalised by requestEndpoint); 'ask': a host
 * nobody allowed yet; 'declined': an endpoint that cannot be parsed or is no http(s) URL (never sent to).
 */
export type EndpointDecision =
  | { readonly kind: 'allowed'; readonly target: VerifyTarget }
  | ({ readonly kind: 'ask'; readonly target: VerifyTarget } & Destination)
  | ({ readonly kind: 'declined' } & Destination);

function parse(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** A parsed endpoint as every sender sends it: its origin and path (no userinfo, query or fragment). */
function endpointOf(url: URL): string {
  return url.origin + (url.pathname === '/' ? '' : url.pathname);
}

/** The endpoint as every sender sends it; undefined when it is no http(s) URL. */
export function requestEndpoint(raw: string): string | undefined {
  const url = parse(raw);
  return url && endpointOf(url);
}

/**
 * AWS's own Secrets Manager endpoints of the target's partition, over https only: `secretsmanager[-fips].<region>.`
 * and the VPC endpoint names `vpce-….secretsmanager.<region>.vpce.`, under the partition's DNS suffix, for a region
 * the SDK knows in that partition. Any other name under amazonaws.com (EC2 public DNS, ELB, API Gateway, S3 website
 * endpoints) belongs to whoever made it.
 */
function isAwsServiceEndpoint(url: URL, targetRegion: string): boolean {
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const partition = partitionOfRegion(targetRegion);
  if (!partition) return false;
  const suffix = partition.dnsSuffix.replace(/\./g, '\\.');
  const m = new RegExp(`^(?:vpce-[a-z0-9-]+\\.)?secretsmanager(?:-fips)?\\.([a-z0-9-]+)\\.(?:vpce\\.)?${suffix}$`).exec(url.hostname);
  return m !== null && regionInfo(m[1])?.partition === partition.id;
}

/** The target with its endpoint as the request will use it. */
function normalised(target: VerifyTarget, endpoint: string): VerifyTarget {
  return target.store === 'aws' ? { ...target, endpointOverride: endpoint } : { ...target, endpoint };
}

/**
 * Allowed without asking: a reference that sends nothing anywhere the file chose; AWS's own Secrets Manager endpoints
 * for signed AWS requests (never for a Vault token); a host (host:port, or host for any port) in the allow-list.
 */
export function decideEndpoint(target: VerifyTarget, allowedHosts: ReadonlySet<string>): EndpointDecision {
  const destination = credentialDestination(target);
  if (!destination) return { kind: 'allowed', target };
  const url = parse(destination.endpoint);
  if (!url) {
    const shown = withoutUserinfo(destination.endpoint);
    return { kind: 'declined', endpoint: shown, host: shown, what: destination.what };
  }
  const endpoint = endpointOf(url);
  const host = url.host;
  const request = normalised(target, endpoint);
  if (target.store === 'aws' && isAwsServiceEndpoint(url, target.region)) return { kind: 'allowed', target: request };
  if (allowedHosts.has(host) || allowedHosts.has(url.hostname)) return { kind: 'allowed', target: request };
  return { kind: 'ask', target: request, endpoint, host, what: destination.what };
}

/**
 * Host names from a setting, an option or an environment variable, as decideEndpoint compares them: each parsed as
 * the host of a URL (lower case, punycode, IPv4 dotted), `host:port` or `host`.
 */
export function hostSet(hosts: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const raw of hosts) {
    const h = raw.trim();
    if (h === '') continue;
    const url = parse(`http://${h}`);
    // The port as written: the default port of http is dropped by the parse, but an allow-list entry means it.
    if (url && url.username === '' && url.pathname === '/' && url.search === '' && url.hash === '') {
      out.add(/:\d+$/.test(h) && !url.port ? `${url.hostname}:${h.slice(h.lastIndexOf(':') + 1)}` : url.host);
    } else out.add(h.toLowerCase());
  }
  return out;
}
