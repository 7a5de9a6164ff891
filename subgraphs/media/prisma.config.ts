import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// No schema engine can be downloaded here: the CLI runs on the JS engine through the pg adapter.
// This file is read by the Prisma CLI only (generate, migrate); the service reads src/config.ts.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg({ connectionString }, { schema: 'media' }),
});
