import { registerEnumType } from 'type-graphql';
import { PAYLOAD_FORMATS, type PayloadFormat as PayloadFormatValue } from '../../domain/webhook/payload-format';

export const PayloadFormat = Object.fromEntries(PAYLOAD_FORMATS.map((f) => [f, f])) as { [F in PayloadFormatValue]: F };

registerEnumType(PayloadFormat, {
  name: 'PayloadFormat',
  description: 'The wire format of a webhook’s requests. Standard Webhooks headers are sent in every format.',
  valuesConfig: {
    HOOKGRAPH: { description: 'hookgraph’s envelope: id, type, source, timestamp, webhookId, entityId, entityUrl, data, meta.' },
    VALMI: {
      description:
        'valmi.io’s rows: the (mapped) fields at the top level with _valmi_meta { _valmi_row_num _valmi_sync_op }, _message_id and _sync_mode; GET parameters joined with `_`.',
    },
    ETLWORKS: {
      description:
        'Etlworks’: eventId, eventType, webhookId, entityId, entity, entityUrl, epoch-millisecond timestamp; X-Etl-Webhook-* headers with X-Etl-Webhook-Signature, the hex HMAC-SHA1 of the body keyed with the custom HMAC secret, else the signing secret.',
    },
  },
});
