import type { AgendaBackend, JobLogger, JobRepository, NotificationChannel } from 'agenda';

/**
 * A backend whose storage comes from one system and whose wake-up channel from another, e.g.
 * MongoDB jobs with Redis pub/sub, so a saved job reaches idle workers at once instead of at
 * their next poll. Agenda connects and disconnects the channel itself in start()/stop().
 */
export function withNotificationChannel(backend: AgendaBackend, channel: NotificationChannel): AgendaBackend {
  return {
    get name(): string {
      return backend.name;
    },
    get repository(): JobRepository {
      return backend.repository;
    },
    get logger(): JobLogger | undefined {
      return backend.logger;
    },
    get ownsConnection(): boolean | undefined {
      return backend.ownsConnection;
    },
    notificationChannel: channel,
    connect: () => backend.connect(),
    disconnect: () => backend.disconnect(),
  };
}
