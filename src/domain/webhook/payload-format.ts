/**
 * The shape of a webhook's requests: hookgraph's own envelope, or the exact wire format of
 * a product whose receivers already exist (so they accept hookgraph's requests unchanged).
 */
export const PAYLOAD_FORMATS = ['HOOKGRAPH', 'VALMI', 'ETLWORKS'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];
