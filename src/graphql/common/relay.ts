import { Field, ID, Int, InterfaceType, ObjectType, type ClassType } from 'type-graphql';
import { idKind, type IdKind } from '../../domain/common/ids';
import type { Page } from '../../domain/common/pagination';

const TYPE_BY_KIND: Record<IdKind, string> = {
  destination: 'Destination',
  webhook: 'Webhook',
  event: 'Event',
  delivery: 'Delivery',
  attempt: 'DeliveryAttempt',
  apiKey: 'ApiKey',
  listener: 'Listener',
  listenerRequest: 'ListenerRequest',
  tenant: 'Tenant',
  syncRun: 'SyncRun',
  bulkJob: 'BulkJob',
};

/** Every record is a Node; its id's prefix tells its type. */
@InterfaceType('Node', {
  resolveType: (value: { id: string }) => {
    const kind = idKind(value.id);
    return kind ? TYPE_BY_KIND[kind] : undefined;
  },
})
export abstract class Node {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** A Relay connection type for `NodeType`, named `<name>Connection` with `<name>Edge`. */
export function Connection<T extends object>(NodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor!: string;
    @Field(() => NodeType) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [NodeType]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    counter!: () => Promise<number>;

    @Field(() => Int, { description: 'Counted only when asked for.' })
    totalCount(): Promise<number> {
      return this.counter();
    }
  }
  return ConnectionType;
}

/** Builds a connection instance from a domain page, mapping each record to its GraphQL shape. */
export function toConnection<R extends { id: string }, T, C extends ConnectionShape<T>>(ConnectionClass: new () => C, page: Page<R>, map: (record: R) => T): C {
  const connection = new ConnectionClass() as C & { counter: () => Promise<number> };
  const edges = page.nodes.map((record) => ({ cursor: page.cursorOf(record), node: map(record) }));
  connection.nodes = edges.map((edge) => edge.node);
  connection.edges = edges;
  connection.pageInfo = {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.startCursor,
    endCursor: page.endCursor,
  };
  connection.counter = page.count;
  return connection;
}
