// Database work per order, from PostgreSQL's own counters: transactions and rows per service
// database, and WAL flushes (each one an fsync a commit may wait for). Counters are flushed by
// backends at most once a second, hence the pause before each snapshot.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const STATS_FLUSH_MS = 1_200;

async function snapshot(adminUrl, databases) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT datname, xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched
         FROM pg_stat_database WHERE datname = ANY($1)`,
      [databases],
    );
    // Cluster-wide: other databases' commits flush WAL too.
    const wal = await client
      .query('SELECT wal_records, wal_bytes, wal_write, wal_sync FROM pg_stat_wal')
      .then((result) => result.rows[0])
      .catch(() => undefined);
    return { databases: Object.fromEntries(rows.map((row) => [row.datname, row])), wal };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPgActivity(adminUrl, databases) {
  await sleep(STATS_FLUSH_MS);
  const before = await snapshot(adminUrl, databases);
  return {
    /** Per database, per order: commits, rollbacks and rows; plus cluster-wide WAL flushes. */
    async stop(orders) {
      await sleep(STATS_FLUSH_MS);
      const after = await snapshot(adminUrl, databases);
      const per = (a, b) => (Number(a) - Number(b)) / orders;
      const perDatabase = {};
      for (const name of databases) {
        const [end, start] = [after.databases[name], before.databases[name]];
        if (!end || !start) continue;
        perDatabase[name] = {
          commits: per(end.xact_commit, start.xact_commit),
          rollbacks: per(end.xact_rollback, start.xact_rollback),
          rowsInserted: per(end.tup_inserted, start.tup_inserted),
          rowsUpdated: per(end.tup_updated, start.tup_updated),
          rowsDeleted: per(end.tup_deleted, start.tup_deleted),
        };
      }
      const wal =
        after.wal && before.wal
          ? {
              records: per(after.wal.wal_records, before.wal.wal_records),
              bytes: per(after.wal.wal_bytes, before.wal.wal_bytes),
              syncs: per(after.wal.wal_sync, before.wal.wal_sync),
            }
          : undefined;
      return { perOrder: perDatabase, walPerOrderClusterWide: wal };
    },
  };
}
