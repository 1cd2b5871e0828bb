import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compileExample } from '../../testkit/compiled-example.ts';
import { freePorts } from '../../testkit/ports.ts';
import { EnvoyRejectedListenerError, registryPorts, takenPorts } from './port-check.ts';

describe('port check', () => {
  it('finds a port held by another listener and passes a free one', async () => {
    const [free, held] = (await freePorts(2)) as [number, number];
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(held, '127.0.0.1', resolve));
    try {
      const taken = await takenPorts([
        { port: free, host: '127.0.0.1', setBy: '--xds-port' },
        { port: held, host: '127.0.0.1', setBy: '--admin-port' },
      ]);
      expect(taken.map((p) => p.setBy)).toEqual(['--admin-port']);
    } finally {
      server.close();
    }
  });

  it("names the registry file and field behind each of the example's ports", async () => {
    const { ir } = await compileExample('ports');
    const wanted = registryPorts(ir!, (name) => name !== 'payments');
    expect(wanted.map((p) => `${p.port} ${p.setBy}`)).toEqual([
      '7100 development identity provider, registry/identity-providers/dev-idp.yaml spec.issuer',
      '7102 demo MCP server docs, registry/mcp-servers/docs.yaml spec.upstream.url',
      '7104 demo MCP server inventory, registry/mcp-servers/inventory.yaml spec.upstream.url',
      '7101 demo MCP server tickets, registry/mcp-servers/tickets.yaml spec.upstream.url',
      '7105 demo MCP server whoami, registry/mcp-servers/whoami.yaml spec.upstream.url',
      '10000 Envoy listener of gateway local, registry/gateways/local.yaml spec.listener.port',
    ]);
  });

  it("turns Envoy's rejection of a listener it cannot bind into the port and the gateway that sets it", async () => {
    const { ir } = await compileExample('ports');
    // The message Envoy 1.40 sends in its NACK (seen in `gatehouse up` with the gateway's port taken).
    const nack = "Error adding/updating listener(s) gatehouse-gateway-local: cannot bind '127.0.0.1:10000': Address already in use\n";
    expect(new EnvoyRejectedListenerError('default', nack, ir!).message).toBe(
      'port 10000 (Envoy listener of gateway local, registry/gateways/local.yaml spec.listener.port) is taken on 127.0.0.1; free it or choose another',
    );
    expect(new EnvoyRejectedListenerError('default', 'invalid filter', ir!).message).toBe('Envoy (fleet default) rejected its listeners: invalid filter');
  });
});
