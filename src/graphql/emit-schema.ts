import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildHookgraphSchema } from './schema';

/** The schema as SDL, the form committed at the top of the repository. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildHookgraphSchema())}\n`;
}

export const SCHEMA_FILE = path.resolve(__dirname, '../../../schema.graphql');

if (require.main === module) {
  schemaSdl().then(
    (sdl) => {
      fs.writeFileSync(SCHEMA_FILE, sdl);
      console.log(`wrote ${SCHEMA_FILE}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
