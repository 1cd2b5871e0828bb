// The limits that apply to one virtual server on one gateway: the virtual server's own, else the gateway's.
import type { IrGateway, IrSubjectLimits, IrVirtualServer } from './types.ts';

export function effectiveLimits(gateway: Pick<IrGateway, 'limits'>, virtualServer: Pick<IrVirtualServer, 'limits'>): IrSubjectLimits {
  return { ...gateway.limits, ...virtualServer.limits };
}
