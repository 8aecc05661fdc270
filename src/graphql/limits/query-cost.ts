import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/shared/pagination';
import { ErrorCode } from '../errors';

/**
 * The cost of a field that holds data of arbitrary size (event data, request and
 * response bodies, captured payloads) instead of 1: set with type-graphql's
 * `complexity` option on the field, e.g. `@Field(() => JSON, { complexity: LARGE_FIELD_COST })`.
 */
export const LARGE_FIELD_COST = 50;

/**
 * Fields expanded at most while costing: fragments spread into each other multiply,
 * and a few hundred tokens can otherwise stand for millions of fields.
 */
const MAX_FIELDS_EXPANDED = 10_000;

/**
 * A field with paging arguments returns up to a page of items: what one item selects
 * costs `first` (or `last`, or the default page size) times. The size is clamped to the
 * allowed range, so an out-of-range size gets its own error from the resolver.
 */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const requested = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  const size = Math.min(Math.max(Number.isFinite(requested) ? requested : MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  return 1 + size * childComplexity;
};

const ESTIMATORS = [pageEstimator, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/**
 * Refuses an operation whose estimated cost is above `maxCost`, before it runs: each
 * field costs 1, a large field LARGE_FIELD_COST, and a page its size times what one of
 * its items selects, through nested pages. `variables` must already be valid for the
 * operation (their errors are execution's to report).
 */
export function queryCostError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  let cost: number;
  try {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators: ESTIMATORS, maxQueryNodes: MAX_FIELDS_EXPANDED });
  } catch {
    return tooComplex(`the query expands to more than ${MAX_FIELDS_EXPANDED} fields`);
  }
  if (cost <= maxCost) return undefined;
  return tooComplex(
    `the query's estimated cost is ${cost}, above the limit of ${maxCost}: a page costs its size (first/last, default ${DEFAULT_PAGE_SIZE}) ` +
      `times what one item selects, and data or bodies cost ${LARGE_FIELD_COST} each; ask for smaller pages or fewer fields`,
  );
}

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
}
