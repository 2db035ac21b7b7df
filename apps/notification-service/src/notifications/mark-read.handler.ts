import { NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import { InAppStore } from './in-app-store';

export class MarkNotificationReadCommand {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly notificationId: string,
  ) {}
}

/** Someone else's notification (or none) is 404, as if it did not exist. */
@CommandHandler(MarkNotificationReadCommand)
export class MarkNotificationReadHandler implements ICommandHandler<MarkNotificationReadCommand> {
  constructor(private readonly notifications: InAppStore) {}

  async execute({ tenantId, userId, notificationId }: MarkNotificationReadCommand): Promise<void> {
    if (
      !isUUID(notificationId) ||
      !(await this.notifications.markRead(tenantId, userId, notificationId))
    )
      throw new NotFoundException('Notification not found');
  }
}
