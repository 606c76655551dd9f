package io.modax.fleet.internal;

import java.util.List;
import java.util.function.Function;
import org.jooq.Field;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * The additive components of fleet_metrics over some set of rows (a bucket, a window, a location,
 * the fleet): sums and counts only, so any two sets combine exactly with {@link #plus}. Every
 * ratio the library reports is computed here from these sums, in one place; the per-row components
 * come from the SQL view {@code fleet_metrics_components}.
 *
 * <p>Definitions (exposure-weighted, the default): uptime = uptime-weighted hours / elapsed hours;
 * OEE = fully productive hours / planned production hours; efficiency = efficiency-weighted hours /
 * production hours; energy = kWh / production hours; MTBF = production hours / failures; MTTR =
 * repair hours / failures. {@code seed*} methods are the design's plain averages over snapshot
 * rows, for {@code SEED_COMPATIBLE} mode. A ratio with no exposure is null, never NaN or
 * infinite.
 *
 * @param snapshotCount snapshots summed
 * @param productionHours production (run) device-hours
 * @param downtimeHours downtime device-hours
 * @param failures failures
 * @param uptimeWeightedHours sum of uptime x elapsed hours
 * @param uptimeExposureHours elapsed hours of rows with an uptime
 * @param oeeProductiveHours fully productive hours
 * @param oeePlannedHours planned production hours of rows with an OEE
 * @param efficiencyWeightedHours sum of efficiency x production hours
 * @param efficiencyExposureHours production hours of rows with an efficiency
 * @param energyKwh energy, kWh
 * @param energyExposureHours production hours of rows with an energy figure
 * @param failureExposureHours production hours of rows with a failure count
 * @param repairHours repair hours (mttr x failures)
 * @param repairedFailures failures of rows with an MTTR
 * @param componentPlannedHours planned hours of rows with raw OEE components
 * @param componentRunHours run hours of rows with raw OEE components
 * @param componentIdealHours ideal cycle time x total count, hours
 * @param componentTotalCount parts made
 * @param componentGoodCount good parts made
 * @param seedUptimeSum plain sum of avg_uptime
 * @param seedUptimeCount rows with avg_uptime
 * @param seedEfficiencySum plain sum of avg_efficiency
 * @param seedEfficiencyCount rows with avg_efficiency
 * @param seedEnergySum plain sum of avg_energy_consumption
 * @param seedEnergyCount rows with avg_energy_consumption
 * @param seedOeeSum plain sum of oee
 * @param seedOeeCount rows with oee
 * @param seedMtbfSum plain sum of mtbf
 * @param seedMtbfCount rows with mtbf
 * @param seedMttrSum plain sum of mttr
 * @param seedMttrCount rows with mttr
 */
public record ComponentSums(
    long snapshotCount,
    double productionHours,
    double downtimeHours,
    long failures,
    double uptimeWeightedHours,
    double uptimeExposureHours,
    double oeeProductiveHours,
    double oeePlannedHours,
    double efficiencyWeightedHours,
    double efficiencyExposureHours,
    double energyKwh,
    double energyExposureHours,
    double failureExposureHours,
    double repairHours,
    long repairedFailures,
    double componentPlannedHours,
    double componentRunHours,
    double componentIdealHours,
    long componentTotalCount,
    long componentGoodCount,
    double seedUptimeSum,
    long seedUptimeCount,
    double seedEfficiencySum,
    long seedEfficiencyCount,
    double seedEnergySum,
    long seedEnergyCount,
    double seedOeeSum,
    long seedOeeCount,
    double seedMtbfSum,
    long seedMtbfCount,
    double seedMttrSum,
    long seedMttrCount) {

  /** The column names, in record order, of every relation that stores components. */
  public static final List<String> COLUMNS =
      List.of(
          "snapshot_count",
          "total_production_hours",
          "total_downtime_hours",
          "total_failures",
          "uptime_weighted_hours",
          "uptime_exposure_hours",
          "oee_productive_hours",
          "oee_planned_hours",
          "efficiency_weighted_hours",
          "efficiency_exposure_hours",
          "energy_kwh",
          "energy_exposure_hours",
          "failure_exposure_hours",
          "repair_hours",
          "repaired_failures",
          "component_planned_hours",
          "component_run_hours",
          "component_ideal_hours",
          "component_total_count",
          "component_good_count",
          "seed_uptime_sum",
          "seed_uptime_count",
          "seed_efficiency_sum",
          "seed_efficiency_count",
          "seed_energy_sum",
          "seed_energy_count",
          "seed_oee_sum",
          "seed_oee_count",
          "seed_mtbf_sum",
          "seed_mtbf_count",
          "seed_mttr_sum",
          "seed_mttr_count");

  /**
   * The columns every exposure-weighted figure is computed from: {@link #COLUMNS} without the
   * {@code seed_*} sums of {@code SEED_COMPATIBLE} mode (a prefix of {@link #COLUMNS}).
   */
  public static final List<String> EXPOSURE_COLUMNS = COLUMNS.subList(0, COLUMNS.indexOf("seed_uptime_sum"));

  /** Which of the {@link #COLUMNS} hold counts (bigint) rather than hours or kWh (double). */
  private static final boolean[] COUNT_COLUMN = countColumns();

  private static boolean[] countColumns() {
    java.lang.reflect.RecordComponent[] parts = ComponentSums.class.getRecordComponents();
    boolean[] counts = new boolean[parts.length];
    for (int i = 0; i < parts.length; i++) {
      counts[i] = parts[i].getType() == long.class;
    }
    return counts;
  }

  /**
   * Reads components from a JDBC row whose columns {@code first}, {@code first + 1}, ... hold the
   * first {@code count} of the {@link #COLUMNS}, in that order (e.g. {@link #EXPOSURE_COLUMNS});
   * the columns not read, and nulls, are 0. For large results, where building a jOOQ record per row
   * costs more than the query.
   */
  public static ComponentSums read(java.sql.ResultSet rs, int first, int count) throws java.sql.SQLException {
    return read(rs, first, IN_ORDER, count);
  }

  /** Every position of the {@link #COLUMNS}, in order: the first {@code count} of them are read. */
  private static final int[] IN_ORDER = java.util.stream.IntStream.range(0, COLUMNS.size()).toArray();

  /**
   * The positions in {@link #COLUMNS} of the given columns, for {@link #read(java.sql.ResultSet,
   * int, int[])}.
   *
   * @throws IllegalArgumentException when a name is not one of the {@link #COLUMNS}
   */
  public static int[] positions(List<String> columns) {
    int[] at = new int[columns.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = COLUMNS.indexOf(columns.get(i));
      if (at[i] < 0) {
        throw new IllegalArgumentException("not a component column: " + columns.get(i));
      }
    }
    return at;
  }

  /**
   * Reads components from a JDBC row whose columns {@code first}, {@code first + 1}, ... hold the
   * components at {@code positions} of the {@link #COLUMNS} ({@link #positions}); the components
   * not read, and nulls, are 0. For large results that need only some components (a day's
   * failures and their exposure, its downtime): each column read is parsed, the others never
   * travel.
   */
  public static ComponentSums read(java.sql.ResultSet rs, int first, int[] positions) throws java.sql.SQLException {
    return read(rs, first, positions, positions.length);
  }

  /** Reads the first {@code length} of {@code positions}; the others, and nulls, are 0. */
  private static ComponentSums read(java.sql.ResultSet rs, int first, int[] positions, int length)
      throws java.sql.SQLException {
    long[] n = new long[COLUMNS.size()];
    double[] v = new double[COLUMNS.size()];
    for (int i = 0; i < length; i++) {
      int at = positions[i];
      if (COUNT_COLUMN[at]) {
        n[at] = rs.getLong(first + i);
      } else {
        v[at] = rs.getDouble(first + i);
      }
    }
    return new ComponentSums(n[0], v[1], v[2], n[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
        v[12], v[13], n[14], v[15], v[16], v[17], n[18], n[19], v[20], n[21], v[22], n[23], v[24], n[25],
        v[26], n[27], v[28], n[29], v[30], n[31]);
  }

  /** No rows. */
  public static final ComponentSums ZERO = new ComponentSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Reads the components from a record that has the {@link #COLUMNS} (nulls read as 0). */
  public static ComponentSums from(Record r) {
    return new ComponentSums(
        longOf(r, "snapshot_count"),
        doubleOf(r, "total_production_hours"),
        doubleOf(r, "total_downtime_hours"),
        longOf(r, "total_failures"),
        doubleOf(r, "uptime_weighted_hours"),
        doubleOf(r, "uptime_exposure_hours"),
        doubleOf(r, "oee_productive_hours"),
        doubleOf(r, "oee_planned_hours"),
        doubleOf(r, "efficiency_weighted_hours"),
        doubleOf(r, "efficiency_exposure_hours"),
        doubleOf(r, "energy_kwh"),
        doubleOf(r, "energy_exposure_hours"),
        doubleOf(r, "failure_exposure_hours"),
        doubleOf(r, "repair_hours"),
        longOf(r, "repaired_failures"),
        doubleOf(r, "component_planned_hours"),
        doubleOf(r, "component_run_hours"),
        doubleOf(r, "component_ideal_hours"),
        longOf(r, "component_total_count"),
        longOf(r, "component_good_count"),
        doubleOf(r, "seed_uptime_sum"),
        longOf(r, "seed_uptime_count"),
        doubleOf(r, "seed_efficiency_sum"),
        longOf(r, "seed_efficiency_count"),
        doubleOf(r, "seed_energy_sum"),
        longOf(r, "seed_energy_count"),
        doubleOf(r, "seed_oee_sum"),
        longOf(r, "seed_oee_count"),
        doubleOf(r, "seed_mtbf_sum"),
        longOf(r, "seed_mtbf_count"),
        doubleOf(r, "seed_mttr_sum"),
        longOf(r, "seed_mttr_count"));
  }

  /**
   * A reader of the records of one result: looks each column up once among {@code fields}, by
   * name, and reads a column the result does not have (a query that selected only what its
   * figures need) as 0, as it does a null.
   */
  public static Function<Record, ComponentSums> reader(Field<?>[] fields) {
    int[] at = new int[COLUMNS.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = -1;
      for (int j = 0; j < fields.length; j++) {
        if (fields[j].getName().equals(COLUMNS.get(i))) {
          at[i] = j;
          break;
        }
      }
    }
    return r -> new ComponentSums(
        l(r, at[0]), d(r, at[1]), d(r, at[2]), l(r, at[3]), d(r, at[4]), d(r, at[5]), d(r, at[6]),
        d(r, at[7]), d(r, at[8]), d(r, at[9]), d(r, at[10]), d(r, at[11]), d(r, at[12]), d(r, at[13]),
        l(r, at[14]), d(r, at[15]), d(r, at[16]), d(r, at[17]), l(r, at[18]), l(r, at[19]), d(r, at[20]),
        l(r, at[21]), d(r, at[22]), l(r, at[23]), d(r, at[24]), l(r, at[25]), d(r, at[26]), l(r, at[27]),
        d(r, at[28]), l(r, at[29]), d(r, at[30]), l(r, at[31]));
  }

  private static long l(Record r, int i) {
    Object v = i < 0 ? null : r.get(i);
    return v == null ? 0L : ((Number) v).longValue();
  }

  private static double d(Record r, int i) {
    Object v = i < 0 ? null : r.get(i);
    return v == null ? 0.0 : ((Number) v).doubleValue();
  }

  /** The components of both sets together. */
  public ComponentSums plus(ComponentSums o) {
    return new ComponentSums(
        snapshotCount + o.snapshotCount,
        productionHours + o.productionHours,
        downtimeHours + o.downtimeHours,
        failures + o.failures,
        uptimeWeightedHours + o.uptimeWeightedHours,
        uptimeExposureHours + o.uptimeExposureHours,
        oeeProductiveHours + o.oeeProductiveHours,
        oeePlannedHours + o.oeePlannedHours,
        efficiencyWeightedHours + o.efficiencyWeightedHours,
        efficiencyExposureHours + o.efficiencyExposureHours,
        energyKwh + o.energyKwh,
        energyExposureHours + o.energyExposureHours,
        failureExposureHours + o.failureExposureHours,
        repairHours + o.repairHours,
        repairedFailures + o.repairedFailures,
        componentPlannedHours + o.componentPlannedHours,
        componentRunHours + o.componentRunHours,
        componentIdealHours + o.componentIdealHours,
        componentTotalCount + o.componentTotalCount,
        componentGoodCount + o.componentGoodCount,
        seedUptimeSum + o.seedUptimeSum,
        seedUptimeCount + o.seedUptimeCount,
        seedEfficiencySum + o.seedEfficiencySum,
        seedEfficiencyCount + o.seedEfficiencyCount,
        seedEnergySum + o.seedEnergySum,
        seedEnergyCount + o.seedEnergyCount,
        seedOeeSum + o.seedOeeSum,
        seedOeeCount + o.seedOeeCount,
        seedMtbfSum + o.seedMtbfSum,
        seedMtbfCount + o.seedMtbfCount,
        seedMttrSum + o.seedMttrSum,
        seedMttrCount + o.seedMttrCount);
  }

  /** Elapsed device-hours: production plus downtime. */
  public double elapsedHours() {
    return productionHours + downtimeHours;
  }

  /** Uptime, exposure-weighted: share of elapsed hours the equipment ran. */
  public @Nullable Double uptime() {
    return ratio(uptimeWeightedHours, uptimeExposureHours);
  }

  /** OEE: fully productive hours over planned production hours. */
  public @Nullable Double oee() {
    return ratio(oeeProductiveHours, oeePlannedHours);
  }

  /** Efficiency (performance), weighted by production hours. */
  public @Nullable Double efficiency() {
    return ratio(efficiencyWeightedHours, efficiencyExposureHours);
  }

  /** Energy intensity, kWh per production hour. */
  public @Nullable Double energyPerProductionHour() {
    return ratio(energyKwh, energyExposureHours);
  }

  /** MTBF in hours: production hours over failures; null when there were no failures. */
  public @Nullable Double mtbf() {
    return failures == 0 ? null : ratio(failureExposureHours, failures);
  }

  /** MTTR in hours: repair hours over repaired failures; null when there were none. */
  public @Nullable Double mttr() {
    return ratio(repairHours, repairedFailures);
  }

  /** Availability from raw components (run / planned); null when no row sent components. */
  public @Nullable Double availability() {
    return ratio(componentRunHours, componentPlannedHours);
  }

  /** Performance from raw components (ideal time x count / run time). */
  public @Nullable Double performance() {
    return ratio(componentIdealHours, componentRunHours);
  }

  /** Quality from raw components (good / total count). */
  public @Nullable Double quality() {
    return ratio(componentGoodCount, componentTotalCount);
  }

  /** The design's AVG(avg_uptime) over snapshot rows. */
  public @Nullable Double seedUptime() {
    return ratio(seedUptimeSum, seedUptimeCount);
  }

  /** The design's AVG(avg_efficiency) over snapshot rows. */
  public @Nullable Double seedEfficiency() {
    return ratio(seedEfficiencySum, seedEfficiencyCount);
  }

  /** The design's AVG(avg_energy_consumption) over snapshot rows. */
  public @Nullable Double seedEnergy() {
    return ratio(seedEnergySum, seedEnergyCount);
  }

  /** The design's AVG(oee) over snapshot rows. */
  public @Nullable Double seedOee() {
    return ratio(seedOeeSum, seedOeeCount);
  }

  /** The design's AVG(mtbf) over snapshot rows. */
  public @Nullable Double seedMtbf() {
    return ratio(seedMtbfSum, seedMtbfCount);
  }

  /** The design's AVG(mttr) over snapshot rows. */
  public @Nullable Double seedMttr() {
    return ratio(seedMttrSum, seedMttrCount);
  }

  private static long longOf(Record r, String column) {
    Long v = r.get(column, Long.class);
    return v == null ? 0L : v;
  }

  private static double doubleOf(Record r, String column) {
    Double v = r.get(column, Double.class);
    return v == null ? 0.0 : v;
  }

  private static @Nullable Double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : null;
  }
}
