import { describe, expect, it } from 'vitest';
import { createMetrics, initialiseGatewaySeries, markArtifactsLoaded } from './metrics.ts';

async function exposition(): Promise<{ text: string; names: string[] }> {
  const metrics = createMetrics();
  const text = await metrics.registry.metrics();
  const names = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!);
  return { text, names };
}

describe('control-plane metrics', () => {
  it('has no name with a doubled prefix or word (gatehouse_process_process_… was exported)', async () => {
    const { names } = await exposition();
    expect(names).toContain('gatehouse_process_cpu_seconds_total');
    expect(names).toContain('gatehouse_nodejs_eventloop_lag_seconds');
    for (const name of names) {
      expect(name.startsWith('gatehouse_'), name).toBe(true);
      const words = name.split('_');
      expect(words.some((w, i) => i > 0 && w === words[i - 1]), name).toBe(false);
    }
  });

  it('exports the counters with known label values at zero before anything happens', async () => {
    const { text } = await exposition();
    for (const outcome of ['allow', 'deny', 'error']) expect(text).toContain(`gatehouse_authz_decisions_total{outcome="${outcome}",virtual_server=""} 0`);
    expect(text).toContain('gatehouse_artifact_loads_total{result="rejected"} 0');
    expect(text).toContain('gatehouse_artifacts_rejected_total{reason="bad-signature"} 0');
    expect(text).toContain('gatehouse_xds_nacks_total{type="listeners"} 0');
    expect(text).toContain('gatehouse_mcp_requests_total{method="tools/call",decision="deny"} 0');
    expect(text).toContain('gatehouse_audit_write_errors_total 0');
    expect(text).toContain('gatehouse_artifact_loaded_timestamp_seconds 0');
    expect(text).toContain('gatehouse_artifact_age_seconds 0');
  });

  it('exports the version in force as an info gauge, its load time and its age', async () => {
    const metrics = createMetrics();
    const loadedAt = Date.now() - 90_000;
    markArtifactsLoaded(metrics, 'aaaa', 'r1', loadedAt - 1000);
    markArtifactsLoaded(metrics, 'bbbb', 'r2', loadedAt);
    initialiseGatewaySeries(metrics, ['local']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('gatehouse_artifact_info{version="bbbb",revision="r2"} 1');
    expect(text).not.toContain('version="aaaa"'); // one series: the set in force
    expect(text).toContain(`gatehouse_artifact_loaded_timestamp_seconds ${loadedAt / 1000}`);
    const age = Number(/^gatehouse_artifact_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    expect(text).toContain('gatehouse_audit_records_total{gateway="local"} 0');
  });
});
