"""Results kept with consent: records, schema and engine, on SQLite or PostgreSQL."""
