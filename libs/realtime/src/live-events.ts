import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { LiveEvent, LiveMessage, LiveRefresh, LiveSink } from './live-event';

const PENDING = 'liveEvents:pending';

interface Pending {
  depth: number;
  message: LiveMessage;
}

const depthOf = (queryRunner: QueryRunner) => (queryRunner as unknown as { transactionDepth: number }).transactionDepth ?? 1;

/**
 * Hands live events to the sinks only after the transaction that caused them commits; a rollback
 * drops them (never announce what did not happen). It is a TypeORM subscriber: events wait on the
 * transaction's query runner (`queryRunner.data`, which TypeORM keeps for subscribers) and
 * `afterTransactionCommit` of the outermost transaction sends them. Domain code only calls
 * `publishAfterCommit(em, …)` beside its writes, like `notify(em, …)` and `recordUsage(em, …)`; it
 * needs no injected service, and every app (API, worker, SIP2) that imports RealtimeModule gets the
 * same behaviour. Delivery is after the commit and at most once: the state is in the database and
 * clients read it again on reconnect.
 */
@Injectable()
export class LiveEvents implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger('LiveEvents');
  private readonly sinks = new Set<LiveSink>();
  private readonly refreshing = new Map<string, { again: LiveRefresh | null }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    if (!this.dataSource.subscribers.includes(this)) this.dataSource.subscribers.push(this);
  }

  attach(sink: LiveSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    const pending = runner.data?.[PENDING] as Pending[] | undefined;
    if (!pending?.length) return;
    if (runner.isTransactionActive) {
      // A savepoint released: what it queued now belongs to the enclosing level, and waits for the outer commit.
      const depth = depthOf(runner);
      for (const p of pending) p.depth = Math.min(p.depth, depth);
      return;
    }
    runner.data[PENDING] = [];
    this.dispatch(pending.map((p) => p.message));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    const pending = runner.data?.[PENDING] as Pending[] | undefined;
    if (!pending?.length) return;
    // A savepoint rolled back drops what was queued inside it; the whole transaction, everything.
    const depth = runner.isTransactionActive ? depthOf(runner) : 0;
    runner.data[PENDING] = pending.filter((p) => p.depth <= depth);
  }

  /** Sends now (already committed, or no transaction). Never throws: a live push is a courtesy, not a write. */
  dispatch(messages: LiveMessage[]): void {
    for (const message of messages) {
      if ('load' in message) this.refresh(message);
      else this.deliver(message);
    }
  }

  private deliver(event: LiveEvent): void {
    for (const sink of this.sinks) {
      try {
        void Promise.resolve(sink.deliver(event)).catch((e: Error) => this.logger.warn(`live event ${event.event} not delivered: ${e.message}`));
      } catch (e) {
        this.logger.warn(`live event ${event.event} not delivered: ${(e as Error).message}`);
      }
    }
  }

  private refresh(message: LiveRefresh): void {
    const running = this.refreshing.get(message.key);
    if (running) {
      running.again = message;
      return;
    }
    const state = { again: null as LiveRefresh | null };
    this.refreshing.set(message.key, state);
    void (async () => {
      let current: LiveRefresh | null = message;
      while (current) {
        state.again = null;
        try {
          const data = await current.load();
          if (data) this.deliver({ room: current.room, event: current.event, data });
        } catch (e) {
          this.logger.warn(`live refresh ${current.event} failed: ${(e as Error).message}`);
        }
        current = state.again;
      }
      this.refreshing.delete(message.key);
    })();
  }
}

/**
 * Queues live events on the caller's transaction; they leave when it commits. Outside a transaction
 * (or when no app wired the realtime module) they go at once, or nowhere.
 */
export function publishAfterCommit(em: EntityManager, ...messages: LiveMessage[]): void {
  const runner = em.queryRunner;
  if (runner?.isTransactionActive) {
    runner.data ??= {};
    const pending = ((runner.data[PENDING] as Pending[] | undefined) ??= []);
    const depth = depthOf(runner);
    for (const message of messages) pending.push({ depth, message });
    return;
  }
  const relay = em.connection.subscribers.find((s): s is LiveEvents => s instanceof LiveEvents);
  relay?.dispatch(messages);
}
