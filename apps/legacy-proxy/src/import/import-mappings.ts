import pg from 'pg';

export type MappedKind = 'category' | 'product' | 'customer' | 'order';

/**
 * Legacy id → new id, per kind: the import's own table (schema `legacy_import` in the API's
 * database, owned by no context), so a re-run finds what it made and creates nothing twice.
 */
export class ImportMappings {
  private readonly known = new Map<string, string>();

  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<ImportMappings> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS legacy_import;
      CREATE TABLE IF NOT EXISTS legacy_import.id_map (
        kind text NOT NULL, legacy_id text NOT NULL, new_id uuid NOT NULL, imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, legacy_id))`);
    const mappings = new ImportMappings(client);
    for (const row of (await client.query('SELECT kind, legacy_id, new_id FROM legacy_import.id_map')).rows) mappings.known.set(`${row.kind}:${row.legacy_id}`, row.new_id);
    return mappings;
  }

  get(kind: MappedKind, legacyId: string | number): string | undefined {
    return this.known.get(`${kind}:${legacyId}`);
  }

  async set(kind: MappedKind, legacyId: string | number, newId: string): Promise<void> {
    await this.client.query('INSERT INTO legacy_import.id_map (kind, legacy_id, new_id) VALUES ($1, $2, $3) ON CONFLICT (kind, legacy_id) DO UPDATE SET new_id = EXCLUDED.new_id', [kind, String(legacyId), newId]);
    this.known.set(`${kind}:${legacyId}`, newId);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
