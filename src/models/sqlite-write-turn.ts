/** Turns for writing to an SQLite file, shared by everything in this process that writes to it. */

/**
 * One write transaction at a time per database file in this process. node-sqlite3 runs statements
 * on libuv's small thread pool and SQLite's busy handler sleeps on those threads: with several
 * transactions waiting for the write lock, they occupy every thread and the holder's COMMIT can no
 * longer run. Waiting here, on the event loop, leaves the threads free; other processes are still
 * kept in line by the busy timeout.
 */
const writeTurns = new Map<string, Promise<void>>();
const TRANSACTION_WAIT_MS = 60_000;

export async function takeWriteTurn(storage: string): Promise<() => void> {
  const previous = writeTurns.get(storage) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  writeTurns.set(storage, tail);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      previous,
      new Promise((_, fail) => {
        timer = setTimeout(() => fail(new Error(`waited ${TRANSACTION_WAIT_MS} ms for a transaction on ${storage} (a write started inside a transaction?)`)), TRANSACTION_WAIT_MS);
      }),
    ]);
  } catch (err) {
    release();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return () => {
    release();
    if (writeTurns.get(storage) === tail) writeTurns.delete(storage);
  };
}

/**
 * Runs a write that does not go through a Sequelize transaction (the job store's statements) on
 * this process's write turn for the database file, so that it waits on the event loop rather than
 * in SQLite's busy handler on one of libuv's few threads while a transaction holds the lock.
 */
export async function withSqliteWriteTurn<T>(storage: string, work: () => Promise<T>): Promise<T> {
  const giveBack = await takeWriteTurn(storage);
  try {
    return await work();
  } finally {
    giveBack();
  }
}
