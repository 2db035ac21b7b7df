#!/usr/bin/env node
// @ts-check
/**
 * Renders the gateway's nginx.conf for containers: the same configuration
 * gateway/gateway.js renders for the local gateway, with each upstream
 * pointing at its compose service (`server ticket-service:3002`) instead of
 * 127.0.0.1, and the run directory inside the nginx container.
 *
 * docker-compose.yml runs this in the one-shot `gateway-config` service
 * (node image, the repository's gateway/ and tools/docker/ mounted read-only)
 * before nginx starts, so the containers' route table is always the
 * registry's. By hand:
 *
 *   node tools/docker/render-gateway.js [--out FILE] [--run-dir /tmp/gateway] [--port 8080]
 */
const fs = require('node:fs');
const path = require('node:path');

// gateway/gateway.js is a plain CommonJS script without an import alias: required by path.
const gateway = require('../../gateway/gateway.js');

const containerRunDir = '/tmp/gateway';

/**
 * @param {{ runDir?: string, listenPort?: number, services?: ReturnType<typeof gateway.loadServices> }} [options]
 * @returns {string}
 */
function renderContainerGatewayConfig({
  runDir = containerRunDir,
  listenPort = 8080,
  services = gateway.loadServices(),
} = {}) {
  const rendered = gateway.renderGatewayConfig({
    runDir,
    listenPort,
    services,
    upstreamHost: '127.0.0.1',
  });
  const ports = new Map(services.map((service) => [service.name, service.port]));
  /** @type {Set<string>} */
  const rewritten = new Set();
  const config = rendered.replace(
    /(upstream ([a-z0-9-]+) \{\s*\n\s*server )127\.0\.0\.1:(\d+);/g,
    (match, head, name, port) => {
      if (ports.get(name) !== Number(port)) return match;
      rewritten.add(name);
      return `${head}${name}:${port};`;
    },
  );
  const missed = services
    .filter((service) => !rewritten.has(service.name))
    .map((service) => service.name);
  if (missed.length > 0) {
    // The renderer's upstream block changed shape: fail loudly rather than ship 127.0.0.1.
    throw new Error(
      `could not point the upstream of ${missed.join(', ')} at its compose service; update tools/docker/render-gateway.js`,
    );
  }
  return config;
}

/** @param {string[]} argv */
function main(argv) {
  /** @type {{ out?: string, runDir?: string, listenPort?: number }} */
  const options = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--out') options.out = argv[++index];
    else if (arg === '--run-dir') options.runDir = argv[++index];
    else if (arg === '--port') options.listenPort = Number(argv[++index]);
    else throw new Error(`unknown argument ${arg} (use --out FILE, --run-dir DIR, --port N)`);
  }
  const config = renderContainerGatewayConfig({
    runDir: options.runDir,
    listenPort: options.listenPort,
  });
  if (options.out) {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, config);
    console.log(`render-gateway: wrote ${options.out}`);
  } else {
    process.stdout.write(config);
  }
}

module.exports = { renderContainerGatewayConfig, containerRunDir };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`render-gateway: FAILED: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
