import {
  GraphQLError,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  type ASTVisitor,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
} from 'graphql';
import { MAX_BATCH_ROWS } from '../../domain/event/event.service';
import { ErrorCode } from '../errors';

/**
 * Items a list argument may hold: as many as the longest list an argument needs (a
 * batch's rows). Beyond a few thousand, a filter list no longer fits one SQL statement
 * (SQLite takes 32,766 parameters).
 */
export const MAX_LIST_ITEMS = MAX_BATCH_ROWS;

/** A list written in the query itself (not inside a JSON value) with more than MAX_LIST_ITEMS items. */
export function listSizeRule(context: ValidationContext): ASTVisitor {
  return {
    ListValue(node) {
      const type = context.getParentInputType();
      if (type && isListType(getNullableType(type)) && node.values.length > MAX_LIST_ITEMS) {
        context.reportError(new GraphQLError(`a list holds ${node.values.length} items; send at most ${MAX_LIST_ITEMS}`, { nodes: node }));
      }
    },
  };
}

/**
 * The first list in the operation's variables that holds more than MAX_LIST_ITEMS items,
 * as a BAD_USER_INPUT error naming where it is. Lists inside a JSON value are data, not
 * arguments, and are not counted. Values of the wrong type are left to execution.
 */
export function oversizeListError(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const name = definition.variable.name.value;
    const path = type && longListPath(type, variables?.[name], `$${name}`);
    if (path) {
      return new GraphQLError(`${path} holds more than ${MAX_LIST_ITEMS} items; send at most ${MAX_LIST_ITEMS}`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
  }
  return undefined;
}

function longListPath(type: GraphQLInputType, value: unknown, path: string): string | undefined {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) return path;
    for (let i = 0; i < value.length; i += 1) {
      const found = longListPath(inner.ofType, value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (isInputObjectType(inner) && value !== null && typeof value === 'object') {
    for (const [fieldName, field] of fieldsWithLists(inner)) {
      const found = longListPath(field.type, (value as Record<string, unknown>)[fieldName], `${path}.${fieldName}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The fields of an input type that are lists or can hold one, found once per type (an
 * operation's variables are walked on every request, and most inputs, eventPublish's
 * among them, hold no list at all).
 */
const listFields = new WeakMap<GraphQLInputObjectType, [string, GraphQLInputField][]>();

function fieldsWithLists(type: GraphQLInputObjectType): [string, GraphQLInputField][] {
  let fields = listFields.get(type);
  if (!fields) {
    fields = Object.entries(type.getFields()).filter(([, field]) => canHoldList(field.type, new Set()));
    listFields.set(type, fields);
  }
  return fields;
}

function canHoldList(type: GraphQLInputType, seen: Set<GraphQLInputObjectType>): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return true;
  if (!isInputObjectType(inner) || seen.has(inner)) return false;
  seen.add(inner);
  return Object.values(inner.getFields()).some((field) => canHoldList(field.type, seen));
}
