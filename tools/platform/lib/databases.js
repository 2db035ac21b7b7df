// @ts-check
/**
 * One PostgreSQL database per service (DESIGN §5), created when missing.
 */

/**
 * Creates each named database that does not exist yet, through the admin
 * connection (a role with CREATEDB; the databases are owned by it).
 * @param {string} adminUrl e.g. postgres://helpdesk:helpdesk@127.0.0.1:5432/postgres
 * @param {string[]} databases
 * @returns {Promise<{ created: string[], existing: string[] }>}
 */
async function ensureDatabases(adminUrl, databases) {
  /** @type {{ created: string[], existing: string[] }} */
  const outcome = { created: [], existing: [] };
  if (databases.length === 0) return outcome;
  const { Client, escapeIdentifier } = require('pg');
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot connect to PostgreSQL as ${redact(adminUrl)} to create the service databases: ${error instanceof Error ? error.message : error}`,
    );
  }
  try {
    for (const database of [...new Set(databases)]) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount) {
        outcome.existing.push(database);
        continue;
      }
      try {
        await client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
        outcome.created.push(database);
      } catch (error) {
        // Someone else (a second start, an app's own ensureDatabase) won the race.
        if (/** @type {{ code?: string }} */ (error).code === '42P04')
          outcome.existing.push(database);
        else throw error;
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return outcome;
}

/** @param {string} databaseUrl */
function databaseNameOf(databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`${redact(databaseUrl)} names no database`);
  return name;
}

/**
 * A URL fit for messages: the password replaced.
 * @param {string} url
 */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

module.exports = { ensureDatabases, databaseNameOf, redact };
