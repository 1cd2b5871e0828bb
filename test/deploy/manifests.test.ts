// deploy/: every Kubernetes manifest validates against the real Kubernetes, cert-manager and
// prometheus-operator schemas (offline, kubernetes-models), fits together (selectors, ports,
// secrets, certificates), and passes `gatehouse serve` and Envoy only flags they define, so a
// renamed flag fails here rather than in a cluster. The Containerfile's entrypoint is checked too.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Certificate, Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { run as serve } from '../../cli/src/serve-command.ts';
import { run as envoyBootstrap } from '../../cli/src/envoy-bootstrap-command.ts';
import { controlPlaneSpiffeId, nodeSpiffeId } from '../../xds-server/src/tls/spiffe-id.ts';
import { envoyFlags } from './envoy-flags.ts';
import { ENVOY_BOOTSTRAP_FLAGS, envoyBootstrapConfigMap } from './envoy-bootstrap-configmap.ts';

const DEPLOY = join(PROJECT_ROOT, 'deploy');
const KUBE = join(DEPLOY, 'kubernetes');

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'cert-manager.io/v1/Issuer': Issuer,
  'cert-manager.io/v1/Certificate': Certificate,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  file: string;
}

type Container = {
  name: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type Probe = { httpGet?: { path: string; port: string } };
type PodSpec = { containers: (Container & { readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe })[]; volumes: Record<string, unknown>[] };
type DeploymentSpec = {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
};

const kustomization = parse(readFileSync(join(KUBE, 'kustomization.yaml'), 'utf8')) as { resources: string[]; namespace: string };
const docs: Doc[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(KUBE, file), 'utf8')).map((d) => ({ ...(d.toJS() as Omit<Doc, 'file'>), file })),
);
const find = (kind: string, name: string): Doc => {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return doc;
};
const deployment = (name: string) => find('Deployment', name).spec as unknown as DeploymentSpec;

/** Runs a command's own flag parser on these flags (with --help, so nothing starts): throws on a flag it does not define. */
async function parsesFlags(run: (argv: readonly string[]) => number | Promise<number>, flags: readonly string[]): Promise<void> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await run([...flags, '--help'])).toBe(0);
  } finally {
    out.mockRestore();
  }
}

