import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { ErrorCode } from '../errors';

export const MAX_QUERY_LENGTH = 20_000;

/** Texts already counted within the limit (clients send the same few texts again and again). */
const accepted = new Set<string>();
const MAX_REMEMBERED = 500;

/**
 * Why a query's text is refused before it is parsed: longer than MAX_QUERY_LENGTH, or
 * more than `maxTokens` tokens. Validation grows faster than the document (repeated
 * fields are compared pairwise), so a small document is what keeps it cheap.
 */
export function queryTextError(query: string, maxTokens: number): GraphQLError | undefined {
  if (query.length > MAX_QUERY_LENGTH) {
    return new GraphQLError(`the query is longer than ${MAX_QUERY_LENGTH} characters`, { extensions: { code: ErrorCode.QUERY_TOO_LARGE } });
  }
  if (accepted.has(query)) return undefined;
  if (countTokens(query, maxTokens + 1) > maxTokens) {
    return new GraphQLError(`the query has more than ${maxTokens} tokens`, { extensions: { code: ErrorCode.QUERY_TOO_LARGE } });
  }
  if (accepted.size >= MAX_REMEMBERED) accepted.clear();
  accepted.add(query);
  return undefined;
}

/** Tokens as the parser counts them (comments are not), up to `stopAt`. */
function countTokens(query: string, stopAt: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count < stopAt && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error: the parser reports it with its position.
  }
  return count;
}
