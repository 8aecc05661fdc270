import { GraphQLError, Kind, getVariableValues, visit, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/common/pagination';
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
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxCost: number,
): GraphQLError | undefined {
  const cost = costOf(schema, document, operation, variables);
  if (cost === undefined) return undefined;
  if (cost === null) return tooComplex(`the query expands to more than ${MAX_FIELDS_EXPANDED} fields`);
  if (cost <= maxCost) return undefined;
  return tooComplex(
    `the query's estimated cost is ${cost}, above the limit of ${maxCost}: a page costs its size (first/last, default ${DEFAULT_PAGE_SIZE}) ` +
      `times what one item selects, and data or bodies cost ${LARGE_FIELD_COST} each; ask for smaller pages or fewer fields`,
  );
}

/**
 * Costs already estimated, per parsed document (the server keeps one document object per
 * query text), by operation and the values of the variables that size its pages or
 * decide its directives: the only inputs the estimate reads. An estimate walks the whole
 * document with its types, which a hot mutation should not pay on every request.
 */
const costs = new WeakMap<DocumentNode, { pageVariables: string[]; byInput: Map<string, number | null> }>();
const MAX_COSTS_PER_DOCUMENT = 100;

/**
 * The estimated cost; null when the document expands to more than MAX_FIELDS_EXPANDED
 * fields; undefined when the variables do not fit the operation (execution refuses
 * them with its own errors).
 */
function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number | null | undefined {
  let known = costs.get(document);
  if (!known) costs.set(document, (known = { pageVariables: costVariablesOf(document), byInput: new Map() }));
  const operationName = operation.name?.value;
  const key = JSON.stringify([operationName ?? null, ...known.pageVariables.map((name) => variables?.[name] ?? null)]);
  const cached = known.byInput.get(key);
  if (cached !== undefined) return cached;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return undefined;
  let cost: number | null;
  try {
    cost = getComplexity({ schema, query: document, variables, operationName, estimators: ESTIMATORS, maxQueryNodes: MAX_FIELDS_EXPANDED });
  } catch {
    cost = null;
  }
  if (known.byInput.size >= MAX_COSTS_PER_DOCUMENT) known.byInput.clear();
  known.byInput.set(key, cost);
  return cost;
}

/** The variables the estimate reads: page sizes (`first`, `last`) and directive arguments (`@include(if: $x)`). */
function costVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(node) {
      for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    },
    Field(node) {
      for (const argument of node.arguments ?? []) {
        const pageSize = argument.name.value === 'first' || argument.name.value === 'last';
        if (pageSize && argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
      }
    },
  });
  return [...names].sort();
}

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
}
