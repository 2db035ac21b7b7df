import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One search document per ticket: its own text and its comments' in one
 * vector, kept by the database.
 *
 * Search used to find a word in tickets and in comments separately, rank each
 * match where it was found and add the ranks up per ticket: two GIN scans, two
 * heap visits per matching comment and a grouping, ~12 ms of PostgreSQL for a
 * word in 2 % of 100,000 tickets. With the document, a search is one GIN scan
 * and one ranked row per ticket (~6 ms, measured on the same data).
 *
 * Two vectors, because what a document holds is who may read it: staff read
 * every comment, a requester never an internal one. Positions follow the
 * ticket's own text, then its comments oldest first, so a document rebuilt
 * from scratch equals the one kept up to date.
 *
 * tenant_id and requester_id mirror the ticket's, so the one visibility rule
 * (`onlyVisibleTickets`) applies to a document as it does to a ticket: the
 * composite foreign key ties the organization, the triggers the requester.
 */
/** Each change to comments and the transition table that holds the changed rows. */
const COMMENT_CHANGES = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
] as const;

export class TicketSearchDocuments1764800000000 implements MigrationInterface {
  name = 'TicketSearchDocuments1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE AGGREGATE tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')`);
    await queryRunner.query(`
      CREATE TABLE ticket_search (
        ticket_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        requester_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        staff_text tsvector NOT NULL,
        public_text tsvector NOT NULL,
        CONSTRAINT fk_ticket_search_ticket FOREIGN KEY (ticket_id, tenant_id)
          REFERENCES ticket (id, tenant_id) ON DELETE CASCADE
      )`);
    // Staff search every ticket of their organization by word; a requester's
    // few tickets are found by requester first, then matched.
    await queryRunner.query(
      'CREATE INDEX idx_ticket_search_tenant_staff_text ON ticket_search USING gin (tenant_id, staff_text)',
    );
    await queryRunner.query(
      'CREATE INDEX idx_ticket_search_tenant_requester ON ticket_search (tenant_id, requester_id)',
    );

    // Rebuilds the documents of some tickets from their rows. The documents
    // are locked first, in a statement of their own: a concurrent writer of the
    // same ticket (another comment) finishes before the rebuild starts, and
    // the rebuild, a new statement with a new snapshot, sees its rows. Were
    // the UPDATE to wait for the lock itself, it would rebuild from the rows
    // it saw before waiting and drop that writer's comment from the document.
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_refresh(tickets uuid[]) RETURNS void LANGUAGE sql AS $$
        SELECT 1 FROM ticket_search WHERE ticket_id = ANY (tickets) ORDER BY ticket_id FOR UPDATE;
        UPDATE ticket_search document
           SET requester_id = ticket.requester_id,
               staff_text = ticket.search || coalesce(comments.staff_text, ''),
               public_text = ticket.search || coalesce(comments.public_text, '')
          FROM ticket
          LEFT JOIN LATERAL (
            SELECT tsvector_agg(comment.search ORDER BY comment.created_at, comment.id) AS staff_text,
                   tsvector_agg(comment.search ORDER BY comment.created_at, comment.id)
                     FILTER (WHERE NOT comment.internal) AS public_text
              FROM comment WHERE comment.ticket_id = ticket.id
          ) comments ON true
         WHERE ticket.id = ANY (tickets) AND document.ticket_id = ticket.id
      $$`);

    // A new ticket has no comments yet: its document is its own text.
    // Statement triggers with transition tables: a multi-row insert (a group
    // commit, the seed) costs one statement, not one per row.
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_ticket_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ticket_search (ticket_id, tenant_id, requester_id, created_at, staff_text, public_text)
        SELECT id, tenant_id, requester_id, created_at, search, search FROM inserted;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_ticket_insert AFTER INSERT ON ticket
        REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_on_ticket_insert()`);

    // A changed title, description or requester. (Transition tables cannot
    // be combined with a column list, hence a row trigger, filtered.)
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_ticket_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ticket_search_refresh(ARRAY[NEW.id]);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_ticket_update AFTER UPDATE OF title, description, requester_id ON ticket
        FOR EACH ROW
        WHEN (OLD.search IS DISTINCT FROM NEW.search OR OLD.requester_id IS DISTINCT FROM NEW.requester_id)
        EXECUTE FUNCTION ticket_search_on_ticket_update()`);

    // Comments added, changed (body, internal) or removed: their tickets' documents are rebuilt.
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_comment_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ticket_search_refresh(ARRAY(SELECT DISTINCT ticket_id FROM changed));
        RETURN NULL;
      END $$`);
    for (const [event, rows] of COMMENT_CHANGES)
      await queryRunner.query(`
        CREATE TRIGGER ticket_search_on_comment_${event.toLowerCase()} AFTER ${event} ON comment
          REFERENCING ${rows} TABLE AS changed
          FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_on_comment_change()`);

    // The tickets there are.
    await queryRunner.query(`
      INSERT INTO ticket_search (ticket_id, tenant_id, requester_id, created_at, staff_text, public_text)
      SELECT ticket.id, ticket.tenant_id, ticket.requester_id, ticket.created_at,
             ticket.search || coalesce(comments.staff_text, ''),
             ticket.search || coalesce(comments.public_text, '')
        FROM ticket
        LEFT JOIN (
          SELECT ticket_id,
                 tsvector_agg(search ORDER BY created_at, id) AS staff_text,
                 tsvector_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal) AS public_text
            FROM comment GROUP BY ticket_id
        ) comments ON comments.ticket_id = ticket.id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [event] of COMMENT_CHANGES)
      await queryRunner.query(
        `DROP TRIGGER ticket_search_on_comment_${event.toLowerCase()} ON comment`,
      );
    await queryRunner.query('DROP TRIGGER ticket_search_on_ticket_update ON ticket');
    await queryRunner.query('DROP TRIGGER ticket_search_on_ticket_insert ON ticket');
    await queryRunner.query(
      'DROP FUNCTION ticket_search_on_comment_change, ticket_search_on_ticket_update, ticket_search_on_ticket_insert',
    );
    await queryRunner.query('DROP FUNCTION ticket_search_refresh');
    await queryRunner.query('DROP TABLE ticket_search');
    await queryRunner.query('DROP AGGREGATE tsvector_agg(tsvector)');
  }
}
