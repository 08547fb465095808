/** What every use-case needs: configuration, the database and a logger. Built once at start-up. */
import type { Sequelize } from 'sequelize';
import type { Config } from '../../config/index.js';
import type { Logger } from '../logger.js';
import type { Models } from '../models/index.js';

export interface ServiceContext {
  config: Config;
  sequelize: Sequelize;
  models: Models;
  logger: Logger;
  /** The clock, replaceable in tests. */
  now: () => Date;
}
