/**
 * TLS for https:// targets: a CA bundle to trust (--ca-cert FILE, PEM) and
 * --insecure (no certificate check, announced with a warning line). The same
 * options reach the load workers' pools, the model discovery and the
 * server-metrics scraper.
 */
import { Agent } from 'undici';

export interface TlsOptions {
  /** PEM text of the CA certificate(s) to trust, instead of the system's. */
  ca?: string;
  /** Skip certificate verification. */
  insecure?: boolean;
}

/** undici `connect` options, or undefined when nothing is set. */
export function connectOptions(
  t: TlsOptions | null | undefined,
): { ca?: string; rejectUnauthorized?: boolean } | undefined {
  if (!t || (!t.ca && !t.insecure)) return undefined;
  return { ...(t.ca ? { ca: t.ca } : {}), ...(t.insecure ? { rejectUnauthorized: false } : {}) };
}

const agents = new Map<string, Agent>();

/** A shared dispatcher for one-off requests (discovery, scrapes) with these TLS options, or undefined for the default. */
export function tlsDispatcher(t: TlsOptions | null | undefined): Agent | undefined {
  const connect = connectOptions(t);
  if (!connect) return undefined;
  const key = JSON.stringify(connect);
  let a = agents.get(key);
  if (!a) agents.set(key, (a = new Agent({ connect })));
  return a;
}
