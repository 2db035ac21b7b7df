import { randomUUID } from 'node:crypto';
import type { Paginated } from '@helpdesk/http';
import { eventually } from '@helpdesk/testing';
import type { QueryRunner } from 'typeorm';
import { GIN_PENDING_LIST_LIMIT_KB } from '../migrations/1764900000000-bounded-gin-pending-lists';
import { SEARCH_DOCUMENT_VACUUM_SCALE_FACTOR } from '../migrations/1764910000000-search-documents-vacuumed-early';
import {
  startTicketService,
  type Member,
  type TicketServiceFixture,
} from '../test/ticket-service-fixture';

interface Hit {
  id: string;
  createdAt: string;
  highlight: string;
}

/**
 * What search answers besides who may see what (visibility-matrix.spec.ts):
 * best first, a total that counts every match once, pages that partition
 * the matches, and highlights.
 */
describe('search', () => {
  let service: TicketServiceFixture;
  let alice: Member; // requester
  let bob: Member; // another requester, same organization
  let agent: Member;
  let admin: Member;
  const http = () => service.http;

  const open = async (who: Member, title: string, description: string): Promise<Hit> =>
    (await http().post('/api/v1/tickets').set(who.auth).send({ title, description }).expect(201))
      .body;
  const comment = async (who: Member, ticket: { id: string }, body: string, internal = false) =>
    (
      await http()
        .post(`/api/v1/tickets/${ticket.id}/comments`)
        .set(who.auth)
        .send({ body, internal })
        .expect(201)
    ).body as Hit;
  const search = async <T = Hit>(
    who: Member,
    what: 'tickets' | 'comments',
    query: string,
  ): Promise<Paginated<T>> =>
    (await http().get(`/api/v1/search/${what}?${query}`).set(who.auth).expect(200)).body;
  const ids = (answer: Paginated<{ id: string }>) => answer.data.map((item) => item.id);
  /** Equal ranks: the newer first, then the greater id (the handlers' tie-break). */
  const newestFirst = (items: Hit[]) =>
    [...items]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map((item) => item.id);

  beforeAll(async () => {
    service = await startTicketService();
    const acme = await service.organization();
    alice = await acme.member('requester');
    bob = await acme.member('requester');
    agent = await acme.member('agent');
    admin = acme.admin;
  });
  afterAll(() => service?.close());

  describe('tickets', () => {
    const quokka: Record<string, Hit> = {};

    beforeAll(async () => {
      // Title (A) > description (B) > comment (C); a ticket's rank adds its comments'.
      quokka['title'] = await open(alice, 'Quokka feeder', 'Broken again');
      quokka['descriptionAndComment'] = await open(alice, 'Feeder', 'The quokka feeder is broken');
      await comment(alice, quokka['descriptionAndComment'], 'quokka again');
      quokka['description'] = await open(alice, 'Feeder two', 'A quokka ate it');
      // Found through a comment only: one public, one internal (staff only), equal ranks.
      quokka['publicComment'] = await open(alice, 'Gate', 'Stuck');
      await comment(alice, quokka['publicComment'], 'quokka nearby');
      quokka['internalComment'] = await open(alice, 'Gate two', 'Stuck');
      await comment(agent, quokka['internalComment'], 'quokka nearby', true);
    });

    it('ranks title matches over description matches over comment matches, ties newest first', async () => {
      const staff = await search(agent, 'tickets', 'q=quokka');
      expect(ids(staff)).toEqual([
        quokka['title']?.id,
        quokka['descriptionAndComment']?.id,
        quokka['description']?.id,
        ...newestFirst([quokka['publicComment'], quokka['internalComment']] as Hit[]),
      ]);
      expect(staff.pagination).toMatchObject({ total: 5, totalPages: 1, hasNext: false });
      // Alice never finds the ticket whose only match is an internal note.
      const own = await search(alice, 'tickets', 'q=quokka');
      expect(ids(own)).toEqual([
        quokka['title']?.id,
        quokka['descriptionAndComment']?.id,
        quokka['description']?.id,
        quokka['publicComment']?.id,
      ]);
      expect(own.pagination.total).toBe(4);
    });

    it('highlights the ticket’s own text, escaped, with <mark> — also when only a comment matched', async () => {
      const staff = await search(agent, 'tickets', 'q=quokka');
      const highlight = (ticket?: Hit) =>
        staff.data.find((hit) => hit.id === ticket?.id)?.highlight;
      expect(highlight(quokka['title'])).toBe('<mark>Quokka</mark> feeder\nBroken again');
      // ts_headline's own fragment choice (MaxFragments=2), as PostgreSQL 15 makes it.
      expect(highlight(quokka['description'])).toBe('Feeder two\nA <mark>quokka</mark>');
      expect(highlight(quokka['publicComment'])).toBe('Gate\nStuck');
    });

    it('counts a ticket once however many of its comments match', async () => {
      const ticket = await open(bob, 'Lamp', 'Flickers');
      for (const body of ['kakapo once', 'kakapo twice', 'kakapo thrice'])
        await comment(bob, ticket, body);
      const staff = await search(agent, 'tickets', 'q=kakapo');
      expect(ids(staff)).toEqual([ticket.id]);
      expect(staff.pagination.total).toBe(1);
    });

    it('pages partition the matches; every page, even one past the end, has the total', async () => {
      const alices: Hit[] = [];
      for (let i = 1; i <= 7; i += 1) alices.push(await open(alice, `Wombat ${i}`, 'Noisy'));
      const bobs = [await open(bob, 'Wombat b1', 'Noisy'), await open(bob, 'Wombat b2', 'Noisy')];

      const pages = async (who: Member, count: number) => {
        const answers: Paginated<Hit>[] = [];
        for (let page = 1; page <= count; page += 1)
          answers.push(await search(who, 'tickets', `q=wombat&limit=3&page=${page}`));
        return answers;
      };
      const staff = await pages(agent, 4);
      expect(staff.flatMap(ids)).toEqual(newestFirst([...alices, ...bobs]));
      expect(staff.map((answer) => answer.data.length)).toEqual([3, 3, 3, 0]);
      expect(staff.map((answer) => answer.pagination.total)).toEqual([9, 9, 9, 9]);
      expect(staff[3]?.pagination).toMatchObject({ totalPages: 3, hasNext: false, hasPrev: true });

      const own = await pages(alice, 4);
      expect(own.flatMap(ids)).toEqual(newestFirst(alices));
      expect(own.map((answer) => answer.data.length)).toEqual([3, 3, 1, 0]);
      // Past the end the total is still Alice's, not the organization's.
      expect(own.map((answer) => answer.pagination.total)).toEqual([7, 7, 7, 7]);
      expect(own[0]?.pagination).toMatchObject({ totalPages: 3, hasNext: true, hasPrev: false });
      expect((await search(bob, 'tickets', 'q=wombat&page=2')).pagination).toMatchObject({
        total: 2,
        hasPrev: true,
      });
    });

    it('searches what a ticket says now: its new title, not its old one; a deleted ticket not at all', async () => {
      const ticket = await open(alice, 'Platypus pump', 'Leaks');
      await http()
        .patch(`/api/v1/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ title: 'Echidna pump' })
        .expect(200);

      expect(ids(await search(agent, 'tickets', 'q=platypus'))).toEqual([]);
      expect(ids(await search(agent, 'tickets', 'q=echidna'))).toEqual([ticket.id]);
      expect(ids(await search(alice, 'tickets', 'q=echidna'))).toEqual([ticket.id]);

      await http().delete(`/api/v1/tickets/${ticket.id}`).set(admin.auth).expect(204);
      expect((await search(agent, 'tickets', 'q=echidna')).pagination.total).toBe(0);
    });

    it('keeps both of two comments written at once in the ticket’s document, whoever locks what', async () => {
      // Straight to the table, without the ticket lock the service takes
      // first: the triggers alone must not lose a concurrent comment.
      const ticket = await open(alice, 'Heater', 'Cold');
      const insertComment = (runner: QueryRunner, body: string) =>
        runner.query(
          `INSERT INTO comment (id, tenant_id, ticket_id, author_id, body, internal, created_at)
           SELECT $1, tenant_id, id, requester_id, $2, false, now() FROM ticket WHERE id = $3`,
          [randomUUID(), body, ticket.id],
        );
      const first = service.dataSource.createQueryRunner();
      const second = service.dataSource.createQueryRunner();
      try {
        await first.startTransaction();
        await second.startTransaction();
        await insertComment(first, 'bandicoot');
        const secondInsert = insertComment(second, 'bilby');
        await eventually(async () => {
          const [{ waiting }] = await service.dataSource.query(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'
                AND query LIKE 'INSERT INTO comment%'`,
          );
          expect(waiting).toBe(1);
        });
        await first.commitTransaction();
        await secondInsert;
        await second.commitTransaction();
      } finally {
        await first.release();
        await second.release();
      }

      expect(ids(await search(agent, 'tickets', 'q=bandicoot'))).toEqual([ticket.id]);
      expect(ids(await search(agent, 'tickets', 'q=bilby'))).toEqual([ticket.id]);
      expect(ids(await search(alice, 'tickets', 'q=bandicoot'))).toEqual([ticket.id]);
    });

    it('keeps every search document equal to one rebuilt from its ticket and comments', async () => {
      // After everything the tests above did: creates, comments (public and
      // internal), a new title, a delete. The triggers keep the documents;
      // this is what they must always amount to.
      const [drift] = await service.dataSource.query(`
        SELECT (SELECT count(*)::int FROM ticket) AS tickets,
               (SELECT count(*)::int FROM ticket_search) AS documents,
               count(*) FILTER (WHERE document.ticket_id IS NULL
                 OR document.tenant_id <> ticket.tenant_id
                 OR document.requester_id <> ticket.requester_id
                 OR document.created_at <> ticket.created_at
                 OR document.staff_text <> ticket.search || coalesce(comments.staff_text, '')
                 OR document.public_text <> ticket.search || coalesce(comments.public_text, ''))::int AS differing
          FROM ticket
          LEFT JOIN ticket_search document ON document.ticket_id = ticket.id
          LEFT JOIN LATERAL (
            SELECT tsvector_agg(search ORDER BY created_at, id) AS staff_text,
                   tsvector_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal) AS public_text
              FROM comment WHERE comment.ticket_id = ticket.id
          ) comments ON true`);
      expect(drift.tickets).toBeGreaterThan(10);
      expect(drift).toEqual({ tickets: drift.tickets, documents: drift.tickets, differing: 0 });
    });

    it('bounds the pending list of every GIN index, which each search scans whole', async () => {
      const indexes: Array<{ name: string; options: string[] | null }> = await service.dataSource
        .query(`
          SELECT index.relname AS name, index.reloptions AS options
            FROM pg_class index
            JOIN pg_am am ON am.oid = index.relam
            JOIN pg_namespace schema ON schema.oid = index.relnamespace
           WHERE am.amname = 'gin' AND schema.nspname = current_schema()
           ORDER BY name`);
      expect(indexes.length).toBeGreaterThanOrEqual(4);
      expect(indexes).toEqual(
        indexes.map(({ name }) => ({
          name,
          options: [`gin_pending_list_limit=${GIN_PENDING_LIST_LIMIT_KB}`],
        })),
      );
    });

    it('has the search documents vacuumed once 2 % of them changed, not 20 %', async () => {
      // Each comment leaves its document's old version dead, and a search visits dead candidates too.
      const [documents] = await service.dataSource.query(
        `SELECT reloptions AS options FROM pg_class WHERE oid = 'ticket_search'::regclass`,
      );
      expect(documents.options).toEqual(
        expect.arrayContaining([
          `autovacuum_vacuum_scale_factor=${SEARCH_DOCUMENT_VACUUM_SCALE_FACTOR}`,
          `autovacuum_vacuum_insert_scale_factor=${SEARCH_DOCUMENT_VACUUM_SCALE_FACTOR}`,
        ]),
      );
    });

    it('finds nothing, with a total of 0, for words no one wrote', async () => {
      const answer = await search(agent, 'tickets', 'q=xylophonic');
      expect(answer.data).toEqual([]);
      expect(answer.pagination).toMatchObject({ total: 0, totalPages: 0, hasNext: false });
      expect((await search(agent, 'tickets', 'q=xylophonic&page=3')).pagination.total).toBe(0);
    });
  });

  describe('comments', () => {
    const numbat: Record<string, Hit> = {};

    beforeAll(async () => {
      const ticket = await open(alice, 'Fence', 'Broken');
      numbat['once'] = await comment(alice, ticket, 'numbat one');
      numbat['twice'] = await comment(alice, ticket, 'numbat and numbat again');
      numbat['another'] = await comment(alice, ticket, 'numbat three');
      numbat['internal'] = await comment(agent, ticket, 'numbat internal', true);
      await comment(bob, await open(bob, 'Shed', 'Leaks'), 'numbat at bob');
    });

    it('ranks, counts and pages the comments the caller may see', async () => {
      const staff = await search(agent, 'comments', 'q=numbat');
      expect(ids(staff)[0]).toBe(numbat['twice']?.id);
      expect(staff.pagination.total).toBe(5);

      const pages: Paginated<Hit>[] = [];
      for (let page = 1; page <= 3; page += 1)
        pages.push(await search(alice, 'comments', `q=numbat&limit=2&page=${page}`));
      expect(pages.flatMap(ids)).toEqual([
        numbat['twice']?.id,
        ...newestFirst([numbat['once'], numbat['another']] as Hit[]),
      ]);
      expect(pages.map((answer) => answer.pagination.total)).toEqual([3, 3, 3]);
      expect(pages[2]?.data).toEqual([]);
    });

    it('highlights the comment body', async () => {
      const own = await search(alice, 'comments', 'q=numbat');
      const hit = own.data.find((item) => item.id === numbat['once']?.id);
      expect(hit?.highlight).toBe('<mark>numbat</mark>');
      const twice = own.data.find((item) => item.id === numbat['twice']?.id);
      expect(twice?.highlight).toContain('<mark>numbat</mark>');
    });
  });
});
