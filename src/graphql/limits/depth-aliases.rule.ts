import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export const MAX_DEPTH = 10;
export const MAX_ALIASES = 15;

/**
 * Refuses operations nested deeper than MAX_DEPTH or using more than MAX_ALIASES
 * aliases: the cheap guards against a query that asks for the whole database.
 * Applies to HTTP and to subscriptions alike. Introspection (`__schema`, `__type`) is
 * not measured: its standard query nests type references 15 deep, it reads the schema
 * and no data, and HOOKGRAPH_INTROSPECTION decides whether it runs at all.
 */
export function depthAndAliasesRule(maxDepth = MAX_DEPTH, maxAliases = MAX_ALIASES) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const measure = (set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; aliases: number } => {
      let deepest = depth;
      let aliases = 0;
      for (const selection of set.selections) {
        let child: SelectionSetNode | undefined;
        let childDepth = depth;
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
          if (selection.alias) aliases += 1;
          child = selection.selectionSet;
          childDepth = depth + 1;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          child = selection.selectionSet;
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          child = fragment.selectionSet;
          seen = new Set(seen).add(name);
        }
        if (child) {
          const inner = measure(child, childDepth, seen);
          deepest = Math.max(deepest, inner.depth);
          aliases += inner.aliases;
        } else {
          deepest = Math.max(deepest, childDepth);
        }
      }
      return { depth: deepest, aliases };
    };
    return {
      OperationDefinition(node) {
        const { depth, aliases } = measure(node.selectionSet, 0, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, { nodes: [node] }));
        }
        if (aliases > maxAliases) {
          context.reportError(new GraphQLError(`${aliases} aliases exceed the limit of ${maxAliases}`, { nodes: [node] }));
        }
      },
    };
  };
}
