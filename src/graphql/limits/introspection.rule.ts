import { GraphQLError, getNamedType, isIntrospectionType, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Refuses `__schema` and `__type` (not `__typename`) while introspection is off, and
 * says how to turn it on: graphql-js's NoSchemaIntrospectionCustomRule, in our words.
 */
export function introspectionDisabledRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const type = context.getType();
      if (type && isIntrospectionType(getNamedType(type))) {
        context.reportError(
          new GraphQLError(`introspection is off on this server ("${node.name.value}"); set HOOKGRAPH_INTROSPECTION=true to turn it on`, {
            nodes: node,
          }),
        );
      }
    },
  };
}
