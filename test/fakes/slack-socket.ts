/**
 * A fake Slack Socket Mode endpoint on 127.0.0.1, speaking Slack's envelope protocol to the real
 * @slack/socket-mode client (which Bolt uses with `socketMode: true`).
 *
 * Wire it to a fake Web API: `apps.connections.open` (called with the xapp- token) then hands out
 * `ws://127.0.0.1:PORT/link/?ticket=...&app_id=...`, one single-use ticket per call, like Slack.
 * On connect the server sends `{ type: 'hello', ... }`; `sendEnvelope` pushes an
 * `events_api` / `slash_commands` / `interactive` envelope and resolves with the client's ack
 * (`{ envelope_id, payload? }`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackApi } from './slack-api.js';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  envelopeId?: string;
  /** Redelivery metadata (events_api only), as Slack sets it on retries. */
  retryAttempt?: number;
  retryReason?: string;
  /** Defaults: true for slash_commands, false otherwise. */
  acceptsResponsePayload?: boolean;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  at: number;
}

export interface SentEnvelope {
  envelopeId: string;
  /** Resolves with the client's ack; rejects after `timeoutMs` (default 5000) without one. */
  ack(timeoutMs?: number): Promise<SocketAck>;
}

export interface FakeSlackSocketOptions {
  /** The fake Web API whose `apps.connections.open` should hand out this server's URL. */
  api?: FakeSlackApi;
  appId?: string;
  /** Accept connections without a ticket issued by `issueUrl()` (default false). */
  allowAnyTicket?: boolean;
}

export interface FakeSlackSocket {
  /** `ws://127.0.0.1:PORT`. */
  origin: string;
  /** A fresh connect URL with a single-use ticket (what `apps.connections.open` returns). */
  issueUrl(): string;
  /** Number of currently open client connections. */
  readonly connectionCount: number;
  /** Every connection ever accepted (its URL and when), in order. */
  connections: Array<{ url: string; at: number }>;
  /** Every message received from clients, parsed (acks are also in `acks`). */
  received: unknown[];
  acks: SocketAck[];
  /** Resolves once at least `count` connections are open and greeted with hello. */
  waitForConnection(count?: number, timeoutMs?: number): Promise<void>;
  sendEnvelope(envelope: EnvelopeInput): SentEnvelope;
  /** Resolves once every client connection has closed. */
  waitForNoConnection(timeoutMs?: number): Promise<void>;
  /** Sends `{ type: 'disconnect', reason }` to every client; the client reconnects through apps.connections.open. */
  sendDisconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Waits for open connections to close (closing them after a grace period), then stops the server. */
  close(): Promise<void>;
}

export async function startFakeSlackSocket(options: FakeSlackSocketOptions = {}): Promise<FakeSlackSocket> {
  const appId = options.appId ?? options.api?.appId ?? 'A0TEST';
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const connections: Array<{ url: string; at: number }> = [];
  const received: unknown[] = [];
  const acks: SocketAck[] = [];
  const ackWaiters = new Map<string, (ack: SocketAck) => void>();

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end('Upgrade Required');
  });
  const wss = new WebSocketServer({ noServer: true });

  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    const known = tickets.delete(ticket);
    if (url.pathname !== '/link/' && url.pathname !== '/link') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!known && !options.allowAnyTicket) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      connections.push({ url: req.url ?? '', at: Date.now() });
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          return;
        }
        received.push(message);
        if (message && typeof message === 'object' && 'envelope_id' in message) {
          const ack = { ...(message as { envelope_id: string; payload?: Record<string, unknown> }), at: Date.now() };
          acks.push(ack);
          ackWaiters.get(ack.envelope_id)?.(ack);
          ackWaiters.delete(ack.envelope_id);
        }
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: appId },
        }),
      );
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const issueUrl = (): string => {
    const ticket = randomUUID();
    tickets.add(ticket);
    return `${origin}/link/?ticket=${ticket}&app_id=${appId}`;
  };
  options.api?.setSocketModeUrlProvider(issueUrl);

  const broadcast = (message: unknown): void => {
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  };

  return {
    origin,
    issueUrl,
    get connectionCount() {
      return sockets.size;
    },
    connections,
    received,
    acks,
    async waitForConnection(count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sockets.size < count) {
        if (Date.now() > deadline) throw new Error(`Fewer than ${count} Socket Mode connections within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    sendEnvelope(input) {
      const envelopeId = input.envelopeId ?? randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload: input.payload,
        type: input.type,
        accepts_response_payload: input.acceptsResponsePayload ?? input.type === 'slash_commands',
      };
      if (input.type === 'events_api') {
        envelope.retry_attempt = input.retryAttempt ?? 0;
        envelope.retry_reason = input.retryReason ?? '';
      }
      const ackPromise = new Promise<SocketAck>((resolve) => {
        const existing = acks.find((a) => a.envelope_id === envelopeId);
        if (existing) resolve(existing);
        else ackWaiters.set(envelopeId, resolve);
      });
      if (sockets.size === 0) throw new Error('No Socket Mode client is connected');
      // Slack delivers each envelope on one connection.
      const [first] = sockets;
      first?.send(JSON.stringify(envelope));
      return {
        envelopeId,
        ack(timeoutMs = 5000) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`No ack for envelope ${envelopeId} within ${timeoutMs} ms`)), timeoutMs);
          });
          return Promise.race([ackPromise, timeout]).finally(() => clearTimeout(timer));
        },
      };
    },
    sendDisconnect(reason = 'refresh_requested') {
      broadcast({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    },
    async waitForNoConnection(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sockets.size > 0) {
        if (Date.now() > deadline) throw new Error(`Socket Mode connections still open after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      options.api?.setSocketModeUrlProvider(undefined);
      // Let closing handshakes the client started finish (Bolt's stop() resolves before they do),
      // then close the rest cleanly; a hard cut makes the client log a WebSocket error.
      await Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 1000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              if (ws.readyState === ws.OPEN) setTimeout(() => ws.readyState === ws.OPEN && ws.close(1001, 'server shutting down'), 100);
            }),
        ),
      );
      await new Promise<void>((resolve) => {
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/** A random id in Slack's envelope style, for tests that want to choose one. */
export function envelopeId(): string {
  return `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`;
}
