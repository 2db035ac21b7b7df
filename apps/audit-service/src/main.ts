import 'reflect-metadata';
import { migrateServiceDatabase } from '@helpdesk/database';
import { createHttpApp, listen, serveInWorkers } from '@helpdesk/http';
import { AppModule, databaseServiceOptions, httpAppOptions, serviceName } from './app.module';

/** `node main.js` serves; `node main.js migrate` applies pending migrations and exits. */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'migrate') {
    const applied = await migrateServiceDatabase(databaseServiceOptions);
    console.log(`${serviceName}: ${applied.length} migration(s) applied`);
    return;
  }
  if (command !== undefined) throw new Error(`unknown command "${command}" (serve, migrate)`);
  // HTTP_WORKERS > 1: that many processes share the port, each a full replica.
  await serveInWorkers(async () => {
    const app = await createHttpApp(AppModule, httpAppOptions);
    await listen(app, Number(process.env['PORT'] ?? 3003));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
