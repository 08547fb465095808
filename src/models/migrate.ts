/** Schema migrations (umzug). Listed here explicitly so they run the same from sources and from dist/. */
import { Umzug, SequelizeStorage } from 'umzug';
import type { Sequelize, QueryInterface } from 'sequelize';
import * as initial from './migrations/001-initial.js';
import * as extractionCacheAndAnswers from './migrations/002-extraction-cache-and-answers.js';
import * as linking from './migrations/003-linking.js';

type Step = { up: (p: { context: QueryInterface }) => Promise<void>; down: (p: { context: QueryInterface }) => Promise<void> };
const MIGRATIONS: Array<[string, Step]> = [
  ['001-initial', initial],
  ['002-extraction-cache-and-answers', extractionCacheAndAnswers],
  ['003-linking', linking],
];

function migrator(sequelize: Sequelize) {
  return new Umzug({
    migrations: MIGRATIONS.map(([name, step]) => ({ name, up: step.up, down: step.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const applied = await migrator(sequelize).up();
  return applied.map((m) => m.name);
}

export async function rollbackAll(sequelize: Sequelize): Promise<void> {
  await migrator(sequelize).down({ to: 0 });
}
