/**
 * The outbox relay as it runs in a jobs process: woken by the outbox trigger's NOTIFY (at commit
 * of any transaction that wrote events), it drains the outbox to the bus, so events leave within
 * moments. Wake-ups that arrive while it runs make it go round once more rather than run twice at
 * once; a failure is retried after a few seconds; a lost LISTEN connection is re-opened and the
 * relay runs once when it is back. Several jobs processes may each run one: relayBatch claims keys
 * with advisory locks, so none publishes what another is publishing.
 */
import { drainOutbox, listen, type Services } from '@goalpost/api';

export interface RunningRelay {
  /** Runs the relay now (or once more after the current run). */
  wake(): void;
  stop(): Promise<void>;
}

export function startRelay(services: Services): RunningRelay {
  const log = services.log.child({ component: 'outbox-relay' });
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let retry: ReturnType<typeof services.clock.timers.setTimeout> | null = null;

  const run = async () => {
    do {
      again = false;
      const started = performance.now();
      const published = await drainOutbox(services);
      if (published) log.info({ published, ms: Math.round(performance.now() - started) }, 'outbox relayed');
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch((error) => {
        log.error({ err: error }, 'outbox relay failed; retrying in 5 s');
        retry ??= services.clock.timers.setTimeout(() => {
          retry = null;
          wake();
        }, 5000);
      })
      .finally(() => {
        running = null;
      });
  };
  const listener = listen({
    connectionString: services.orm.config.get('clientUrl') as string,
    channel: 'outbox_events',
    log,
    onNotify: wake,
    // Each time LISTEN is in place (at start and after a lost connection), catch up on what
    // was committed while nobody listened.
    onListening: wake,
  });
  return {
    wake,
    async stop() {
      stopped = true;
      if (retry) services.clock.timers.clearTimeout(retry);
      await listener.close();
      await running;
    },
  };
}
