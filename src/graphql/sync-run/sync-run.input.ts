import { Field, InputType } from 'type-graphql';
import type { SyncMode as SyncModeValue } from '../../domain/event/event.entity';
import { SyncMode } from '../event/event.enums';

@InputType('SyncRunStartInput')
export class SyncRunStartInput {
  @Field({ description: 'The data stream, e.g. customers: its rows’ event type unless a batch names another.' }) stream!: string;
  @Field(() => SyncMode) mode!: SyncModeValue;
  @Field(() => String, { nullable: true, description: 'Dotted path of the entity id in each row; default "id".' }) entityIdField?: string | null;
  @Field(() => String, { nullable: true, description: "The uid of its tenant; the default tenant (or a tenant key's own) when absent." })
  tenant?: string | null;
}
