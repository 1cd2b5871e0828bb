// The audit log cannot take a record: it is closed, its queue is full, or its files cannot be continued.
export class AuditLogError extends Error {}
