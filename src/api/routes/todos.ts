/** /api/v1/agent/todos: the logged-in user's todos, filtered and paginated; edit and delete. */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServiceContext } from '../../services/context.js';
import { deleteTodo, listTodos, updateTodo } from '../../services/todos.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { defineRoute } from '../route.js';
import { TodoIdParams, TodoList, TodoListQuery, TodoOut, TodoPatchIn } from '../schemas/agent.js';

const PREFIX = '/api/v1/agent';

export function todoRoutes(services: ServiceContext, registry: OpenAPIRegistry): Router {
  const router = new Router({ prefix: PREFIX });
  const middleware = [authenticate(services)];
  const tags = ['todos'];
  const missing = { 404: { description: 'No such todo (or file) of this account' } };

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/todos', summary: 'List todos: by due date (undated last), then creation; keyset-paginated', tags, auth: true, query: TodoListQuery,
    responses: { 200: { description: 'A page of todos', schema: TodoList }, ...missing }, middleware,
  }, async (ctx, { query }) => {
    ctx.body = await listTodos(services, authOf(ctx.state).user.id, {
      fileId: query.file_id,
      status: query.status,
      priority: query.priority,
      assignee: query.assignee,
      dueBefore: query.due_before,
      dueAfter: query.due_after,
      limit: query.limit,
      cursor: query.cursor,
    });
  });

  defineRoute(router, registry, PREFIX, {
    method: 'patch', path: '/todos/:id', summary: 'Change a todo (status, priority, due date, assignee, text)', tags, auth: true, params: TodoIdParams, body: TodoPatchIn,
    responses: { 200: { description: 'The changed todo', schema: TodoOut }, ...missing }, middleware,
  }, async (ctx, { params, body }) => {
    ctx.body = await updateTodo(services, authOf(ctx.state).user.id, params.id, body);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'delete', path: '/todos/:id', summary: 'Delete a todo', tags, auth: true, params: TodoIdParams,
    responses: { 204: { description: 'Deleted' }, ...missing }, middleware,
  }, async (ctx, { params }) => {
    await deleteTodo(services, authOf(ctx.state).user.id, params.id);
    ctx.status = 204;
  });

  return router;
}
