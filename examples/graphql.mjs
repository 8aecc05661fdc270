// The one GraphQL call the example scripts make: POST /graphql with the API key.
// (The typed @hookgraph/client does this too; plain fetch keeps the examples dependency-free.)

export const HOOKGRAPH_URL = process.env.HOOKGRAPH_URL ?? 'http://127.0.0.1:4000';

/** Runs an operation and returns its data; throws on GraphQL errors and on a mutation's userErrors. */
export async function graphql(query, variables = {}) {
  const key = process.env.HOOKGRAPH_API_KEY;
  if (!key) throw new Error('set HOOKGRAPH_API_KEY to a hookgraph API key (npm start prints an admin key on first start)');
  const res = await fetch(`${HOOKGRAPH_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status} from ${HOOKGRAPH_URL}/graphql` }] }));
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  for (const payload of Object.values(body.data ?? {})) {
    const problems = payload?.userErrors ?? [];
    if (problems.length) throw new Error(problems.map((e) => `${e.field?.join('.') ?? ''}: ${e.message}`).join('; '));
  }
  return body.data;
}

/** Runs `main`, printing a failure as one line and exiting 1 (scripts, not stack traces). */
export function run(main) {
  main().catch((error) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
