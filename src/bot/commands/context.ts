/** What every command receives: the services, the account acting, and the request. */
import type { ChatService } from '../../services/answers.js';
import type { ServiceContext } from '../../services/context.js';
import type { HistoryImportQueue } from '../../services/history-import.js';
import type { PlatformIdentityRef } from '../../services/linking.js';
import type { CommandRequest, PlatformActor } from './types.js';

export interface CommandServices {
  ctx: ServiceContext;
  /** Questions about a file (extractive, or Gemini when configured). */
  chat: ChatService;
  /** The history imports of the job queue, when the door has one (for `status`). */
  imports?: () => Partial<HistoryImportQueue> | undefined;
}

export interface CommandContext extends CommandServices {
  request: CommandRequest;
  /** The TeamSync account acting for the platform user (created on first use). */
  userId: string;
  autoCreated: boolean;
}

export const identityOf = (actor: PlatformActor): PlatformIdentityRef => ({
  platform: actor.platform,
  workspaceId: actor.workspaceId,
  userId: actor.userId,
  displayName: actor.displayName,
});
