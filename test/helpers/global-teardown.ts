import pg from "pg";

/** Drops the PostgreSQL template the global setup migrated, once no suite copies it any more. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.RAPPORT_TEST_POSTGRES_TEMPLATE;
  if (!template) return;
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  try {
    await client.connect();
    await client.query(`drop database if exists ${template} with (force)`);
  } finally {
    await client.end().catch(() => {});
  }
}
