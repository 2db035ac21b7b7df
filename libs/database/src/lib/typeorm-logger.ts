import { Logger } from '@nestjs/common';
import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';

type LogInput = LogMessage | string | number | (LogMessage | string | number)[];

/**
 * Sends TypeORM's messages through Nest's Logger — in an app, the structured
 * JSON logger — instead of bare console lines. Query parameters are left out:
 * they can carry personal data and secrets.
 */
export class NestTypeOrmLogger extends AbstractLogger {
  private readonly logger = new Logger('TypeORM');

  protected writeLog(level: LogLevel, logMessage: LogInput, queryRunner?: QueryRunner): void {
    const messages = this.prepareLogMessages(
      logMessage,
      {
        highlightSql: false,
        formatSql: false,
        appendParameterAsComment: false,
        addColonToPrefix: true,
      },
      queryRunner,
    );
    for (const { prefix, message } of messages) {
      const text = prefix ? `${prefix} ${message}` : String(message);
      if (level === 'error') this.logger.error(text);
      else if (level === 'warn') this.logger.warn(text);
      else if (level === 'query') this.logger.debug(text);
      else this.logger.log(text);
    }
  }
}
