/**
 * Two workers, each with its own ListTotals: `/total` answers the cached
 * count (a per-worker counter stands in for the database), `/write` is a
 * committed change to the organization made through that worker.
 */
import 'reflect-metadata';
import * as http from 'node:http';
import { serveInWorkers } from '@helpdesk/http';
import { ListTotals } from '../list-totals';

void serveInWorkers(async () => {
  const totals = new ListTotals();
  let counted = 0;
  const server = http.createServer((request, response) => {
    void (async () => {
      if (request.url === '/write') totals.forget('org');
      const total = await totals.total('org', 'all', async () => ++counted);
      response.setHeader('connection', 'close');
      response.end(JSON.stringify({ pid: process.pid, total }));
    })();
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  await new Promise<void>((resolve) => server.listen(Number(process.env['PORT']), resolve));
}, 2);
