// Points 5 to 8: trace correlation, isolation of restricted servers, mTLS, signed artifacts.
import { failed, judged, notApplicable, passed, type PointOutcome, type PreflightPoint } from '../point.ts';
import { gatewaysServing } from '../serving.ts';

export const traceCorrelation: PreflightPoint = {
  id: 'trace-correlation',
  title: 'Trace correlation',
  check({ ir }) {
    if (!ir.gateways.length) return notApplicable(['the registry declares no gateways']);
    const problems: string[] = [];
    const fine: string[] = [];
    for (const gateway of ir.gateways) {
      const where = `gateway ${gateway.name} (${gateway.source.file}:${gateway.source.line})`;
      if (!gateway.tracing) problems.push(`${where} sends no traces`);
      else if (gateway.tracing.samplingPercent <= 0) problems.push(`${where} samples 0% of requests`);
      else fine.push(`${where} traces ${gateway.tracing.samplingPercent}% of requests to ${gateway.tracing.collector}`);
    }
    const fix = 'Set the gateway\'s tracing.collector (an OTLP/gRPC collector) with a non-zero samplingPercent, ' +
      'so trace ids join Envoy, the control plane and the audit log.';
    return judged(problems, fine, fix);
  },
};

export const securityIsolation: PreflightPoint = {
  id: 'security-isolation',
  title: 'Isolation of restricted servers',
  check({ ir, readFile }) {
    const restricted = ir.servers.filter((s) => s.dataClassification === 'restricted');
    if (!restricted.length) return notApplicable(['no server is classified restricted']);
    const isolation = ir.checkSettings.governance?.isolation;
    if (!isolation) {
      return failed(
        [`restricted servers: ${restricted.map((s) => s.name).join(', ')}; CheckSettings declares no governance.isolation`],
        'Serve restricted servers from their own fleet and declare it with its NetworkPolicy in CheckSettings spec.governance.isolation.',
      );
    }
    const problems: string[] = [];
    const fine: string[] = [];
    for (const server of restricted) {
      for (const gateway of gatewaysServing(ir, server.name)) {
        const line = `restricted server ${server.name} is served by gateway ${gateway.name} in fleet ${gateway.fleet}`;
        if (isolation.restrictedFleets.includes(gateway.fleet)) fine.push(line);
        else problems.push(`${line}, not one of the restricted fleets (${isolation.restrictedFleets.join(', ')})`);
      }
    }
    const policy = readFile(isolation.networkPolicy);
    if (policy === undefined) problems.push(`the network policy ${isolation.networkPolicy} does not exist`);
    else if (!/^kind:\s*NetworkPolicy\s*$/m.test(policy)) problems.push(`${isolation.networkPolicy} holds no Kubernetes NetworkPolicy`);
    else fine.push(`network policy: ${isolation.networkPolicy}`);
    return judged(problems, fine, 'Move restricted servers to virtual servers served only by gateways of a restricted fleet, fenced by a NetworkPolicy.');
  },
};

export const mtls: PreflightPoint = {
  id: 'mtls',
  title: 'mTLS on every hop',
  check({ ir, live }) {
    const problems: string[] = [];
    const fine: string[] = [];
    for (const gateway of ir.gateways) {
      const where = `gateway ${gateway.name} (${gateway.source.file}:${gateway.source.line})`;
      const clientCertificates = gateway.tls?.clientCertificates?.required ? ' with client certificates' : '';
      if (gateway.tls) fine.push(`${where} serves clients over TLS ${gateway.tls.minVersion}${clientCertificates}`);
      else problems.push(`${where} serves clients over plaintext HTTP`);
    }
    for (const server of ir.servers) {
      const where = `server ${server.name} (${server.source.file}:${server.source.line})`;
      if (!server.upstream.tls) problems.push(`${where} is reached over plaintext ${server.upstream.url}`);
    }
    if (ir.servers.every((s) => s.upstream.tls) && ir.servers.length) fine.push(`all ${ir.servers.length} upstreams use https`);
    if (live && 'problem' in live) problems.push(`control plane ${live.url}: ${live.problem}`);
    else if (live?.transport === 'plaintext') problems.push(`control plane ${live.url} serves Envoy over plaintext gRPC (--insecure-plaintext)`);
    else if (live?.transport === 'mtls') fine.push(`control plane ${live.url} serves Envoy over mTLS`);
    else fine.push('control plane transport not checked (pass --live URL)');
    return judged(problems, fine, 'Give each gateway spec.tls, point upstreams at https URLs, and run `gatehouse serve` with --tls-ca/--tls-cert/--tls-key.');
  },
};

export const artifactsSigned: PreflightPoint = {
  id: 'artifacts-signed',
  title: 'Artifacts signed',
  check({ artifacts, live }): PointOutcome {
    if (!artifacts && !live) {
      const evidence = 'neither an artifact set (--artifacts DIR) nor a control plane (--live URL) was given';
      return failed([evidence], 'Run preflight with --artifacts DIR or --live URL.');
    }
    const problems: string[] = [];
    const fine: string[] = [];
    if (artifacts) {
      const { signature } = artifacts;
      if (!signature.signed) problems.push(`${artifacts.dir}: ${signature.problem}`);
      else if (signature.verified) fine.push(`${artifacts.dir} (version ${artifacts.version ?? '?'}) is signed by trusted key ${signature.keyId}`);
      else fine.push(`${artifacts.dir} (version ${artifacts.version ?? '?'}) is signed by key ${signature.keyId} (not verified: pass --trusted-key)`);
    }
    if (live && 'problem' in live) problems.push(`control plane ${live.url}: ${live.problem}`);
    else if (live) {
      if (!live.trustedKeys.length) problems.push(`control plane ${live.url} trusts no signing key: it enforces unsigned sets`);
      else if (!live.loaded?.signedBy) problems.push(`control plane ${live.url} runs a set not verified by a trusted key`);
      else {
        const nodes = `${live.nodes} Envoy node${live.nodes === 1 ? '' : 's'} connected`;
        fine.push(`control plane ${live.url} runs version ${live.loaded.version} (${live.loaded.sourceRevision}) signed by ${live.loaded.signedBy}; ${nodes}`);
      }
    }
    return problems.length ? failed([...problems, ...fine], 'Sign with `gatehouse compile --sign-key` and run `gatehouse serve --trusted-key`.') : passed(fine);
  },
};
