// @hookgraph/client: a typed client for hookgraph's GraphQL API.
export const clientVersion = '0.1.0';
