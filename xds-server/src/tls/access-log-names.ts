// Which access-log names a fleet's Envoys use (`gatehouse/<gateway>`, one per gateway of the
// fleet): an authenticated node may write audit records only for these.
import type { FleetResources } from '../../../artifacts/src/fleet-resources.ts';

/** Every `log_name` in the fleet's listeners (the gRPC access loggers' common_config). */
export function accessLogNames(fleet: FleetResources): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, field] of Object.entries(value)) {
        if (key === 'log_name' && typeof field === 'string') names.add(field);
        else visit(field);
      }
    }
  };
  visit(fleet.listeners);
  return names;
}
