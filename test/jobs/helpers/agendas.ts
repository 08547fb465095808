import { Agenda, type AgendaBackend, type AgendaOptions } from 'agenda';
import { connectForEnqueueing } from '../../../src/jobs/store/index.js';
import type { StoreUnderTest } from './stores.js';

/**
 * Opens Agenda instances on a store for one test and closes all of them afterwards, whether they
 * ran as workers or only enqueued. Errors Agenda reports are collected for the test to check.
 */
export class AgendaHarness {
  readonly errors: Error[] = [];
  private readonly closers: (() => Promise<void>)[] = [];
  private count = 0;

  constructor(private readonly store: StoreUnderTest) {}

  /** A worker: defined jobs run once `start()` resolves. */
  async worker(options: Partial<Omit<AgendaOptions, 'backend'>> = {}, define?: (agenda: Agenda) => void): Promise<Agenda> {
    const agenda = this.open(options, await this.store.backend());
    define?.(agenda);
    await agenda.start();
    this.closers.push(() => agenda.stop());
    return agenda;
  }

  /** A process that saves jobs and never runs any (like the API), with its wake-up channel connected. */
  async enqueuer(): Promise<Agenda> {
    const backend = await this.store.backend();
    const agenda = this.open({}, backend);
    const connection = await connectForEnqueueing(agenda, backend);
    this.closers.push(() => connection.close());
    return agenda;
  }

  /** An Agenda that is not started (yet); `start()` it in the test if needed. */
  async idle(options: Partial<Omit<AgendaOptions, 'backend'>> = {}): Promise<Agenda> {
    const backend = await this.store.backend();
    const agenda = this.open(options, backend);
    await agenda.ready;
    this.closers.push(async () => {
      if (agenda.isActiveJobProcessor()) await agenda.stop();
      else if (backend.ownsConnection ?? true) await backend.disconnect();
    });
    return agenda;
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }

  private open(options: Partial<Omit<AgendaOptions, 'backend'>>, backend: AgendaBackend): Agenda {
    // A short default lock lifetime: Agenda keeps a timer of max(processEvery, lockLifetime) / 2
    // pending after every run, which would hold the test process open for minutes.
    const agenda = new Agenda({
      name: `test-${++this.count}`,
      processEvery: 200,
      defaultLockLifetime: 4000,
      ...options,
      backend,
    });
    agenda.on('error', error => this.errors.push(error));
    return agenda;
  }
}
