import { csvCell, csvLine, CSV_HEADER } from './csv';

describe('CSV cells (RFC 4180, formulas neutralised)', () => {
  it('leaves plain text alone and writes null as an empty cell', () => {
    expect(csvCell('ticket')).toBe('ticket');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes cells with a quote, comma, CR or LF and doubles the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('line\r\nbreak')).toBe('"line\r\nbreak"');
  });

  it("prefixes a cell starting with =, +, -, @, tab or CR with '", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes objects as JSON', () => {
    expect(csvCell({ status: { from: 'open', to: 'closed' } })).toBe(
      '"{""status"":{""from"":""open"",""to"":""closed""}}"',
    );
  });

  it('ends lines with CRLF and names the entry’s fields in the header', () => {
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
    expect(CSV_HEADER).toBe(
      'id,organizationId,eventId,eventType,entityType,entityId,actorId,actorType,action,changes,ip,userAgent,correlationId,occurredAt\r\n',
    );
  });
});
