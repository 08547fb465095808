/** The initial schema: accounts, platform identities, uploads and everything extracted from them. */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
const fk = (table: string, allowNull = false) => ({
  type: DataTypes.UUID,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete: 'CASCADE',
  onUpdate: 'CASCADE',
});
const evidence = {
  source_message_id: { type: DataTypes.STRING(128), allowNull: true },
  source_author: { type: DataTypes.STRING(256), allowNull: true },
  source_sent_at: { type: DataTypes.DATE, allowNull: true },
  source_excerpt: { type: DataTypes.TEXT, allowNull: true },
};

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('users', {
    id,
    username: { type: DataTypes.STRING(64), allowNull: false },
    username_key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
    password_hash: { type: DataTypes.STRING(128), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'user' },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    feed_token: { type: DataTypes.STRING(64), allowNull: true, unique: true },
    ...timestamps,
  });
  await q.createTable('platform_identities', {
    id,
    user_id: fk('users'),
    platform: { type: DataTypes.STRING(16), allowNull: false },
    workspace_id: { type: DataTypes.STRING(64), allowNull: false },
    platform_user_id: { type: DataTypes.STRING(64), allowNull: false },
    display_name: { type: DataTypes.STRING(256), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('platform_identities', ['platform', 'workspace_id', 'platform_user_id'], {
    unique: true,
    name: 'platform_identities_identity',
  });
  await q.addIndex('platform_identities', ['user_id']);

  await q.createTable('uploaded_files', {
    id,
    user_id: fk('users'),
    file_name: { type: DataTypes.STRING(512), allowNull: false },
    format: { type: DataTypes.STRING(32), allowNull: true },
    byte_size: { type: DataTypes.INTEGER, allowNull: false },
    sha256: { type: DataTypes.STRING(64), allowNull: false },
    content: { type: DataTypes.BLOB, allowNull: false },
    time_zone: { type: DataTypes.STRING(64), allowNull: true },
    message_count: { type: DataTypes.INTEGER, allowNull: true },
    todo_count: { type: DataTypes.INTEGER, allowNull: true },
    event_count: { type: DataTypes.INTEGER, allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
    error: { type: DataTypes.TEXT, allowNull: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    progress: { type: DataTypes.INTEGER, allowNull: true },
    job_id: { type: DataTypes.STRING(64), allowNull: true },
    origin_platform: { type: DataTypes.STRING(16), allowNull: true },
    origin_workspace_id: { type: DataTypes.STRING(64), allowNull: true },
    origin_channel_id: { type: DataTypes.STRING(64), allowNull: true },
    origin_thread_id: { type: DataTypes.STRING(64), allowNull: true },
    origin_message_id: { type: DataTypes.STRING(64), allowNull: true },
    processed_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await q.addIndex('uploaded_files', ['user_id', 'sha256']);
  await q.addIndex('uploaded_files', ['status']);
  await q.addIndex('uploaded_files', ['created_at']);

  await q.createTable('messages', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    file_id: fk('uploaded_files'),
    position: { type: DataTypes.INTEGER, allowNull: false },
    platform_message_id: { type: DataTypes.STRING(128), allowNull: false },
    sent_at: { type: DataTypes.DATE, allowNull: false },
    author_id: { type: DataTypes.STRING(128), allowNull: false },
    author_name: { type: DataTypes.STRING(256), allowNull: false },
    text: { type: DataTypes.TEXT, allowNull: false },
    thread_parent_id: { type: DataTypes.STRING(128), allowNull: true },
    attachments: { type: DataTypes.TEXT, allowNull: true },
    system: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  await q.addIndex('messages', ['file_id', 'position'], { unique: true, name: 'messages_file_position' });
  await q.addIndex('messages', ['file_id', 'platform_message_id']);

  await q.createTable('todo_items', {
    id,
    user_id: fk('users'),
    file_id: fk('uploaded_files', true),
    text: { type: DataTypes.TEXT, allowNull: false },
    assignee: { type: DataTypes.STRING(256), allowNull: true },
    priority: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'MEDIUM' },
    due_at: { type: DataTypes.DATE, allowNull: true },
    status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
    extractor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'heuristic' },
    ...evidence,
    ...timestamps,
  });
  await q.addIndex('todo_items', ['user_id', 'status']);
  await q.addIndex('todo_items', ['file_id']);

  await q.createTable('calendar_events', {
    id,
    user_id: fk('users'),
    file_id: fk('uploaded_files', true),
    title: { type: DataTypes.TEXT, allowNull: false },
    starts_at: { type: DataTypes.DATE, allowNull: true },
    ends_at: { type: DataTypes.DATE, allowNull: true },
    all_day: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    extractor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'heuristic' },
    ...evidence,
    ...timestamps,
  });
  await q.addIndex('calendar_events', ['user_id', 'starts_at']);
  await q.addIndex('calendar_events', ['file_id']);

  await q.createTable('sessions', {
    id,
    user_id: fk('users'),
    ip: { type: DataTypes.STRING(64), allowNull: true },
    user_agent: { type: DataTypes.STRING(512), allowNull: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    revoked_reason: { type: DataTypes.STRING(64), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('sessions', ['user_id']);
  await q.createTable('refresh_tokens', {
    id,
    session_id: fk('sessions'),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('refresh_tokens', ['session_id']);
  await q.createTable('password_reset_tokens', {
    id,
    user_id: fk('users'),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.createTable('audit_logs', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    actor_id: { type: DataTypes.UUID, allowNull: true },
    actor_username: { type: DataTypes.STRING(64), allowNull: true },
    action: { type: DataTypes.STRING(64), allowNull: false },
    target: { type: DataTypes.STRING(256), allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
    details: { type: DataTypes.TEXT, allowNull: true },
    at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('audit_logs', ['at']);
  await q.addIndex('audit_logs', ['action']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'audit_logs',
    'password_reset_tokens',
    'refresh_tokens',
    'sessions',
    'calendar_events',
    'todo_items',
    'messages',
    'uploaded_files',
    'platform_identities',
    'users',
  ]) {
    await q.dropTable(table);
  }
}
