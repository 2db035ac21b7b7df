import type { IncomingMessage } from 'node:http';
import { startAuditService, type AuditServiceFixture } from '../test/audit-service-fixture';
import { EXPORT_BATCH } from './audit-log';

const HEADER =
  'id,organizationId,eventId,eventType,entityType,entityId,actorId,actorType,action,changes,ip,userAgent,correlationId,occurredAt';

/** Splits RFC 4180 text into rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('audit-service: GET /audit/export/csv', () => {
  let service: AuditServiceFixture;

  beforeAll(async () => {
    service = await startAuditService();
  });
  afterAll(() => service?.close());

  const exportCsv = (by: { auth: { Authorization: string } }, query = '') =>
    service.http
      .get(`/api/v1/audit/export/csv${query}`)
      .set(by.auth)
      .buffer(true)
      .parse((response, done) => {
        const stream = response as unknown as IncomingMessage;
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () =>
          done(null, { text: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length }),
        );
      });

  it('writes the entry’s fields, RFC 4180-quoted, formulas neutralised, changes as JSON', async () => {
    const acme = service.organization();
    const [id] = await service.insertEntries([
      {
        tenantId: acme.id,
        entityId: '=HYPERLINK("http://evil.test","click")',
        actorId: '+cmd|calc',
        action: '-1',
        eventType: '@SUM(A1)',
        ip: '\t10.0.0.1',
        userAgent: 'Agent, with "quotes"\r\nand a line break',
        correlationId: '\rcr',
        changes: { title: { from: 'a,b', to: '=1+1' } },
        occurredAt: '2026-01-15T12:00:00.000Z',
      },
    ]);
    service.organization(); // nothing of another organization
    const response = await exportCsv(acme.manager, '?from=2026-01-01').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const { text } = response.body as { text: string };
    expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
    // The raw line: every dangerous cell prefixed, quoted where needed, quotes doubled.
    expect(text).toContain(
      `,'@SUM(A1),ticket,"'=HYPERLINK(""http://evil.test"",""click"")",'+cmd|calc,user,'-1,` +
        // jsonb keeps keys shortest first
        `"{""title"":{""to"":""=1+1"",""from"":""a,b""}}",'\t10.0.0.1,` +
        `"Agent, with ""quotes""\r\nand a line break","'\rcr",2026-01-15T12:00:00.000Z\r\n`,
    );
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(HEADER.split(','));
    const cells = Object.fromEntries(rows[0].map((name, index) => [name, rows[1][index]]));
    expect(cells).toMatchObject({
      id,
      organizationId: acme.id,
      entityId: `'=HYPERLINK("http://evil.test","click")`,
      actorId: "'+cmd|calc",
      action: "'-1",
      eventType: "'@SUM(A1)",
      ip: "'\t10.0.0.1",
      userAgent: 'Agent, with "quotes"\r\nand a line break',
      correlationId: "'\rcr",
      occurredAt: '2026-01-15T12:00:00.000Z',
    });
    expect(JSON.parse(cells['changes'])).toEqual({ title: { from: 'a,b', to: '=1+1' } });

    // Filters apply; a filter matching nothing gives the header alone.
    const none = await exportCsv(acme.manager, '?action=created').expect(200);
    expect((none.body as { text: string }).text).toBe(`${HEADER}\r\n`);
  });

  it('streams 20,000 entries in many chunks, newest first, each once', async () => {
    const big = service.organization();
    const total = 20 * EXPORT_BATCH;
    await service.insertMany(big.id, total, new Date('2026-03-01T00:00:00.000Z'));
    await service.insertMany(service.organization().id, 500);
    const response = await exportCsv(big.admin).expect(200);
    // Streamed: chunked transfer, no length known in advance, many writes.
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    const { text, chunks } = response.body as { text: string; chunks: number };
    expect(chunks).toBeGreaterThanOrEqual(total / EXPORT_BATCH);
    const lines = text.split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(total + 1);
    const rows = lines.slice(1).map((line) => parseCsv(`${line}\r\n`)[0]);
    expect(new Set(rows.map((row) => row[0])).size).toBe(total);
    expect(rows.every((row) => row[1] === big.id)).toBe(true);
    const times = rows.map((row) => Date.parse(row[13]));
    expect(times.every((time, index) => index === 0 || times[index - 1] >= time)).toBe(true);
    // bulk-1 is the newest (1 ms before the reference), bulk-20000 the oldest.
    expect(rows[0][5]).toBe('bulk-1');
    expect(rows[total - 1][5]).toBe(`bulk-${total}`);
  });
});
