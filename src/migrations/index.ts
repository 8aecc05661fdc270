import { Initial1763700000000 as MysqlInitial } from './mysql/1763700000000-initial';
import { Initial1763700000000 as SqliteInitial } from './sqlite/1763700000000-initial';

/** Migrations in order, per database. Add new ones at the end of both lists. */
export const MYSQL_MIGRATIONS = [MysqlInitial];
export const SQLITE_MIGRATIONS = [SqliteInitial];
