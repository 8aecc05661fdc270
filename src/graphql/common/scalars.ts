import { GraphQLJSON } from 'graphql-scalars';

/** Arbitrary JSON (event data, filters, rows). */
export const JSON = GraphQLJSON;
