import {
  InMemoryNotificationChannel,
  type JobNotification,
  type JobStateNotification,
  type NotificationChannelConfig,
} from 'agenda';

const groups = new Map<string, Set<ProcessNotificationChannel>>();

/**
 * Agenda's in-memory channel, widened to every channel of one group in this process.
 *
 * An InMemoryNotificationChannel only reaches its own subscribers, and Agenda disconnects a
 * channel (dropping all its subscribers) when any instance using it stops. Giving each backend its
 * own channel and fanning publications out across the group lets an API that only enqueues and a
 * worker in the same process, each with its own backend on one SQLite file, wake each other at
 * once, and lets either stop without silencing the other.
 */
export class ProcessNotificationChannel extends InMemoryNotificationChannel {
  constructor(
    private readonly group: string,
    config?: NotificationChannelConfig,
  ) {
    super(config);
  }

  override async connect(): Promise<void> {
    await super.connect();
    let members = groups.get(this.group);
    if (!members) {
      members = new Set();
      groups.set(this.group, members);
    }
    members.add(this);
  }

  override async disconnect(): Promise<void> {
    const members = groups.get(this.group);
    members?.delete(this);
    if (members?.size === 0) groups.delete(this.group);
    await super.disconnect();
  }

  override async publish(notification: JobNotification): Promise<void> {
    if (this.state !== 'connected') throw new Error('Cannot publish: channel not connected');
    await Promise.all([...this.members()].map(member => member.notifyHandlers(notification)));
  }

  override async publishState(notification: JobStateNotification): Promise<void> {
    if (this.state !== 'connected') throw new Error('Cannot publish state: channel not connected');
    await Promise.all([...this.members()].map(member => member.notifyStateHandlers(notification)));
  }

  private members(): Set<ProcessNotificationChannel> {
    return groups.get(this.group) ?? new Set([this]);
  }
}
