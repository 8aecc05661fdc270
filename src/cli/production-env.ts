/**
 * Imported first by the command line (and the benchmarks, which measure the server as it
 * serves): NODE_ENV=production unless the environment set it. graphql-js reads it once,
 * when it loads, and the client commands' modules load it before any command runs.
 * Outside production every type check of its schema types (`isObjectType` and the like,
 * many per field of every operation) also looks for a copy of graphql from another
 * module: a help while writing resolvers against two installs, about 4 % of an
 * `eventPublish` when serving. Apollo Server and graphql-ws read NODE_ENV too, but every
 * behaviour of theirs it would choose is set explicitly (server/graphql-http.ts,
 * server/graphql-ws.ts).
 */
process.env.NODE_ENV ??= 'production';

export {};
