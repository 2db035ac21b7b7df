/** A service that serves in two workers: pid, and what its siblings announced. */
import * as http from 'node:http';
import { announceToSiblings, onSiblingAnnouncement, serveInWorkers } from '../workers';

void serveInWorkers(async () => {
  const heard: unknown[] = [];
  onSiblingAnnouncement('fixture', (payload) => heard.push(payload));
  const server = http.createServer((request, response) => {
    if (request.url === '/announce') announceToSiblings('fixture', `from ${process.pid}`);
    if (request.url === '/crash') setTimeout(() => process.exit(3), 10);
    response.setHeader('connection', 'close');
    response.end(JSON.stringify({ pid: process.pid, heard }));
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  await new Promise<void>((resolve) => server.listen(Number(process.env['PORT']), resolve));
}, 2);
