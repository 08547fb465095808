/**
 * Linking platform identities to accounts: one-time link codes, the mark on accounts the bots
 * created on first use, and the platform events already handled (Slack retries an event until it
 * is acknowledged; the key survives a restart so a late retry is still recognized).
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.addColumn('users', 'auto_created', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await q.createTable('link_codes', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    code_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    // Set for a code issued to an account (redeemed on a platform); null for one issued on a platform.
    user_id: { type: DataTypes.UUID, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    platform: { type: DataTypes.STRING(16), allowNull: true },
    workspace_id: { type: DataTypes.STRING(64), allowNull: true },
    platform_user_id: { type: DataTypes.STRING(64), allowNull: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('link_codes', ['expires_at']);
  await q.createTable('processed_events', {
    key: { type: DataTypes.STRING(191), primaryKey: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('processed_events', ['created_at']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('processed_events');
  await q.dropTable('link_codes');
  await q.removeColumn('users', 'auto_created');
}
