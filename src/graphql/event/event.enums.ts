import { registerEnumType } from 'type-graphql';

export const SyncMode = { UPSERT: 'UPSERT', MIRROR: 'MIRROR', APPEND: 'APPEND', CREATE: 'CREATE', DELETE: 'DELETE' } as const;
export const EventSource = { API: 'API', LISTENER: 'LISTENER', SYSTEM: 'SYSTEM' } as const;

registerEnumType(SyncMode, { name: 'SyncMode', description: 'How a data sync wants each row applied.' });
registerEnumType(EventSource, { name: 'EventSource' });
