import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { migrateServiceDatabase } from '@helpdesk/database';
import { createHttpApp, listen, serveInWorkers } from '@helpdesk/http';
import { AppModule, databaseServiceOptions, httpAppOptions, serviceName } from './app.module';
import { SigningKeys } from './keys/signing-keys';
import { DemoSeed } from './seed/demo-seed';

/**
 * `node main.js`            serves;
 * `node main.js migrate`    applies pending migrations and exits (npm start and deploys run it first);
 * `node main.js seed`       creates the demo organization if it is missing and prints its logins;
 * `node main.js rotate-keys` starts signing with a new key (the old one stays published until its tokens expire).
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'migrate') {
    const applied = await migrateServiceDatabase(databaseServiceOptions);
    console.log(`${serviceName}: ${applied.length} migration(s) applied`);
    return;
  }
  if (command === 'seed' || command === 'rotate-keys') {
    const context = await NestFactory.createApplicationContext(AppModule, {
      logger: ['error', 'warn'],
    });
    try {
      if (command === 'seed') console.log(await context.get(DemoSeed).ensure());
      else
        console.log(
          `${serviceName}: now signing with key ${(await context.get(SigningKeys).rotate()).kid}`,
        );
    } finally {
      await context.close();
    }
    return;
  }
  if (command !== undefined)
    throw new Error(`unknown command "${command}" (serve, migrate, seed, rotate-keys)`);
  // HTTP_WORKERS > 1: that many processes share the port, each a full replica.
  await serveInWorkers(async () => {
    const app = await createHttpApp(AppModule, httpAppOptions);
    await listen(app, Number(process.env['PORT'] ?? 3001));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
