import type { NotificationChannel } from 'agenda';

/**
 * A store's channel used for wake-ups alone: "a job is due" reaches idle workers at once, but the
 * job lifecycle (start, progress, success, fail, complete) is not broadcast.
 *
 * Agenda publishes every lifecycle step of every job to every process on the channel, so that
 * `agenda.on('success', ...)` fires in other processes too. Nothing here listens for another
 * process's lifecycle events: a job's state is read from the store (GET /api/v1/jobs/:id, the
 * admin views, the dashboard) and a worker tells the chat itself. Left on, each worker would send
 * several notifications per job and receive and decode every other worker's, work that grows
 * with the number of workers and took a third of a second worker's gain on a busy queue.
 */
export function wakeUpOnly(channel: NotificationChannel): NotificationChannel {
  return new Proxy(channel, {
    get(target, property) {
      if (property === 'publishState' || property === 'subscribeState') return undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has(target, property) {
      if (property === 'publishState' || property === 'subscribeState') return false;
      return Reflect.has(target, property);
    },
  });
}
