/** Cached model extraction results, the Q&A history, and per-user calendar feed tokens' index. */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('extraction_cache', {
    key: { type: DataTypes.STRING(256), primaryKey: true },
    value: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.createTable('chat_turns', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    file_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'uploaded_files', key: 'id' }, onDelete: 'CASCADE' },
    conversation_id: { type: DataTypes.STRING(64), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    text: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('chat_turns', ['user_id', 'conversation_id', 'id']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('chat_turns');
  await q.dropTable('extraction_cache');
}
