import {
  Column,
  CreateDateColumn,
  DataSource,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { createThrowawayDatabase, ThrowawayDatabase } from '../test-support/throwaway-database';
import { createDataSource } from './database-options';
import { snakeCase, SnakeNamingStrategy } from './snake-naming.strategy';

class PostalAddress {
  @Column({ type: 'text' })
  postalCode!: string;

  @Column({ type: 'text' })
  streetLine!: string;
}

@Entity()
class UserAccount {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  displayName!: string;
}

@Entity()
@Index(['tenantId', 'createdAt'])
class TicketComment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'boolean', default: false })
  isInternalNote!: boolean;

  @Column(() => PostalAddress)
  deliveryAddress!: PostalAddress;

  @ManyToOne(() => UserAccount)
  authorAccount!: UserAccount;

  @ManyToMany(() => UserAccount)
  @JoinTable()
  mentionedUsers!: UserAccount[];

  @CreateDateColumn()
  createdAt!: Date;
}

describe('SnakeNamingStrategy', () => {
  it('turns identifiers into snake_case', () => {
    expect(snakeCase('TicketComment')).toBe('ticket_comment');
    expect(snakeCase('isInternalNote')).toBe('is_internal_note');
    expect(snakeCase('HTTPRequestLog')).toBe('http_request_log');
    expect(snakeCase('userID')).toBe('user_id');
    expect(snakeCase('address2Line')).toBe('address2_line');
  });

  it('keeps generated names within PostgreSQL’s 63 characters and still distinct', () => {
    const strategy = new SnakeNamingStrategy();
    const table = 'a_very_long_table_name_for_notification_delivery_attempts';

    const first = strategy.indexName(table, ['tenant_id', 'webhook_subscription_id', 'created_at']);
    const second = strategy.indexName(table, [
      'tenant_id',
      'webhook_subscription_id',
      'updated_at',
    ]);

    expect(first.length).toBeLessThanOrEqual(63);
    expect(second.length).toBeLessThanOrEqual(63);
    expect(first).not.toBe(second);
  });

  describe('in a real schema', () => {
    let database: ThrowawayDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await createThrowawayDatabase();
      dataSource = createDataSource({
        serviceName: 'naming-service',
        entities: [TicketComment, UserAccount],
        migrations: [],
        env: { NAMING_SERVICE_DATABASE_URL: database.url },
      });
      await dataSource.initialize();
      // Builds the schema the way `migration:generate` would write it, so the names
      // checked here are the names generated migrations get.
      await dataSource.synchronize();
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    async function columnsOf(table: string): Promise<string[]> {
      const rows: Array<{ column_name: string }> = await dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
        [table],
      );
      return rows.map((row) => row.column_name);
    }

    it('names tables and columns, embedded ones and join columns included, in snake_case', async () => {
      expect(await columnsOf('ticket_comment')).toEqual([
        'author_account_id',
        'created_at',
        'delivery_address_postal_code',
        'delivery_address_street_line',
        'id',
        'is_internal_note',
        'tenant_id',
      ]);
      expect(await columnsOf('user_account')).toEqual(['display_name', 'id']);
    });

    it('names join tables and their columns in snake_case', async () => {
      expect(await columnsOf('ticket_comment_mentioned_users_user_account')).toEqual([
        'ticket_comment_id',
        'user_account_id',
      ]);
    });

    it('names constraints and indexes in snake_case', async () => {
      const constraints: Array<{ conname: string }> = await dataSource.query(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'ticket_comment'::regclass ORDER BY conname`,
      );
      const indexes: Array<{ indexname: string }> = await dataSource.query(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'ticket_comment' ORDER BY indexname`,
      );

      expect(constraints.map((row) => row.conname)).toEqual([
        'fk_ticket_comment_author_account_id',
        'pk_ticket_comment',
      ]);
      expect(indexes.map((row) => row.indexname)).toEqual([
        'idx_ticket_comment_created_at_tenant_id',
        'pk_ticket_comment',
      ]);
    });
  });
});
