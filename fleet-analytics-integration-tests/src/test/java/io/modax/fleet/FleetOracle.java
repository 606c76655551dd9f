package io.modax.fleet;

import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.MaintenanceEvent;
import io.modax.fleet.ingest.PartUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An independent computation of the fleet figures, in plain Java over the records a test sent: no
 * SQL and none of the library's aggregation code. Tests compare the library's answers with it.
 *
 * <p>It applies the definitions of docs/metrics.md directly to the raw fields: each ratio is a sum
 * of value x weight over a sum of weights, over the rows where the value is present.
 */
public final class FleetOracle {

  private final List<FleetMetrics> rows;

  private FleetOracle(List<FleetMetrics> rows) {
    this.rows = rows;
  }

  /** Keeps, per (organization, location, timestamp to the microsecond), the last record sent. */
  public static FleetOracle of(Iterable<FleetMetrics> sent) {
    Map<String, FleetMetrics> last = new LinkedHashMap<>();
    for (FleetMetrics m : sent) {
      Instant t = m.timestamp();
      long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
      last.put(m.organizationId() + "\u0000" + m.locationId() + "\u0000" + micros, m);
    }
    return new FleetOracle(new ArrayList<>(last.values()));
  }

  /** The stored rows. */
  public List<FleetMetrics> rows() {
    return rows;
  }

  /** Figures over the rows of the given locations (all when null) in [from, to). */
  public Figures figures(Collection<String> locationIds, Instant from, Instant to) {
    Figures f = new Figures();
    for (FleetMetrics m : rows) {
      if ((locationIds == null || locationIds.contains(m.locationId()))
          && !m.timestamp().isBefore(from) && m.timestamp().isBefore(to)) {
        f.add(m);
      }
    }
    return f;
  }

  /**
   * Figures of the rows of the given locations (all when null) in [from, to), grouped by a key of
   * each row's timestamp (a local date, a UTC bucket, ...), sorted by key.
   */
  public <K extends Comparable<? super K>> Map<K, Figures> group(
      Collection<String> locationIds, Instant from, Instant to, Function<Instant, K> key) {
    Map<K, Figures> out = new TreeMap<>();
    for (FleetMetrics m : rows) {
      if ((locationIds == null || locationIds.contains(m.locationId()))
          && !m.timestamp().isBefore(from) && m.timestamp().isBefore(to)) {
        out.computeIfAbsent(key.apply(m.timestamp()), k -> new Figures()).add(m);
      }
    }
    return out;
  }

  /** The events as stored: the last one sent per id. */
  public static List<MaintenanceEvent> events(Iterable<MaintenanceEvent> sent) {
    Map<String, MaintenanceEvent> last = new LinkedHashMap<>();
    for (MaintenanceEvent e : sent) {
      last.put(e.organizationId() + "\u0000" + e.id(), e);
    }
    return new ArrayList<>(last.values());
  }

