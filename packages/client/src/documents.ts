import { print, type DocumentNode } from 'graphql';

const printed = new WeakMap<DocumentNode, string>();

/** The query text of a generated document, printed once. */
export function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}
