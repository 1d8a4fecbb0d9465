import { DynamicModule, FactoryProvider, Module } from '@nestjs/common';
import { DATABASE, DATABASE_OPTIONS, DatabaseOptions } from './database.options';
import { DatabaseService } from './database.service';

export interface PersistenceModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...args: any[]) => DatabaseOptions | Promise<DatabaseOptions>;
}

/** Provides `DATABASE` (a drizzle database over the service's pool) and `DatabaseService`. */
@Module({})
export class PersistenceModule {
  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: DATABASE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        DatabaseService,
        {
          provide: DATABASE,
          useFactory: (service: DatabaseService) => service.db,
          inject: [DatabaseService],
        },
      ],
      exports: [DATABASE_OPTIONS, DATABASE, DatabaseService],
    };
  }
}