  /** Per part: events that used it, units, and the sum of squared units per event, in [from, to). */
  public static Map<String, long[]> partUsage(List<MaintenanceEvent> events, Instant from, Instant to) {
    Map<String, long[]> out = new TreeMap<>();
    for (MaintenanceEvent e : events) {
      if (!e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to)) {
        for (PartUsage u : e.parts()) {
          long[] a = out.computeIfAbsent(u.partNumber(), k -> new long[3]);
          a[0]++;
          a[1] += u.quantity();
          a[2] += (long) u.quantity() * u.quantity();
        }
      }
    }
    return out;
  }

  /** Sum of the events' costs (null costs as 0) that match. */
  public static BigDecimal cost(List<MaintenanceEvent> events, java.util.function.Predicate<MaintenanceEvent> which) {
    BigDecimal total = BigDecimal.ZERO;
    for (MaintenanceEvent e : events) {
      if (which.test(e) && e.cost() != null) {
        total = total.add(e.cost());
      }
    }
    return total;
  }

  /**
   * The q-quantile of a count with the given mean and variance: Poisson when the variance does not
   * exceed the mean, else the negative binomial with that mean and variance. Computed by summing
   * the probability mass function in log space (no special functions).
   */
  public static long countQuantile(double mean, double variance, double q) {
    if (mean == 0) {
      return 0;
    }
    boolean poisson = variance <= mean * (1 + 1e-12);
    double r = poisson ? 0 : mean * mean / (variance - mean);
    double p = poisson ? 0 : mean / variance;
    double logPmf = poisson ? -mean : r * Math.log(p);
    double cdf = Math.exp(logPmf);
    long k = 0;
    while (cdf < q) {
      k++;
      logPmf += poisson ? Math.log(mean) - Math.log(k) : Math.log((k - 1 + r) / k) + Math.log(1 - p);
      cdf += Math.exp(logPmf);
    }
    return k;
  }

  /** P(X >= k) for X ~ Binomial(n, p), by summing the probability mass function in log space. */
  public static double binomialUpperTail(long n, long k, double p) {
    double logPmf = n * Math.log1p(-p); // j = 0
    double tail = k <= 0 ? Math.exp(logPmf) : 0;
    for (long j = 1; j <= n; j++) {
      logPmf += Math.log((double) (n - j + 1) / j) + Math.log(p) - Math.log1p(-p);
      if (j >= k) {
        tail += Math.exp(logPmf);
      }
    }
    return tail;
  }

  /** Running sums of one set of rows. */
  public static final class Figures {
    public long rows;
    double uptimeNum;
    double uptimeDen;
    double oeeNum;
    double oeeDen;
    double effNum;
    double effDen;
    double energyNum;
    double energyDen;
    double operating;
    public double production;
    public double downtime;
    public long failures;
    double repairNum;
    long repairDen;
    double seedOee;
    long seedOeeN;
    double seedUptime;
    long seedUptimeN;
    double seedEff;
    long seedEffN;
    double seedMtbf;
    long seedMtbfN;
    double seedMttr;
    long seedMttrN;
    double seedEnergy;
    long seedEnergyN;

    void add(FleetMetrics m) {
      rows++;
      double prod = m.totalProductionHours();
      double down = m.totalDowntimeHours();
      double elapsed = prod + down;
      production += prod;
      downtime += down;
      if (m.avgUptime() != null) {
        uptimeNum += m.avgUptime() * elapsed;
        uptimeDen += elapsed;
        seedUptime += m.avgUptime();
        seedUptimeN++;
      }
      if (m.components() != null) {
        oeeNum += m.components().idealCycleTimeSeconds() * m.components().goodCount() / 3600.0;
        oeeDen += m.components().plannedProductionHours();
      } else if (m.oee() != null) {
        oeeNum += m.oee() * elapsed;
        oeeDen += elapsed;
      }
      if (m.oee() != null) {
        seedOee += m.oee();
        seedOeeN++;
      }
      if (m.avgEfficiency() != null) {
        effNum += m.avgEfficiency() * prod;
        effDen += prod;
        seedEff += m.avgEfficiency();
        seedEffN++;
      }
      if (m.avgEnergyConsumption() != null) {
        energyNum += m.avgEnergyConsumption() * prod;
        energyDen += prod;
        seedEnergy += m.avgEnergyConsumption();
        seedEnergyN++;
      }
      if (m.totalFailures() != null) {
        operating += prod;
        failures += m.totalFailures();
        if (m.mttr() != null) {
          repairNum += m.mttr() * m.totalFailures();
          repairDen += m.totalFailures();
        }
      }
      if (m.mtbf() != null) {
        seedMtbf += m.mtbf();
        seedMtbfN++;
      }
      if (m.mttr() != null) {
        seedMttr += m.mttr();
        seedMttrN++;
      }
    }

    public Double uptime() {
      return uptimeDen > 0 ? uptimeNum / uptimeDen : null;
    }

    public Double oee() {
      return oeeDen > 0 ? oeeNum / oeeDen : null;
    }

    public Double efficiency() {
      return effDen > 0 ? effNum / effDen : null;
    }

    public Double energy() {
      return energyDen > 0 ? energyNum / energyDen : null;
    }

    /** Production hours of rows with a failure count: MTBF's exposure. */
    public double operatingHours() {
      return operating;
    }

    /** Failures per production hour, or null without production. */
    public Double failureRate() {
      return operating > 0 ? failures / operating : null;
    }

    public Double mtbf() {
      return failures > 0 ? operating / failures : null;
    }

    public Double mttr() {
      return repairDen > 0 ? repairNum / repairDen : null;
    }

    public Double seedOee() {
      return seedOeeN > 0 ? seedOee / seedOeeN : null;
    }

    public Double seedUptime() {
      return seedUptimeN > 0 ? seedUptime / seedUptimeN : null;
    }

    public Double seedEfficiency() {
      return seedEffN > 0 ? seedEff / seedEffN : null;
    }

    public Double seedMtbf() {
      return seedMtbfN > 0 ? seedMtbf / seedMtbfN : null;
    }

    public Double seedMttr() {
      return seedMttrN > 0 ? seedMttr / seedMttrN : null;
    }

    public Double seedEnergy() {
      return seedEnergyN > 0 ? seedEnergy / seedEnergyN : null;
    }
  }
}
