/** Opens what every process needs: configuration, logger, database (migrated) and models. */
import type { Config } from '../config/index.js';
import { createLogger, type Logger } from './logger.js';
import { openDatabase } from './models/database.js';
import { defineModels } from './models/index.js';
import { migrate } from './models/migrate.js';
import type { ServiceContext } from './services/context.js';

export interface Opened extends ServiceContext {
  close(): Promise<void>;
}

export async function openServices(config: Config, options: { logger?: Logger; migrate?: boolean } = {}): Promise<Opened> {
  const logger = options.logger ?? createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);
  const sequelize = await openDatabase(config.databaseUrl, logger);
  if (options.migrate !== false) {
    const applied = await migrate(sequelize);
    if (applied.length) logger.info({ applied }, 'database migrated');
  }
  const models = defineModels(sequelize);
  return {
    config,
    sequelize,
    models,
    logger,
    now: () => new Date(),
    close: () => sequelize.close(),
  };
}
