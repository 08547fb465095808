/**
 * A PostgreSQL server that ends a connection right after accepting it: the FATAL message comes in
 * the same packet as ReadyForQuery (what `pg_terminate_backend` or a restart can do to a fresh
 * connection). The error must reach the caller as a failed query, not end the process as an
 * `error` event nobody listens to.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { openDatabase } from '../../src/models/database.js';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstrings = (...parts: string[]) => Buffer.from(parts.map((p) => `${p}\0`).join(''), 'utf8');

/** AuthenticationOk, server_version, ReadyForQuery and then FATAL 57P01, in one write. */
const ACCEPT_THEN_TERMINATE = Buffer.concat([
  message('R', int32(0)),
  message('S', cstrings('server_version', '15.0')),
  message('Z', Buffer.from('I')),
  message('E', Buffer.concat([cstrings('SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'), Buffer.from([0])])),
]);

let server: Server;
let port = 0;
let accepted = 0;

beforeAll(async () => {
  server = createServer((socket: Socket) => {
    accepted++;
    socket.once('data', () => {
      // The startup message has arrived: accept the connection and end it at once.
      socket.end(ACCEPT_THEN_TERMINATE);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a connection the server ends as soon as it is made', () => {
  it('fails the connection attempt with the reason instead of an unhandled error event', async () => {
    const uncaught: Error[] = [];
    const onUncaught = (err: Error) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(openDatabase(`postgres://teamsync@127.0.0.1:${port}/teamsync`)).rejects.toThrow(/terminat|not queryable|Connection/i);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(accepted).toBeGreaterThan(0);
    expect(uncaught).toEqual([]);
  });
});
