import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { databaseOptions, DatabaseServiceOptions } from './database-options';

/** A database that cannot be reached at boot fails the boot quickly; the orchestrator restarts the app. */
const CONNECT_RETRY_ATTEMPTS = 3;
const CONNECT_RETRY_DELAY_MS = 1_000;

@Module({})
export class DatabaseModule {
  /**
   * The service's TypeORM DataSource (injectable as `DataSource`), repositories
   * for `entities` (`@InjectRepository(Ticket)`), and `DatabaseHealthIndicator`,
   * available to every module of the app. Options are read when the app boots.
   */
  static forService(options: DatabaseServiceOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...databaseOptions(options),
            retryAttempts: CONNECT_RETRY_ATTEMPTS,
            retryDelay: CONNECT_RETRY_DELAY_MS,
          }),
        }),
        TypeOrmModule.forFeature([...options.entities]),
      ],
      providers: [DatabaseHealthIndicator],
      exports: [TypeOrmModule, DatabaseHealthIndicator],
    };
  }
}
