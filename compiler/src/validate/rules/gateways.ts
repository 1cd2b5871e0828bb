// Rules on gateways: listeners that do not clash, and virtual servers that some gateway serves.
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { RegistryDocument } from '../registry-document.ts';
import type { RuleContext } from './context.ts';

export function gateways(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const listeners = new Map<string, string>();
  for (const doc of ctx.docs.Gateway) {
    const key = `${doc.spec.fleet} ${doc.spec.listener.address}:${doc.spec.listener.port}`;
    const other = listeners.get(key);
    if (other) {
      out.push({
        code: 'listener-conflict',
        severity: 'error',
        message:
          `Gateway "${doc.name}" listens on ${doc.spec.listener.address}:${doc.spec.listener.port} ` +
          `in fleet "${doc.spec.fleet}", like Gateway "${other}"`,
        location: doc.at(['listener']),
        hint: 'Each gateway of a fleet needs its own address and port.',
      });
    } else {
      listeners.set(key, doc.name);
    }
    out.push(...tlsMismatch(doc));
  }
  for (const vs of ctx.docs.VirtualServer) {
    const served = ctx.docs.Gateway.some((g) => servesVirtualServer(g.name, g.spec.virtualServers, vs.name, vs.spec.gateways));
    if (!served && ctx.docs.Gateway.length > 0) {
      out.push({
        code: 'unserved-virtual-server',
        severity: 'warning',
        message: `VirtualServer "${vs.name}" is served by no gateway`,
        location: vs.location,
        hint: 'List it in a Gateway\'s virtualServers, or name a gateway in its own gateways field.',
      });
    }
  }
  return out;
}

/**
 * Whether a gateway serves a virtual server. A gateway with an explicit list serves exactly that list;
 * otherwise it serves every virtual server that does not name other gateways.
 */
export function servesVirtualServer(
  gateway: string,
  gatewayList: readonly string[] | undefined,
  virtualServer: string,
  virtualServerGateways: readonly string[] | undefined,
): boolean {
  if (gatewayList) return gatewayList.includes(virtualServer);
  return !virtualServerGateways || virtualServerGateways.includes(gateway);
}

/** A public URL whose scheme says something the listener does not do. */
function tlsMismatch(doc: RegistryDocument<'Gateway'>): Diagnostic[] {
  const https = doc.spec.publicUrl.startsWith('https://');
  // A declared proxy hop in front may well be the one terminating TLS: nothing to say then.
  if (https && !doc.spec.tls && (doc.spec.trustedProxyHops ?? 0) === 0) {
    return [{
      code: 'gateway-without-tls',
      severity: 'warning',
      message: `Gateway "${doc.name}" has an https publicUrl but its listener speaks plain HTTP (no tls)`,
      location: doc.at(['publicUrl']),
      hint:
        'Right when a TLS-terminating proxy or load balancer sits in front of the gateway: say so with trustedProxyHops (its hops). ' +
        'Otherwise set tls.certificateSecretRef so Envoy terminates TLS itself.',
    }];
  }
  if (!https && doc.spec.tls) {
    return [{
      code: 'tls-gateway-with-http-url',
      severity: 'warning',
      message: `Gateway "${doc.name}" terminates TLS but its publicUrl is http://: clients dialling it fail the handshake`,
      location: doc.at(['publicUrl']),
      hint: 'Write the publicUrl with https://.',
    }];
  }
  return [];
}
