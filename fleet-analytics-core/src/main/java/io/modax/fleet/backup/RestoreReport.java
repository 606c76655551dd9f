package io.modax.fleet.backup;

import java.util.Map;

/**
 * What a restore wrote. Every table read back exactly as in the backup (same bytes, checked by
 * SHA-256) before the transaction committed.
 *
 * @param organizationId the organization restored
 * @param rowsByTable rows inserted per table, in restore order (immutable copy)
 * @param hourlyBucketsBuilt hourly rollup buckets rebuilt from the restored snapshots (the daily
 *     rollup is rebuilt with them)
 */
public record RestoreReport(String organizationId, Map<String, Long> rowsByTable, int hourlyBucketsBuilt) {

  /** Copies the map. */
  public RestoreReport {
    rowsByTable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsByTable));
  }

  /** Rows inserted over all tables. */
  public long totalRows() {
    return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
  }
}
