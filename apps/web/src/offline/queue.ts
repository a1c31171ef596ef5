/**
 * The desk's offline queue, in IndexedDB (raw API; no wrapper library is installed): checkouts and
 * check-ins recorded while the network is down, each with its own time and an id made here, so the
 * upload can be retried without applying anything twice (the server keeps the id unique).
 */
export interface QueuedTransaction {
  clientId: string;
  type: 'checkout' | 'checkin';
  /** When the desk recorded it, ISO with offset. */
  at: string;
  cardNumber?: string;
  barcode: string;
  branchId: string;
  /** The mobile library's stop the desk was at. */
  stopId?: string;
}

/** The API's barcode rule: a record it would refuse must not enter the queue (it would hold up every upload). */
export const QUEUEABLE_BARCODE = /^[A-Za-z0-9-]{3,32}$/;

const DB = 'culture-offline';
const STORE = 'queue';
const CHANGED = 'culture-offline-queue';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function enqueue(record: Omit<QueuedTransaction, 'clientId' | 'at'>): Promise<QueuedTransaction> {
  const queued: QueuedTransaction = { ...record, clientId: crypto.randomUUID(), at: new Date().toISOString() };
  await run('readwrite', (store) => store.add(queued));
  window.dispatchEvent(new Event(CHANGED));
  return queued;
}

/** Everything queued, oldest first. */
export async function queued(): Promise<QueuedTransaction[]> {
  const all = (await run<QueuedTransaction[]>('readonly', (store) => store.getAll())) ?? [];
  return all.sort((a, b) => a.at.localeCompare(b.at));
}

export async function forget(clientIds: readonly string[]): Promise<void> {
  await run('readwrite', (store) => void clientIds.forEach((id) => store.delete(id)));
  window.dispatchEvent(new Event(CHANGED));
}

export function onQueueChange(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  return () => window.removeEventListener(CHANGED, listener);
}
