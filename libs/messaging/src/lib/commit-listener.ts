import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUTBOX_CHANNEL } from './messaging.options';

const RECONNECT_MS = 1_000;

/**
 * LISTENs for the NOTIFY an outbox write sends at commit, on a connection of its own (a pooled
 * one would lose it), and opens it again whenever it drops. `onCommit` is also called on every
 * (re)connect, for the commits made while nobody was listening.
 */
export class CommitListener {
  private readonly log = new Logger(CommitListener.name);
  private listening = false;
  private client?: Client;

  constructor(
    private readonly databaseUrl: string,
    private readonly onCommit: () => void,
  ) {}

  start(): void {
    this.listening = true;
    void this.listenUntilStopped();
  }

  /** Closes the connection, even one still connecting; the loop then ends by itself. */
  async stop(): Promise<void> {
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  private async listenUntilStopped(): Promise<void> {
    while (this.listening) {
      await this.listenOnce();
      if (this.listening) await sleep(RECONNECT_MS);
    }
  }

  /** Until this connection closes or fails. */
  private async listenOnce(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    this.client = client;
    const closed = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.on('end', () => resolve());
    });
    try {
      await client.connect();
      client.on('notification', () => this.onCommit());
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.onCommit();
      await closed;
    } catch (error) {
      if (this.listening) this.log.warn(`outbox listener: ${(error as Error).message}`);
    } finally {
      this.client = undefined;
      await client.end().catch(() => undefined);
    }
  }
}
