import { Module } from '@nestjs/common';
import { AuditRetention } from './audit-retention';
import { UpdateRetentionHandler } from './commands/update-retention.handler';
import { GetRetentionHandler } from './queries/get-retention.handler';
import { RetentionController } from './retention.controller';
import { RetentionJob } from './retention-job';

/** `GET, PUT /audit/retention` and the daily job that applies it. */
@Module({
  controllers: [RetentionController],
  providers: [AuditRetention, GetRetentionHandler, UpdateRetentionHandler, RetentionJob],
})
export class RetentionModule {}
