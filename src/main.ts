/** `npm start`: reads the configuration, migrates the database and serves until SIGTERM/SIGINT. */
import { ConfigError, loadConfig } from '../config/index.js';
import { startServer } from './server.js';

try {
  const config = loadConfig();
  const running = await startServer(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        (err) => {
          running.services.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`teamsync: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
