import { Initial1763700000000 as MysqlInitial } from './mysql/1763700000000-initial';
import { Initial1763700000000 as SqliteInitial } from './sqlite/1763700000000-initial';
import { Dispatch1763800000000 as MysqlDispatch } from './mysql/1763800000000-dispatch';
import { Dispatch1763800000000 as SqliteDispatch } from './sqlite/1763800000000-dispatch';
import { Listeners1763900000000 as MysqlListeners } from './mysql/1763900000000-listeners';
import { Listeners1763900000000 as SqliteListeners } from './sqlite/1763900000000-listeners';
import { StoppedIndex1764000000000 as MysqlStoppedIndex } from './mysql/1764000000000-stopped-index';
import { StoppedIndex1764000000000 as SqliteStoppedIndex } from './sqlite/1764000000000-stopped-index';
import { CircuitBreaker1764100000000 as MysqlCircuitBreaker } from './mysql/1764100000000-circuit-breaker';
import { CircuitBreaker1764100000000 as SqliteCircuitBreaker } from './sqlite/1764100000000-circuit-breaker';
import { OrderingIndex1764200000000 as MysqlOrderingIndex } from './mysql/1764200000000-ordering-index';
import { OrderingIndex1764200000000 as SqliteOrderingIndex } from './sqlite/1764200000000-ordering-index';
import { DestinationLines1764300000000 as MysqlDestinationLines } from './mysql/1764300000000-destination-lines';
import { DestinationLines1764300000000 as SqliteDestinationLines } from './sqlite/1764300000000-destination-lines';
import { AttemptsCreatedIndex1764400000000 as MysqlAttemptsCreatedIndex } from './mysql/1764400000000-attempts-created-index';
import { AttemptsCreatedIndex1764400000000 as SqliteAttemptsCreatedIndex } from './sqlite/1764400000000-attempts-created-index';
import { DueBeforeLease1764500000000 as MysqlDueBeforeLease } from './mysql/1764500000000-due-before-lease';
import { DueBeforeLease1764500000000 as SqliteDueBeforeLease } from './sqlite/1764500000000-due-before-lease';
import { ListenerTokenHash1764600000000 as MysqlListenerTokenHash } from './mysql/1764600000000-listener-token-hash';
import { ListenerTokenHash1764600000000 as SqliteListenerTokenHash } from './sqlite/1764600000000-listener-token-hash';
import { Tenants1764700000000 as MysqlTenants } from './mysql/1764700000000-tenants';
import { Tenants1764700000000 as SqliteTenants } from './sqlite/1764700000000-tenants';
import { EventTrace1764800000000 as MysqlEventTrace } from './mysql/1764800000000-event-trace';
import { EventTrace1764800000000 as SqliteEventTrace } from './sqlite/1764800000000-event-trace';
import { TenantsUpdatedIndex1764900000000 as MysqlTenantsUpdatedIndex } from './mysql/1764900000000-tenants-updated-index';
import { TenantsUpdatedIndex1764900000000 as SqliteTenantsUpdatedIndex } from './sqlite/1764900000000-tenants-updated-index';
import { DestinationStats1765000000000 as MysqlDestinationStats } from './mysql/1765000000000-destination-stats';
import { DestinationStats1765000000000 as SqliteDestinationStats } from './sqlite/1765000000000-destination-stats';
import { BulkJobs1765100000000 as MysqlBulkJobs } from './mysql/1765100000000-bulk-jobs';
import { BulkJobs1765100000000 as SqliteBulkJobs } from './sqlite/1765100000000-bulk-jobs';
import { PayloadFormat1765200000000 as MysqlPayloadFormat } from './mysql/1765200000000-payload-format';
import { PayloadFormat1765200000000 as SqlitePayloadFormat } from './sqlite/1765200000000-payload-format';
import { SyncRuns1765250000000 as MysqlSyncRuns } from './mysql/1765250000000-sync-runs';
import { SyncRuns1765250000000 as SqliteSyncRuns } from './sqlite/1765250000000-sync-runs';
import { ListenerOptions1765300000000 as MysqlListenerOptions } from './mysql/1765300000000-listener-options';
import { ListenerOptions1765300000000 as SqliteListenerOptions } from './sqlite/1765300000000-listener-options';
import { AttemptBodyRecipe1765400000000 as MysqlAttemptBodyRecipe } from './mysql/1765400000000-attempt-body-recipe';
import { AttemptBodyRecipe1765400000000 as SqliteAttemptBodyRecipe } from './sqlite/1765400000000-attempt-body-recipe';
import { DeliveryVersion1765500000000 as MysqlDeliveryVersion } from './mysql/1765500000000-delivery-version';
import { DeliveryVersion1765500000000 as SqliteDeliveryVersion } from './sqlite/1765500000000-delivery-version';
import { BulkJobsUpdatedIndex1765600000000 as MysqlBulkJobsUpdatedIndex } from './mysql/1765600000000-bulk-jobs-updated-index';
import { BulkJobsUpdatedIndex1765600000000 as SqliteBulkJobsUpdatedIndex } from './sqlite/1765600000000-bulk-jobs-updated-index';

/** Migrations in order, per database. Add new ones at the end of both lists. */
export const MYSQL_MIGRATIONS = [
  MysqlInitial,
  MysqlDispatch,
  MysqlListeners,
  MysqlStoppedIndex,
  MysqlCircuitBreaker,
  MysqlOrderingIndex,
  MysqlDestinationLines,
  MysqlAttemptsCreatedIndex,
  MysqlDueBeforeLease,
  MysqlListenerTokenHash,
  MysqlTenants,
  MysqlEventTrace,
  MysqlTenantsUpdatedIndex,
  MysqlDestinationStats,
  MysqlBulkJobs,
  MysqlPayloadFormat,
  MysqlSyncRuns,
  MysqlListenerOptions,
  MysqlAttemptBodyRecipe,
  MysqlDeliveryVersion,
  MysqlBulkJobsUpdatedIndex,
];
export const SQLITE_MIGRATIONS = [
  SqliteInitial,
  SqliteDispatch,
  SqliteListeners,
  SqliteStoppedIndex,
  SqliteCircuitBreaker,
  SqliteOrderingIndex,
  SqliteDestinationLines,
  SqliteAttemptsCreatedIndex,
  SqliteDueBeforeLease,
  SqliteListenerTokenHash,
  SqliteTenants,
  SqliteEventTrace,
  SqliteTenantsUpdatedIndex,
  SqliteDestinationStats,
  SqliteBulkJobs,
  SqlitePayloadFormat,
  SqliteSyncRuns,
  SqliteListenerOptions,
  SqliteAttemptBodyRecipe,
  SqliteDeliveryVersion,
  SqliteBulkJobsUpdatedIndex,
];
