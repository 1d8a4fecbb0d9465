import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import { createPool } from './create-pool';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATABASE_OPTIONS, DatabaseOptions } from './database.options';
import { Database } from './database.types';
import { ensureDatabase } from './ensure-database';
import { isConnectionError } from './connection-errors';
import { runMigrations } from './run-migrations';

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

/**
 * The service's own PostgreSQL database: created and migrated on start-up, then shared
 * through one connection pool.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(DatabaseService.name);
  readonly pool: Pool;
  readonly db: Database;

  constructor(@Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions) {
    this.pool = createPool({
      url: options.url,
      max: options.poolSize,
      onConnectionLost: (error) => this.log.warn(`database connection lost: ${error.message}`),
    });
    this.db = drizzle({ client: this.pool });
  }

  async onModuleInit(): Promise<void> {
    const deadline = Date.now() + (this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await ensureDatabase(this.options.url);
        if (created === 'created')
          this.log.log(`created database ${databaseName(this.options.url)}`);
        await runMigrations(this.options.url, this.options.migrationsFolder);
        this.log.log(`database ${databaseName(this.options.url)} is migrated`);
        return;
      } catch (error) {
        if (Date.now() > deadline || !isConnectionError(error)) throw error;
        this.log.warn(`database not reachable (${(error as Error).message}); retry ${attempt}`);
        await sleep(Math.min(5_000, 250 * 2 ** attempt));
      }
    }
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}
