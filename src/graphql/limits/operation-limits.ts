import { type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import type { QueryLimitsConfig } from '../../config';
import { depthAndAliasesRule } from './depth-aliases.rule';
import { introspectionDisabledRule } from './introspection.rule';
import { listSizeRule, oversizeListError } from './list-sizes';
import { queryCostError } from './query-cost';

/**
 * The limits every GraphQL operation meets, over HTTP and graphql-ws alike, in order:
 * the text (query-text.ts) before parsing; these rules with graphql-js's validation;
 * then, once the operation and its variables are known, `operationLimitError`.
 */
export function limitRules(introspection: boolean): ValidationRule[] {
  const rules = [depthAndAliasesRule(), listSizeRule];
  return introspection ? rules : [...rules, introspectionDisabledRule];
}

/** Why a valid operation is refused before it runs: a variable's list too long, or its cost too high. */
export function operationLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimitsConfig,
): GraphQLError | undefined {
  const longList = oversizeListError(schema, operation, variables);
  if (longList) return longList;
  return queryCostError(schema, document, operation, variables, limits.maxCost);
}
