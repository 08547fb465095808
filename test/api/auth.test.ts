/** The account API end to end over HTTP, on a real SQLite file and a real PostgreSQL database. */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { createApi } from '../../src/api/app.js';
import type { ResetTokenDelivery } from '../../src/services/password-reset.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';

const PASSWORD = 'correct horse battery';

describe.each(DATABASE_KINDS)('auth API on %s', (kind) => {
  let services: TestServices;
  let api: TestServer;
  const resetTokens: Array<{ username: string; token: string }> = [];
  const delivery: ResetTokenDelivery = {
    name: 'test',
    async deliver(user, token) {
      resetTokens.push({ username: user.username, token });
      return true;
    },
  };

  beforeAll(async () => {
    services = await openTestServices(kind, { BODY_LIMIT_BYTES: '4096' });
    api = await serve(createApi(services, { resetDelivery: delivery }));
  });
  afterAll(async () => {
    await api?.close();
    await services?.dispose();
  });

  const register = (username: string, email = `${username}@example.com`, password = PASSWORD) =>
    api.request('POST', '/api/v1/auth/register', { body: { username, email, password } });
  const login = (username: string, password = PASSWORD) => api.request('POST', '/api/v1/auth/login', { body: { username, password } });
  const userCount = () => services.models.User.count();

  it('registers, logs in, answers /me and logs out; the logged-out token stops working', async () => {
    const reg = await register('ana');
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ token_type: 'bearer', user: { username: 'ana', email: 'ana@example.com', role: 'user' } });
    expect(typeof reg.body.refresh_token).toBe('string');

    const log = await login('ana');
    expect(log.status).toBe(200);
    const token = log.body.access_token as string;
    const me = await api.request('GET', '/api/v1/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(reg.body.user);
    expect(me.headers.get('x-request-id')).toMatch(/\S+/);

    expect((await api.request('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    const after = await api.request('GET', '/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    // The registration's own session is still open.
    expect((await api.request('GET', '/api/v1/auth/me', { token: reg.body.access_token })).status).toBe(200);
    // Logging out also ends the session's refresh token.
    expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: log.body.refresh_token } })).status).toBe(401);
  });

  it('logs in by email, case-insensitively', async () => {
    const r = await login('ANA@Example.com');
    expect(r.status).toBe(200);
    expect(r.body.user.username).toBe('ana');
  });

  it('rotates refresh tokens and revokes the whole family when a rotated one is reused', async () => {
    const first = await login('ana');
    const r1 = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await api.request('GET', '/api/v1/auth/me', { token: r1.body.access_token })).status).toBe(200);

    const reuse = await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    // The family is gone: the newest refresh token and the access token of the session fail too.
    expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: r1.body.refresh_token } })).status).toBe(401);
    expect((await api.request('GET', '/api/v1/auth/me', { token: r1.body.access_token })).status).toBe(401);
    const audit = await services.models.AuditLog.count({ where: { action: 'auth.refresh_reuse' } });
    expect(audit).toBe(1);
  });

  it('refuses tampered, foreign, unsigned and expired tokens', async () => {
    const good = (await login('ana')).body.access_token as string;
    const claims = jwt.decode(good) as jwt.JwtPayload;
    const [h, p] = good.split('.');
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const cases: Record<string, string> = {
      'alg none': `${noneHeader}.${p}.`,
      'wrong key': jwt.sign({ sid: claims.sid, role: 'admin' }, 'another-secret', { subject: claims.sub, issuer: 'teamsync', expiresIn: 60 }),
      'tampered payload': `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${good.split('.')[2]}`,
      expired: jwt.sign({ sid: claims.sid, role: 'user' }, services.config.secretKey, { subject: claims.sub, issuer: 'teamsync', expiresIn: -10 }),
      'unknown session': jwt.sign({ sid: '00000000-0000-4000-8000-000000000000', role: 'user' }, services.config.secretKey, { subject: claims.sub, issuer: 'teamsync', expiresIn: 60 }),
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await api.request('GET', '/api/v1/auth/me', { token });
      expect({ name, status: r.status, code: r.body?.error?.code }).toEqual({ name, status: 401, code: 'unauthorized' });
    }
    const missing = await api.request('GET', '/api/v1/auth/me');
    expect(missing.status).toBe(401);
  });

  it('answers 409 for a taken username or email, case-insensitively, and writes nothing', async () => {
    const before = await userCount();
    const dupName = await register('ANA', 'other@example.com');
    expect(dupName.status).toBe(409);
    expect(dupName.body.error.message).toBe('username is already taken');
    const dupEmail = await register('ana2', 'Ana@EXAMPLE.com');
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.body.error.details).toEqual([{ field: 'email', message: 'already taken' }]);
    expect(await userCount()).toBe(before);
  });

  it('rejects bad input with a clear error naming the field, and writes nothing', async () => {
    const before = await userCount();
    const malformed = await api.request('POST', '/api/v1/auth/register', { raw: '{"username": "bob",', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe('request body is not valid JSON');

    const wrongType = await api.request('POST', '/api/v1/auth/register', { body: { username: 42, email: 'bob@example.com', password: PASSWORD } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.details[0].field).toBe('username');

    const badEmail = await register('bob', 'not-an-email');
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.error.message).toBe('email: must be an email address');

    const weak = await register('bob', 'bob@example.com', 'short');
    expect(weak.status).toBe(422);
    expect(weak.body.error.message).toMatch(/^password must be at least 10 characters/);

    const unknownField = await api.request('POST', '/api/v1/auth/register', { body: { username: 'bob', email: 'bob@example.com', password: PASSWORD, role: 'admin' } });
    expect(unknownField.status).toBe(422);

    const oversized = await api.request('POST', '/api/v1/auth/register', { body: { username: 'bob', email: 'bob@example.com', password: 'x'.repeat(10000) } });
    expect(oversized.status).toBe(413);
    expect(oversized.body.error.code).toBe('payload_too_large');

    const notJson = await api.request('POST', '/api/v1/auth/register', { raw: 'username=bob', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(415);
    expect(await userCount()).toBe(before);
  });

  it('answers unknown routes with JSON 404 and leaks no stack traces', async () => {
    const r = await api.request('GET', '/api/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /api/v1/nothing-here' } });
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    await register('carla');
    const other = await login('carla');
    const mine = await login('carla');
    const wrong = await api.request('POST', '/api/v1/auth/password', { token: mine.body.access_token, body: { current_password: 'nope nope nope', new_password: 'a brand new secret' } });
    expect(wrong.status).toBe(422);
    const ok = await api.request('POST', '/api/v1/auth/password', { token: mine.body.access_token, body: { current_password: PASSWORD, new_password: 'a brand new secret' } });
    expect(ok.status).toBe(204);
    expect((await login('carla')).status).toBe(401);
    expect((await login('carla', 'a brand new secret')).status).toBe(200);
    expect((await api.request('GET', '/api/v1/auth/me', { token: other.body.access_token })).status).toBe(401);
    expect((await api.request('GET', '/api/v1/auth/me', { token: mine.body.access_token })).status).toBe(200);
  });

  it('resets a password with a single-use token without revealing whether the account exists', async () => {
    await register('dmitri');
    const known = await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: 'dmitri@example.com' } });
    const unknown = await api.request('POST', '/api/v1/auth/password-reset/request', { body: { email: 'nobody@example.com' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const sent = resetTokens.filter((t) => t.username === 'dmitri');
    expect(sent).toHaveLength(1);
    expect(resetTokens.some((t) => t.username === 'nobody')).toBe(false);

    const confirm = (token: string) => api.request('POST', '/api/v1/auth/password-reset/confirm', { body: { token, new_password: 'reset to this one' } });
    expect((await confirm('made-up-token')).status).toBe(422);
    expect((await confirm(sent[0]!.token)).status).toBe(204);
    const again = await confirm(sent[0]!.token);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toBe('reset token is invalid or expired');
    expect((await login('dmitri', 'reset to this one')).status).toBe(200);
  });

  it('keeps administration to administrators and audits it', async () => {
    const user = await register('erin');
    const userToken = user.body.access_token as string;
    for (const [method, path] of [['GET', '/api/v1/admin/users'], ['GET', '/api/v1/admin/audit'], ['DELETE', `/api/v1/admin/users/${user.body.user.id}`]] as const) {
      const r = await api.request(method, path, { token: userToken });
      expect({ path, status: r.status, code: r.body.error.code }).toEqual({ path, status: 403, code: 'forbidden' });
    }
    await register('root-admin');
    await services.models.User.update({ role: 'admin' }, { where: { username: 'root-admin' } });
    const admin = (await login('root-admin')).body.access_token as string;

    const list = await api.request('GET', '/api/v1/admin/users?search=eri', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['erin']);

    const disable = await api.request('POST', `/api/v1/admin/users/${user.body.user.id}/disable`, { token: admin });
    expect(disable.status).toBe(200);
    expect(disable.body.disabled).toBe(true);
    expect((await api.request('GET', '/api/v1/auth/me', { token: userToken })).status).toBe(401);
    expect((await login('erin')).status).toBe(401);
    expect((await api.request('POST', `/api/v1/admin/users/${user.body.user.id}/enable`, { token: admin })).status).toBe(200);
    expect((await login('erin')).status).toBe(200);

    const promote = await api.request('PATCH', `/api/v1/admin/users/${user.body.user.id}`, { token: admin, body: { role: 'admin' } });
    expect(promote.body.role).toBe('admin');

    const missing = await api.request('DELETE', '/api/v1/admin/users/00000000-0000-4000-8000-000000000000', { token: admin });
    expect(missing.status).toBe(404);
    const badId = await api.request('DELETE', '/api/v1/admin/users/42', { token: admin });
    expect(badId.status).toBe(422);

    // Deleting cascades to the account's sessions, tokens, identities and files.
    const u = await services.models.User.findByPk(user.body.user.id);
    await services.models.PlatformIdentity.create({ user_id: u!.id, platform: 'slack', workspace_id: 'T1', platform_user_id: 'U1' });
    const file = await services.models.UploadedFile.create({ user_id: u!.id, file_name: 'chat.txt', byte_size: 3, sha256: 'x'.repeat(64), content: Buffer.from('abc') });
    await services.models.TodoItem.create({ user_id: u!.id, file_id: file.id, text: 'Ship it', assignee: null, priority: 'HIGH', due_at: null, extractor: 'heuristic', source_message_id: '1', source_author: 'erin', source_sent_at: new Date(), source_excerpt: 'ship it' });
    const del = await api.request('DELETE', `/api/v1/admin/users/${u!.id}`, { token: admin });
    expect(del.status).toBe(204);
    expect(await services.models.Session.count({ where: { user_id: u!.id } })).toBe(0);
    expect(await services.models.PlatformIdentity.count({ where: { user_id: u!.id } })).toBe(0);
    expect(await services.models.UploadedFile.count({ where: { user_id: u!.id } })).toBe(0);
    expect(await services.models.TodoItem.count({ where: { user_id: u!.id } })).toBe(0);

    const audit = await api.request('GET', '/api/v1/admin/audit?limit=200', { token: admin });
    const actions = new Set(audit.body.items.map((a: { action: string }) => a.action));
    for (const a of ['auth.login', 'auth.login_failed', 'user.password_change', 'user.role_change', 'user.delete', 'user.disable']) {
      expect(actions).toContain(a);
    }
  });

  it('publishes the OpenAPI document built from the validating schemas, and the docs page', async () => {
    const doc = await api.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.3');
    const register = doc.body.paths['/api/v1/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RegisterRequest');
    expect(doc.body.components.schemas.RegisterRequest.required).toEqual(['username', 'email', 'password']);
    expect(doc.body.paths['/api/v1/admin/users/{id}'].delete.security).toEqual([{ bearer: [] }]);
    const page = await api.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/init.js');
    expect((await api.request('GET', '/docs/init.js')).text).toContain("url: '/openapi.json'");
    const asset = await api.request('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(asset.text.length).toBeGreaterThan(100000);
  });
});

describe('auth rate limits', () => {
  it('answers 429 with Retry-After once an account or an IP has used its budget', async () => {
    const services = await openTestServices('sqlite', { AUTH_RATE_LIMIT_PER_ACCOUNT: '3', AUTH_RATE_LIMIT_PER_IP: '5', AUTH_RATE_LIMIT_WINDOW_SECONDS: '60' });
    const api = await serve(createApi(services));
    try {
      const attempt = (username: string) => api.request('POST', '/api/v1/auth/login', { body: { username, password: 'wrong password here' } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt('victim')).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await attempt('victim');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.error.code).toBe('rate_limited');
      // The IP budget (5) is used up by now whatever the account.
      const other = await attempt('someone-else');
      expect(other.status).toBe(429);
    } finally {
      await api.close();
      await services.dispose();
    }
  });
});
