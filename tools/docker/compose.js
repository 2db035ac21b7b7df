#!/usr/bin/env node
// @ts-check
/**
 * Generates docker-compose.yml from the service registry
 * (gateway/services.json): infrastructure (PostgreSQL, RabbitMQ with its
 * management UI, MailDev), one service per app, and the NGINX gateway.
 *
 *   node tools/docker/compose.js            print it
 *   node tools/docker/compose.js --write    (re)write docker-compose.yml
 *
 * A test fails when the checked-in docker-compose.yml differs from what this
 * renders, so a service added to the registry cannot be forgotten here.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

// gateway/gateway.js is a plain CommonJS script without an import alias: required by path.
const gateway = require('../../gateway/gateway.js');

const repositoryRoot = path.resolve(__dirname, '../..');
const composeFile = path.join(repositoryRoot, 'docker-compose.yml');

const images = {
  node: 'node:20-bookworm-slim',
  postgres: 'postgres:15',
  rabbitmq: 'rabbitmq:3.13-management',
  nginx: 'nginx:1.26-bookworm',
};
const gatewayPort = 8080;
const containerGatewayRunDir = '/tmp/gateway';

/** `ticket-service` → `TICKET_SERVICE_DATABASE_URL` (the convention every app reads). */
const databaseUrlVariable = (/** @type {string} */ name) =>
  `${name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;

/**
 * Probes a URL from inside a container with Node (the app and MailDev images
 * have no curl).
 * @param {string} url
 */
const nodeHealthcheck = (url) => ({
  test: [
    'CMD',
    'node',
    '-e',
    `fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
  ],
  interval: '10s',
  timeout: '3s',
  retries: 6,
  start_period: '30s',
});

/**
 * @param {{ services?: ReturnType<typeof gateway.loadServices>, maildevVersion?: string }} [options]
 */
