/**
 * The one endpoint policy: where a reference would send credentials (signed AWS requests to an endpointOverride, a
 * Vault token to its endpoint), and whether that may happen without asking. The editor asks the user for an 'ask';
 * the CLI, which never asks, declines it and names the option that allows it. Pure.
 */
import { withoutUserinfo } from '../text/terminal';
import { isAwsHost } from '../verify/labels';
import { credentialDestination, VerifyTarget } from '../verify/targets';

/** Where a reference would send credentials. */
export interface Destination {
  /** The endpoint as the file names it, without userinfo (safe to show). */
  readonly endpoint: string;
  /** host[:port], lower case, as the allow-lists name it. */
  readonly host: string;
  readonly what: 'signed AWS requests' | 'the Vault token';
}

/** 'ask': a host nobody allowed yet; 'declined': an endpoint that cannot be parsed (never sent to). */
export type EndpointDecision = { readonly kind: 'allowed' } | ({ readonly kind: 'ask' } & Destination) | ({ readonly kind: 'declined' } & Destination);

/**
 * Allowed without asking: a reference that sends nothing anywhere the file chose; AWS's own domains for signed AWS
 * requests (never for a Vault token); a host (host:port or host) in the allow-list. The host checked is the one the
 * request goes to: the WHATWG URL's, which every sender builds its request from.
 */
export function decideEndpoint(target: VerifyTarget, allowedHosts: ReadonlySet<string>): EndpointDecision {
  const destination = credentialDestination(target);
  if (!destination) return { kind: 'allowed' };
  const shown = withoutUserinfo(destination.endpoint);
  let url: URL;
  try {
    url = new URL(destination.endpoint);
  } catch {
    return { kind: 'declined', endpoint: shown, host: shown, what: destination.what };
  }
  const host = url.host.toLowerCase();
  if (target.store === 'aws' && isAwsHost(url.hostname)) return { kind: 'allowed' };
  if (allowedHosts.has(host) || allowedHosts.has(url.hostname.toLowerCase())) return { kind: 'allowed' };
  return { kind: 'ask', endpoint: shown, host, what: destination.what };
}

/** Host names from a setting, an option or an environment variable, as decideEndpoint compares them. */
export function hostSet(hosts: Iterable<string>): Set<string> {
  return new Set([...hosts].map((h) => h.trim().toLowerCase()).filter(Boolean));
}