describe('deploy/kubernetes', () => {
  it('lists every manifest in the kustomization, all in the gatehouse namespace', () => {
    const files = readdirSync(KUBE).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    for (const doc of docs) if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, `${doc.kind} ${doc.metadata.name}`).toBe(kustomization.namespace);
  });

  it('validates every manifest against the Kubernetes, cert-manager and prometheus-operator schemas', () => {
    expect(docs.length).toBeGreaterThan(15);
    for (const { file, ...doc } of docs) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model, `${file}: a model for ${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc as never).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
  });

  it('runs at least two control-plane replicas, probed on the admin endpoint, kept through drains, spread over nodes', () => {
    const spec = deployment('gatehouse-control-plane');
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    const serveContainer = spec.template.spec.containers[0]!;
    expect(serveContainer.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'admin' });
    expect(serveContainer.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'admin' });
    expect(serveContainer.ports?.find((p) => p.name === 'admin')?.containerPort).toBe(Number(arg(serveContainer, '--admin-port')));
    expect(serveContainer.ports?.find((p) => p.name === 'xds')?.containerPort).toBe(Number(arg(serveContainer, '--xds-port')));
    expect(serveContainer.ports?.find((p) => p.name === 'authz')?.containerPort).toBe(Number(arg(serveContainer, '--authz-port')));
    expect(arg(serveContainer, '--replica-id')).toBe('$(POD_NAME)');
    const pdb = find('PodDisruptionBudget', 'gatehouse-control-plane').spec as { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    expect(pdb.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.minAvailable).toBeLessThan(spec.replicas);
    expect(pdb.selector.matchLabels).toEqual(spec.selector.matchLabels);
  });

  it('passes serve only flags it defines, with every file it names mounted', async () => {
    const container = deployment('gatehouse-control-plane').template.spec.containers[0]!;
    const [command, ...flags] = container.args!;
    expect(command).toBe('serve');
    await parsesFlags(serve, flags);
    await expect(parsesFlags(serve, ['--no-such-flag'])).rejects.toThrow(/no-such-flag/);
    const mounts = container.volumeMounts!.map((m) => m.mountPath);
    for (const flag of flags) {
      const value = flag.split('=')[1] ?? '';
      if (value.startsWith('/')) expect(mounts.some((m) => value === m || value.startsWith(`${m}/`)), `${flag} is on a mounted volume`).toBe(true);
    }
  });

  it('lets only Envoy pods reach ADS and ext_authz', () => {
    const policy = find('NetworkPolicy', 'gatehouse-control-plane').spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: { from: { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: unknown }[]; ports: { port: string }[] }[];
    };
    expect(policy.podSelector.matchLabels).toEqual(deployment('gatehouse-control-plane').selector.matchLabels);
    const envoyLabels = deployment('gatehouse-envoy-default').template.metadata.labels;
    for (const port of ['xds', 'authz']) {
      const rules = policy.ingress.filter((r) => r.ports.some((p) => p.port === port));
      expect(rules.length, port).toBe(1);
      expect(rules[0]!.from).toHaveLength(1);
      const selector = rules[0]!.from[0]!.podSelector!.matchLabels;
      expect(Object.entries(selector).every(([k, v]) => envoyLabels[k] === v), `the ${port} rule selects the Envoy pods`).toBe(true);
      expect(selector['app.kubernetes.io/component']).toBe('envoy');
    }
  });

  it('issues the SPIFFE identities the control plane and the Envoy fleet must present', () => {
    const uris = (name: string) => (find('Certificate', name).spec as { uris: string[] }).uris;
    expect(uris('gatehouse-control-plane')).toEqual([controlPlaneSpiffeId('gatehouse.local')]);
    expect(uris('gatehouse-envoy-default')).toEqual([nodeSpiffeId('gatehouse.local', 'default', 'gateway-default')]);
    const secretOf = (name: string) => (find('Certificate', name).spec as { secretName: string }).secretName;
    const secretVolume = (spec: DeploymentSpec) =>
      (spec.template.spec.volumes.find((v) => v.name === 'tls') as { secret: { secretName: string } }).secret.secretName;
    expect(secretVolume(deployment('gatehouse-control-plane'))).toBe(secretOf('gatehouse-control-plane'));
    expect(secretVolume(deployment('gatehouse-envoy-default'))).toBe(secretOf('gatehouse-envoy-default'));
  });

  it('gives Envoy the bootstrap `gatehouse envoy-bootstrap` writes, reaching every replica through the headless Service', async () => {
    await parsesFlags(envoyBootstrap, ENVOY_BOOTSTRAP_FLAGS);
    const path = join(KUBE, 'envoy-bootstrap.yaml');
    if (process.env.UPDATE_GOLDEN) writeFileSync(path, envoyBootstrapConfigMap());
    expect(readFileSync(path, 'utf8'), 'refresh with UPDATE_GOLDEN=1 npx vitest run test/deploy').toBe(envoyBootstrapConfigMap());
    expect((find('Service', 'gatehouse-control-plane').spec as { clusterIP: string }).clusterIP).toBe('None');
    const bootstrap = JSON.parse(find('ConfigMap', 'gatehouse-envoy-default-bootstrap').data!['bootstrap.json']!) as {
      static_resources: { clusters: { name: string; type?: string }[] };
    };
    expect(bootstrap.static_resources.clusters.find((c) => c.name === 'gatehouse-xds')?.type).toBe('STRICT_DNS');
  });

  it('passes Envoy only flags Envoy 1.40 defines', () => {
    const defined = envoyFlags();
    const args = deployment('gatehouse-envoy-default').template.spec.containers[0]!.args!;
    for (const flag of args.filter((a) => a.startsWith('-'))) expect(defined, flag).toContain(flag);
    expect(args[args.indexOf('-c') + 1]).toBe('/etc/envoy/bootstrap.json');
  });

  it('scrapes every replica with the admin token and carries the alert rules of observability/alerts.yaml', () => {
    type Endpoint = { port: string; authorization: { credentials: { name: string } } };
    const monitor = find('PodMonitor', 'gatehouse-control-plane').spec as { podMetricsEndpoints: Endpoint[] };
    expect(monitor.podMetricsEndpoints[0]!.port).toBe('admin');
    const tokenVolume = deployment('gatehouse-control-plane').template.spec.volumes.find((v) => v.name === 'admin-token') as { secret: { secretName: string } };
    expect(monitor.podMetricsEndpoints[0]!.authorization.credentials.name).toBe(tokenVolume.secret.secretName);
    const alerts = parse(readFileSync(join(PROJECT_ROOT, 'observability', 'alerts.yaml'), 'utf8')) as { groups: unknown };
    expect((find('PrometheusRule', 'gatehouse').spec as { groups: unknown }).groups).toEqual(alerts.groups);
  });
});

describe('deploy/Containerfile', () => {
  it('runs `gatehouse` as a non-root user from the published package, with flags serve defines', async () => {
    const text = readFileSync(join(DEPLOY, 'Containerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    const runtime = stages.at(-1)!;
    const entrypoint = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(runtime)![1]!) as string[];
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(runtime)![1]!) as string[];
    expect(entrypoint.at(-1)).toMatch(/gatehouse(\.mjs)?$/);
    expect(cmd[0]).toBe('serve');
    await parsesFlags(serve, cmd.slice(1));
    expect(runtime).toMatch(/^USER \d+/m);
    // Nothing the build needs: no compiler, no dev dependencies, no sources in the final stage.
    expect(runtime).not.toMatch(/npm (ci|run build)|tsc|COPY \. /);
  });
});

function arg(container: Container, flag: string): string | undefined {
  return container.args?.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}