function renderCompose({
  services = gateway.loadServices(),
  maildevVersion = workspaceMaildevVersion(),
} = {}) {
  /** @type {Record<string, unknown>} */
  const composeServices = {
    postgres: {
      image: images.postgres,
      environment: {
        POSTGRES_USER: 'helpdesk',
        POSTGRES_PASSWORD: 'helpdesk',
        POSTGRES_DB: 'helpdesk',
        // One database per service, created on first start by create-databases.sh.
        HELPDESK_DATABASES: services.map((service) => service.database).join(' '),
      },
      volumes: [
        'postgres-data:/var/lib/postgresql/data',
        './tools/docker/postgres/create-databases.sh:/docker-entrypoint-initdb.d/10-create-databases.sh:ro',
      ],
      healthcheck: {
        test: ['CMD-SHELL', 'pg_isready -U helpdesk -d helpdesk'],
        interval: '5s',
        timeout: '5s',
        retries: 20,
      },
      restart: 'unless-stopped',
    },
    rabbitmq: {
      image: images.rabbitmq,
      ports: ['15672:15672'],
      volumes: ['rabbitmq-data:/var/lib/rabbitmq'],
      healthcheck: {
        test: ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'],
        interval: '10s',
        timeout: '10s',
        retries: 12,
        start_period: '20s',
      },
      restart: 'unless-stopped',
    },
    maildev: {
      build: {
        context: './tools/docker',
        dockerfile: 'maildev.Dockerfile',
        args: { MAILDEV_VERSION: maildevVersion },
      },
      image: `helpdesk/maildev:${maildevVersion}`,
      ports: ['1080:1080'],
      healthcheck: nodeHealthcheck('http://127.0.0.1:1080/api/healthz'),
      restart: 'unless-stopped',
    },
  };

  for (const service of services) {
    composeServices[service.name] = {
      build: {
        context: '.',
        dockerfile: 'tools/docker/Dockerfile',
        args: { APP: service.name, PORT: String(service.port) },
      },
      image: `helpdesk/${service.name}:local`,
      // Migrations first (an advisory lock keeps replicas from applying one twice), then serve.
      command: ['sh', '-c', 'node main.js migrate && exec node main.js'],
      environment: {
        NODE_ENV: 'production',
        // Shared by every app for /internal calls; compose refuses to start without it.
        SERVICE_TOKEN_SECRET:
          '${SERVICE_TOKEN_SECRET:?set SERVICE_TOKEN_SECRET (32+ random bytes) for the services}',
        AUTH_JWKS_URL: 'http://user-service:3001/.well-known/jwks.json',
        USER_DIRECTORY_SNAPSHOT_URL: 'http://user-service:3001/internal/directory',
        PORT: String(service.port),
        [databaseUrlVariable(service.name)]:
          `postgres://helpdesk:helpdesk@postgres:5432/${service.database}`,
        RABBITMQ_URL: 'amqp://guest:guest@rabbitmq:5672',
        SMTP_URL: 'smtp://maildev:1025',
        WEB_URL: `http://localhost:${gatewayPort}`,
        LOG_LEVEL: 'info',
      },
      // Published for /docs and /health; the public API goes through the gateway.
      ports: [`${service.port}:${service.port}`],
      depends_on: {
        postgres: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
        maildev: { condition: 'service_healthy' },
      },
      healthcheck: nodeHealthcheck(`http://127.0.0.1:${service.port}/health`),
      restart: 'unless-stopped',
    };
  }

  composeServices['gateway-config'] = {
    image: images.node,
    // Renders nginx.conf from the registry with gateway/gateway.js, upstreams
    // pointing at the compose services, into a volume the gateway reads.
    command: [
      'node',
      '/repo/tools/docker/render-gateway.js',
      '--out',
      '/gateway-config/nginx.conf',
      '--run-dir',
      containerGatewayRunDir,
    ],
    volumes: [
      './gateway:/repo/gateway:ro',
      './tools/docker:/repo/tools/docker:ro',
      'gateway-config:/gateway-config',
    ],
    restart: 'no',
  };
  composeServices.gateway = {
    image: images.nginx,
    command: [
      'sh',
      '-c',
      [
        `mkdir -p ${containerGatewayRunDir}/logs ${containerGatewayRunDir}/tmp`,
        // Logs to the container's output, like the nginx image's own config.
        `ln -sf /dev/stdout ${containerGatewayRunDir}/logs/gateway.access.log`,
        `ln -sf /dev/stderr ${containerGatewayRunDir}/logs/gateway.error.log`,
        `exec nginx -p ${containerGatewayRunDir}/ -c /etc/helpdesk-gateway/nginx.conf -g 'daemon off;'`,
      ].join(' && '),
    ],
    volumes: ['gateway-config:/etc/helpdesk-gateway:ro'],
    ports: [`${gatewayPort}:${gatewayPort}`],
    depends_on: {
      'gateway-config': { condition: 'service_completed_successfully' },
      ...Object.fromEntries(
        services.map((service) => [service.name, { condition: 'service_healthy' }]),
      ),
    },
    healthcheck: {
      test: ['CMD', 'curl', '-fsS', `http://127.0.0.1:${gatewayPort}/health`],
      interval: '10s',
      timeout: '3s',
      retries: 6,
    },
    restart: 'unless-stopped',
  };

  return {
    name: 'helpdesk',
    services: composeServices,
    volumes: { 'postgres-data': {}, 'rabbitmq-data': {}, 'gateway-config': {} },
  };
}

const header = `# Generated by tools/docker/compose.js from gateway/services.json: do not edit by hand.
# Regenerate with \`node tools/docker/compose.js --write\` (a test fails when this file is stale).
#
#   docker compose up --build     PostgreSQL, RabbitMQ (management UI :15672), MailDev (:1080),
#                                 every app (migrations, then serve) and the gateway (:8080)
#
# See tools/docker/README.md. No Docker engine ran on the machine this was written on:
# the file is validated by tests (structure, references, rendered nginx config), not run.
`;

/** @param {ReturnType<typeof renderCompose>} document */
function toYaml(document) {
  return `${header}\n${YAML.stringify(document, { lineWidth: 0 })}`;
}

function workspaceMaildevVersion() {
  const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
  const version = manifest.devDependencies?.maildev ?? manifest.dependencies?.maildev;
  if (!version) throw new Error('package.json does not list maildev');
  return version;
}

module.exports = { renderCompose, toYaml, composeFile };

if (require.main === module) {
  try {
    const text = toYaml(renderCompose());
    if (process.argv.includes('--write')) {
      fs.writeFileSync(composeFile, text);
      console.log(`compose: wrote ${path.relative(process.cwd(), composeFile)}`);
    } else {
      process.stdout.write(text);
    }
  } catch (error) {
    console.error(`compose: FAILED: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
