package io.modax.fleet;

import io.modax.fleet.ingest.FleetMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
