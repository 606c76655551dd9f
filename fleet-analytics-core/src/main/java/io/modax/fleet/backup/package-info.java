/**
 * Backup and restore of one organization: {@link io.modax.fleet.backup.FleetBackup}.
 *
 * <p>An export is a directory (or a zip file) holding one CSV file per warehouse table that keeps
 * the organization's data, named after the table, and a {@code manifest.json} with the schema
 * version, each file's columns, row count and SHA-256. The format is documented in {@code
 * docs/backup.md}, next to PostgreSQL's own tools ({@code pg_dump}) and TimescaleDB's notes.
 */
@NullMarked
package io.modax.fleet.backup;

import org.jspecify.annotations.NullMarked;
