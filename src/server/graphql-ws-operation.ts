import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { QueryLimitsConfig } from '../config';
import { ErrorCode } from '../graphql/errors';
import { operationLimitError } from '../graphql/limits/operation-limits';
import { queryTextError } from '../graphql/limits/query-text';

/**
 * What Apollo does before executing an HTTP request, for an operation that arrives over
 * graphql-ws: the text limits, parsing, validation with `rules`, the variables' types,
 * then the list and cost limits. Its errors carry the codes Apollo gives the same errors
 * over HTTP.
 */
export function prepareWsOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  limits: QueryLimitsConfig,
  payload: SubscribePayload,
): ExecutionArgs | GraphQLError[] {
  const textError = queryTextError(payload.query, limits.maxTokens);
  if (textError) return [textError];
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    if (error instanceof GraphQLError) return [withCode(error, ErrorCode.GRAPHQL_PARSE_FAILED)];
    throw error;
  }
  const invalid = validate(schema, document, [...specifiedRules, ...rules]);
  if (invalid.length > 0) return invalid.map((error) => withCode(error, ErrorCode.GRAPHQL_VALIDATION_FAILED));
  const variableValues = payload.variables ?? undefined;
  const operation = getOperationAST(document, payload.operationName);
  if (operation) {
    // Apollo refuses such variables before execution too, as BAD_USER_INPUT.
    const badVariables = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}).errors;
    if (badVariables) return badVariables.map((error) => withCode(error, ErrorCode.BAD_USER_INPUT));
    const refused = operationLimitError(schema, document, operation, variableValues, limits);
    if (refused) return [refused];
  }
  return { schema, document, variableValues, operationName: payload.operationName };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
