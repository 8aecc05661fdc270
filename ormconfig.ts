import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/database/database';

/**
 * The TypeORM DataSource for the migration CLI, e.g.
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/hookgraph npx typeorm migration:run -d dist/ormconfig.js
 * (`npm run migrate` does the same without the TypeORM CLI.)
 */
export const dataSource = createDataSource(loadConfig().database);
