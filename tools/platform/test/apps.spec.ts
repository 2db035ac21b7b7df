import fs from 'node:fs';
import path from 'node:path';
import { databaseUrlFor, discoverApps } from '../lib/apps';
import { removeDir, scratchDir } from './support';

const registry = [
  { name: 'ticket-service', port: 3002, database: 'helpdesk_ticket' },
  { name: 'user-service', port: 3001, database: 'helpdesk_user', seed: true },
];

function writeProject(appsDir: string, directory: string, project: unknown): void {
  fs.mkdirSync(path.join(appsDir, directory), { recursive: true });
  fs.writeFileSync(path.join(appsDir, directory, 'project.json'), JSON.stringify(project));
}

describe('app discovery (apps/*/project.json tagged type:app)', () => {
  let appsDir: string;

  beforeEach(() => {
    appsDir = scratchDir('platform-apps');
  });

  afterEach(() => removeDir(appsDir));

  it('finds every project tagged type:app, with its registry port and database, in name order', () => {
    writeProject(appsDir, 'user-service', {
      name: 'user-service',
      tags: ['scope:user', 'type:app'],
    });
    writeProject(appsDir, 'ticket-service', {
      name: 'ticket-service',
      tags: ['type:app', 'scope:ticket'],
    });

    const apps = discoverApps({ appsDir, services: registry });

    expect(apps).toEqual([
      {
        name: 'ticket-service',
        root: path.join(appsDir, 'ticket-service'),
        port: 3002,
        database: 'helpdesk_ticket',
        databaseUrlVariable: 'TICKET_SERVICE_DATABASE_URL',
        seed: false,
        workers: 1,
      },
      {
        name: 'user-service',
        root: path.join(appsDir, 'user-service'),
        port: 3001,
        database: 'helpdesk_user',
        databaseUrlVariable: 'USER_SERVICE_DATABASE_URL',
        seed: true,
        workers: 1,
      },
    ]);
  });

  it("runs an app in the registry's number of workers, one by default", () => {
    writeProject(appsDir, 'ticket-service', { name: 'ticket-service', tags: ['type:app'] });
    writeProject(appsDir, 'user-service', { name: 'user-service', tags: ['type:app'] });
    const services = registry.map((service) =>
      service.name === 'ticket-service' ? { ...service, workers: 2 } : service,
    );

    expect(discoverApps({ appsDir, services }).map((app) => [app.name, app.workers])).toEqual([
      ['ticket-service', 2],
      ['user-service', 1],
    ]);
  });

  it('seeds only the apps whose registry entry says "seed": true', () => {
    writeProject(appsDir, 'ticket-service', { name: 'ticket-service', tags: ['type:app'] });
    writeProject(appsDir, 'user-service', { name: 'user-service', tags: ['type:app'] });
    const services = [
      ...registry,
      { name: 'audit-service', port: 3003, database: 'x', seed: false },
    ];
    writeProject(appsDir, 'audit-service', { name: 'audit-service', tags: ['type:app'] });

    expect(discoverApps({ appsDir, services }).map((app) => [app.name, app.seed])).toEqual([
      ['audit-service', false],
      ['ticket-service', false],
      ['user-service', true],
    ]);
  });

  it('ignores directories without project.json and projects that are not apps', () => {
    writeProject(appsDir, 'ticket-service', { name: 'ticket-service', tags: ['type:app'] });
    writeProject(appsDir, 'ticket-service-e2e', { name: 'ticket-service-e2e', tags: ['type:e2e'] });
    writeProject(appsDir, 'untagged', { name: 'untagged' });
    fs.mkdirSync(path.join(appsDir, 'notes'));

    expect(discoverApps({ appsDir, services: registry }).map((app) => app.name)).toEqual([
      'ticket-service',
    ]);
  });

  it('takes the directory name when project.json has no name', () => {
    writeProject(appsDir, 'user-service', { tags: ['type:app'] });

    expect(discoverApps({ appsDir, services: registry }).map((app) => app.name)).toEqual([
      'user-service',
    ]);
  });

  it('adds the port offset to every registry port (a second instance next to a running one)', () => {
    writeProject(appsDir, 'ticket-service', { name: 'ticket-service', tags: ['type:app'] });

    expect(discoverApps({ appsDir, services: registry, portOffset: 20_000 })[0].port).toBe(23_002);
  });

  it('is empty when there is no apps directory yet', () => {
    expect(discoverApps({ appsDir: path.join(appsDir, 'missing'), services: registry })).toEqual(
      [],
    );
  });

  it('rejects an app missing from the registry, saying how to add it', () => {
    writeProject(appsDir, 'billing-service', { name: 'billing-service', tags: ['type:app'] });

    expect(() =>
      discoverApps({ appsDir, services: registry, servicesFile: 'gateway/services.json' }),
    ).toThrow(
      /"billing-service" is an app \(tag type:app\) but not in the service registry gateway\/services\.json[\s\S]*"name": "billing-service", "port": .*"database": "helpdesk_billing"/,
    );
  });

  it('names the file when a project.json is not valid JSON', () => {
    fs.mkdirSync(path.join(appsDir, 'broken'));
    fs.writeFileSync(path.join(appsDir, 'broken', 'project.json'), '{ "name": ');

    expect(() => discoverApps({ appsDir, services: registry })).toThrow(
      /broken\/project\.json: not valid JSON/,
    );
  });
});

describe('an app database URL', () => {
  const app = {
    name: 'ticket-service',
    root: '/x',
    port: 3002,
    database: 'helpdesk_ticket',
    databaseUrlVariable: 'TICKET_SERVICE_DATABASE_URL',
    seed: false,
    workers: 1,
  };

  it('points the admin connection at the app database', () => {
    expect(databaseUrlFor(app, 'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres', {})).toBe(
      'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_ticket',
    );
  });

  it('is the caller own <NAME>_DATABASE_URL when set', () => {
    expect(
      databaseUrlFor(app, 'postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres', {
        TICKET_SERVICE_DATABASE_URL: 'postgres://a:b@db.example:6543/tickets',
      }),
    ).toBe('postgres://a:b@db.example:6543/tickets');
  });
});
