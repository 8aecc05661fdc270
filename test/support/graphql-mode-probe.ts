import Module from 'node:module';

/**
 * Preloaded (`node -r`) into a hookgraph command by production-env.test.ts: on exit it
 * prints, as one JSON line on stderr, whether graphql was loaded and whether it runs in
 * production mode, told by what graphql does with an object that claims to be one of its
 * types: outside production its type check throws (a copy of graphql from another
 * module), in production it answers false.
 */
const moduleWithLoad = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const load = moduleWithLoad._load;
let graphql: { isScalarType(value: unknown): boolean } | null = null;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  const loaded = load.call(this, request, ...rest);
  if (request === 'graphql' && !graphql) graphql = loaded as typeof graphql;
  return loaded;
};

process.on('exit', () => {
  let production: boolean | null = null;
  if (graphql) {
    try {
      graphql.isScalarType({ [Symbol.toStringTag]: 'GraphQLScalarType' });
      production = true;
    } catch {
      production = false;
    }
  }
  process.stderr.write(`${JSON.stringify({ graphqlLoaded: graphql !== null, production })}\n`);
});
