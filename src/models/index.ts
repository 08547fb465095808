/**
 * Sequelize models. The schema itself is owned by the migrations; these definitions map rows to
 * typed objects. `defineModels` binds them to one database connection.
 */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type Role = 'user' | 'admin';
export type Platform = 'slack' | 'discord';
export type FileStatus = 'queued' | 'processing' | 'done' | 'failed';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare username: string;
  declare username_key: string;
  declare email: string;
  declare password_hash: string;
  declare role: CreationOptional<Role>;
  declare disabled: CreationOptional<boolean>;
  declare feed_token: CreationOptional<string | null>;
  /** Created by a bot for a platform identity that never linked; merged away when it links. */
  declare auto_created: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class PlatformIdentity extends Model<InferAttributes<PlatformIdentity>, InferCreationAttributes<PlatformIdentity>> {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare platform: Platform;
  declare workspace_id: string;
  declare platform_user_id: string;
  declare display_name: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class UploadedFile extends Model<InferAttributes<UploadedFile>, InferCreationAttributes<UploadedFile>> {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare file_name: string;
  declare format: CreationOptional<string | null>;
  declare byte_size: number;
  declare sha256: string;
  declare content: Buffer;
  declare time_zone: CreationOptional<string | null>;
  declare message_count: CreationOptional<number | null>;
  declare todo_count: CreationOptional<number | null>;
  declare event_count: CreationOptional<number | null>;
  declare status: CreationOptional<FileStatus>;
  declare error: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare progress: CreationOptional<number | null>;
  declare job_id: CreationOptional<string | null>;
  declare origin_platform: CreationOptional<string | null>;
  declare origin_workspace_id: CreationOptional<string | null>;
  declare origin_channel_id: CreationOptional<string | null>;
  declare origin_thread_id: CreationOptional<string | null>;
  declare origin_message_id: CreationOptional<string | null>;
  declare processed_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class StoredMessage extends Model<InferAttributes<StoredMessage>, InferCreationAttributes<StoredMessage>> {
  declare id: CreationOptional<number>;
  declare file_id: ForeignKey<string>;
  declare position: number;
  declare platform_message_id: string;
  declare sent_at: Date;
  declare author_id: string;
  declare author_name: string;
  declare text: string;
  declare thread_parent_id: string | null;
  declare attachments: string | null;
  declare system: boolean;
}

interface EvidenceColumns {
  source_message_id: string | null;
  source_author: string | null;
  source_sent_at: Date | null;
  source_excerpt: string | null;
}

export class TodoItem extends Model<InferAttributes<TodoItem>, InferCreationAttributes<TodoItem>> implements EvidenceColumns {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare file_id: ForeignKey<string | null>;
  declare text: string;
  declare assignee: string | null;
  declare priority: 'LOW' | 'MEDIUM' | 'HIGH';
  declare due_at: Date | null;
  declare status: CreationOptional<'open' | 'done'>;
  declare extractor: string;
  declare source_message_id: string | null;
  declare source_author: string | null;
  declare source_sent_at: Date | null;
  declare source_excerpt: string | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class CalendarEvent extends Model<InferAttributes<CalendarEvent>, InferCreationAttributes<CalendarEvent>> implements EvidenceColumns {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare file_id: ForeignKey<string | null>;
  declare title: string;
  declare starts_at: Date | null;
  declare ends_at: Date | null;
  declare all_day: boolean;
  declare extractor: string;
  declare source_message_id: string | null;
  declare source_author: string | null;
  declare source_sent_at: Date | null;
  declare source_excerpt: string | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare ip: string | null;
  declare user_agent: string | null;
  declare expires_at: Date;
  declare revoked_at: CreationOptional<Date | null>;
  declare revoked_reason: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

export class RefreshToken extends Model<InferAttributes<RefreshToken>, InferCreationAttributes<RefreshToken>> {
  declare id: CreationOptional<string>;
  declare session_id: ForeignKey<string>;
  declare token_hash: string;
  declare expires_at: Date;
  declare used_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
}

export class PasswordResetToken extends Model<InferAttributes<PasswordResetToken>, InferCreationAttributes<PasswordResetToken>> {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare token_hash: string;
  declare expires_at: Date;
  declare used_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
}

export class AuditLog extends Model<InferAttributes<AuditLog>, InferCreationAttributes<AuditLog>> {
  declare id: CreationOptional<number>;
  declare actor_id: string | null;
  declare actor_username: string | null;
  declare action: string;
  declare target: string | null;
  declare ip: string | null;
  declare details: string | null;
  declare at: CreationOptional<Date>;
}

export class LinkCode extends Model<InferAttributes<LinkCode>, InferCreationAttributes<LinkCode>> {
  declare id: CreationOptional<string>;
  declare code_hash: string;
  declare user_id: CreationOptional<string | null>;
  declare platform: CreationOptional<string | null>;
  declare workspace_id: CreationOptional<string | null>;
  declare platform_user_id: CreationOptional<string | null>;
  declare expires_at: Date;
  declare used_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
}

export class ProcessedEvent extends Model<InferAttributes<ProcessedEvent>, InferCreationAttributes<ProcessedEvent>> {
  declare key: string;
  declare created_at: CreationOptional<Date>;
}

export class CachedExtraction extends Model<InferAttributes<CachedExtraction>, InferCreationAttributes<CachedExtraction>> {
  declare key: string;
  declare value: string;
  declare created_at: CreationOptional<Date>;
}

export class ChatTurn extends Model<InferAttributes<ChatTurn>, InferCreationAttributes<ChatTurn>> {
  declare id: CreationOptional<number>;
  declare user_id: ForeignKey<string>;
  declare file_id: ForeignKey<string>;
  declare conversation_id: string;
  declare role: 'user' | 'assistant';
  declare text: string;
  declare created_at: CreationOptional<Date>;
}

const uuid = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const evidence = {
  source_message_id: DataTypes.STRING(128),
  source_author: DataTypes.STRING(256),
  source_sent_at: DataTypes.DATE,
  source_excerpt: DataTypes.TEXT,
};
const stamps = { created_at: DataTypes.DATE, updated_at: DataTypes.DATE };

export interface Models {
  User: typeof User;
  PlatformIdentity: typeof PlatformIdentity;
  UploadedFile: typeof UploadedFile;
  StoredMessage: typeof StoredMessage;
  TodoItem: typeof TodoItem;
  CalendarEvent: typeof CalendarEvent;
  Session: typeof Session;
  RefreshToken: typeof RefreshToken;
  PasswordResetToken: typeof PasswordResetToken;
  AuditLog: typeof AuditLog;
  CachedExtraction: typeof CachedExtraction;
  ChatTurn: typeof ChatTurn;
  LinkCode: typeof LinkCode;
  ProcessedEvent: typeof ProcessedEvent;
}

/**
 * Binds the model classes to a connection. Sequelize models are bound to one connection at a time;
 * a process uses one database, so binding once at start-up is enough.
 */
export function defineModels(sequelize: Sequelize): Models {
  const opts = (tableName: string, timestamps: boolean | 'created' = true) => ({
    sequelize,
    tableName,
    underscored: true,
    timestamps: timestamps !== false,
    createdAt: timestamps !== false ? 'created_at' : false,
    updatedAt: timestamps === true ? 'updated_at' : false,
  });
  User.init(
    {
      id: uuid,
      username: { type: DataTypes.STRING(64), allowNull: false },
      username_key: { type: DataTypes.STRING(64), allowNull: false },
      email: { type: DataTypes.STRING(254), allowNull: false },
      password_hash: { type: DataTypes.STRING(128), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'user' },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      feed_token: { type: DataTypes.STRING(64), allowNull: true },
      auto_created: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...stamps,
    },
    opts('users'),
  );
  PlatformIdentity.init(
    {
      id: uuid,
      platform: { type: DataTypes.STRING(16), allowNull: false },
      workspace_id: { type: DataTypes.STRING(64), allowNull: false },
      platform_user_id: { type: DataTypes.STRING(64), allowNull: false },
      display_name: DataTypes.STRING(256),
      ...stamps,
    },
    opts('platform_identities'),
  );
  UploadedFile.init(
    {
      id: uuid,
      file_name: { type: DataTypes.STRING(512), allowNull: false },
      format: DataTypes.STRING(32),
      byte_size: { type: DataTypes.INTEGER, allowNull: false },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      content: { type: DataTypes.BLOB, allowNull: false },
      time_zone: DataTypes.STRING(64),
      message_count: DataTypes.INTEGER,
      todo_count: DataTypes.INTEGER,
      event_count: DataTypes.INTEGER,
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
      error: DataTypes.TEXT,
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      progress: DataTypes.INTEGER,
      job_id: DataTypes.STRING(64),
      origin_platform: DataTypes.STRING(16),
      origin_workspace_id: DataTypes.STRING(64),
      origin_channel_id: DataTypes.STRING(64),
      origin_thread_id: DataTypes.STRING(64),
      origin_message_id: DataTypes.STRING(64),
      processed_at: DataTypes.DATE,
      ...stamps,
    },
    { ...opts('uploaded_files'), defaultScope: { attributes: { exclude: ['content'] } }, scopes: { withContent: {} } },
  );
  StoredMessage.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      position: { type: DataTypes.INTEGER, allowNull: false },
      platform_message_id: { type: DataTypes.STRING(128), allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: false },
      author_id: { type: DataTypes.STRING(128), allowNull: false },
      author_name: { type: DataTypes.STRING(256), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      thread_parent_id: DataTypes.STRING(128),
      attachments: DataTypes.TEXT,
      system: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    opts('messages', false),
  );
  TodoItem.init(
    {
      id: uuid,
      text: { type: DataTypes.TEXT, allowNull: false },
      assignee: DataTypes.STRING(256),
      priority: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'MEDIUM' },
      due_at: DataTypes.DATE,
      status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
      extractor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'heuristic' },
      ...evidence,
      ...stamps,
    },
    opts('todo_items'),
  );
  CalendarEvent.init(
    {
      id: uuid,
      title: { type: DataTypes.TEXT, allowNull: false },
      starts_at: DataTypes.DATE,
      ends_at: DataTypes.DATE,
      all_day: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      extractor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'heuristic' },
      ...evidence,
      ...stamps,
    },
    opts('calendar_events'),
  );
  Session.init(
    {
      id: uuid,
      ip: DataTypes.STRING(64),
      user_agent: DataTypes.STRING(512),
      expires_at: { type: DataTypes.DATE, allowNull: false },
      revoked_at: DataTypes.DATE,
      revoked_reason: DataTypes.STRING(64),
      ...stamps,
    },
    opts('sessions'),
  );
  RefreshToken.init(
    {
      id: uuid,
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: DataTypes.DATE,
      created_at: DataTypes.DATE,
    },
    opts('refresh_tokens', 'created'),
  );
  PasswordResetToken.init(
    {
      id: uuid,
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: DataTypes.DATE,
      created_at: DataTypes.DATE,
    },
    opts('password_reset_tokens', 'created'),
  );
  AuditLog.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      actor_id: DataTypes.UUID,
      actor_username: DataTypes.STRING(64),
      action: { type: DataTypes.STRING(64), allowNull: false },
      target: DataTypes.STRING(256),
      ip: DataTypes.STRING(64),
      details: DataTypes.TEXT,
      at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    opts('audit_logs', false),
  );

  // Deletes cascade in the database itself (foreign keys ON DELETE CASCADE), not row by row here.
  CachedExtraction.init(
    { key: { type: DataTypes.STRING(256), primaryKey: true }, value: { type: DataTypes.TEXT, allowNull: false }, created_at: DataTypes.DATE },
    opts('extraction_cache', 'created'),
  );
  ChatTurn.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      conversation_id: { type: DataTypes.STRING(64), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      created_at: DataTypes.DATE,
    },
    opts('chat_turns', 'created'),
  );

  LinkCode.init(
    {
      id: uuid,
      code_hash: { type: DataTypes.STRING(64), allowNull: false },
      user_id: DataTypes.UUID,
      platform: DataTypes.STRING(16),
      workspace_id: DataTypes.STRING(64),
      platform_user_id: DataTypes.STRING(64),
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: DataTypes.DATE,
      created_at: DataTypes.DATE,
    },
    opts('link_codes', 'created'),
  );
  ProcessedEvent.init({ key: { type: DataTypes.STRING(191), primaryKey: true }, created_at: DataTypes.DATE }, opts('processed_events', 'created'));

  const cascade = { onDelete: 'CASCADE' as const };
  User.hasMany(PlatformIdentity, { foreignKey: 'user_id', ...cascade });
  PlatformIdentity.belongsTo(User, { foreignKey: 'user_id' });
  User.hasMany(UploadedFile, { foreignKey: 'user_id', ...cascade });
  UploadedFile.belongsTo(User, { foreignKey: 'user_id' });
  UploadedFile.hasMany(StoredMessage, { foreignKey: 'file_id', onDelete: 'CASCADE' });
  UploadedFile.hasMany(TodoItem, { foreignKey: 'file_id', onDelete: 'CASCADE' });
  UploadedFile.hasMany(CalendarEvent, { foreignKey: 'file_id', onDelete: 'CASCADE' });
  User.hasMany(TodoItem, { foreignKey: 'user_id', onDelete: 'CASCADE' });
  User.hasMany(CalendarEvent, { foreignKey: 'user_id', onDelete: 'CASCADE' });
  User.hasMany(Session, { foreignKey: 'user_id', onDelete: 'CASCADE' });
  Session.belongsTo(User, { foreignKey: 'user_id' });
  Session.hasMany(RefreshToken, { foreignKey: 'session_id', onDelete: 'CASCADE' });
  RefreshToken.belongsTo(Session, { foreignKey: 'session_id' });
  User.hasMany(PasswordResetToken, { foreignKey: 'user_id', onDelete: 'CASCADE' });
  User.hasMany(ChatTurn, { foreignKey: 'user_id', onDelete: 'CASCADE' });
  UploadedFile.hasMany(ChatTurn, { foreignKey: 'file_id', onDelete: 'CASCADE' });

  return { User, PlatformIdentity, UploadedFile, StoredMessage, TodoItem, CalendarEvent, Session, RefreshToken, PasswordResetToken, AuditLog, CachedExtraction, ChatTurn, LinkCode, ProcessedEvent };
}
