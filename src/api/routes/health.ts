/** /healthz: the process is up. /readyz: the database answers. */
import Router from '@koa/router';
import type { Sequelize } from 'sequelize';

export function healthRoutes(sequelize: Sequelize, extraChecks: Array<{ name: string; check: () => Promise<void> }> = []): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const { name, check } of [{ name: 'database', check: async () => void (await sequelize.query('SELECT 1')) }, ...extraChecks]) {
      try {
        await Promise.race([check(), new Promise((_, fail) => setTimeout(() => fail(new Error('timed out')), 2000).unref())]);
        checks[name] = 'ok';
      } catch (err) {
        ready = false;
        checks[name] = (err as Error).message;
      }
    }
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks };
  });
  return router;
}
