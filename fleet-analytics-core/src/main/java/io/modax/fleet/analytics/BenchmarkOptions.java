package io.modax.fleet.analytics;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.statistics.BenchmarkReference;
import io.modax.fleet.statistics.PeerGroups;
import io.modax.fleet.statistics.Significance;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link FleetBenchmarking} compares: whom a location is compared with (the rest of the fleet,
 * or the rest of its peer group), the significance level of the tests on daily values, and the
 * reference values each metric is calibrated against. {@link #defaults()} compares with the rest
 * of the fleet at 5% and calibrates OEE against {@link BenchmarkReference#oee()}.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
 *
 * @param peerGroups whom each location is compared with
 * @param tagPrefix for {@link PeerGroupRule#TAGS}: only tags starting with this prefix group
 *     locations (e.g. {@code "region:"}); {@code ""} uses every tag
 * @param minDeviceMixCosine for the device-mix rules: how alike two device-type mixes must be,
 *     cosine similarity in (0, 1] (default {@value PeerGroups#DEFAULT_MIN_COSINE})
 * @param alpha the significance level of a single location's tests and the false discovery rate
 *     when every location is tested at once, in (0, 0.5] (default {@value
 *     Significance#DEFAULT_ALPHA})
 * @param references reference values per metric (world-class, typical range); a metric without
 *     one gets fleet percentile bands only
 */
public record BenchmarkOptions(
    PeerGroupRule peerGroups,
    String tagPrefix,
    double minDeviceMixCosine,
    double alpha,
    Map<Metric, BenchmarkReference> references) {

  /**
   * Whom a location is compared with. Peer groups come from the warehouse: shift pattern and tags
   * from {@code locations}, device-type mix from the registered devices that are not
   * decommissioned (see {@link io.modax.fleet.statistics.PeerGroups} for the rules).
   */
  public enum PeerGroupRule {
    /** The rest of the fleet: every other location of the organization. */
    FLEET,
    /** The other locations with the same shift pattern label. */
    SHIFT_PATTERN,
    /** The other locations with the same set of tags (those starting with the tag prefix). */
    TAGS,
    /** The other locations with a similar device-type mix. */
    DEVICE_MIX,
    /** The other locations with the same shift pattern and a similar device-type mix. */
    SHIFT_PATTERN_AND_DEVICE_MIX
  }

  /**
   * Checks the options and copies the map.
   *
   * @throws InvalidRequestException for a null rule, prefix or map, a threshold or alpha out of
   *     range, or a reference whose direction differs from its metric's
   */
  public BenchmarkOptions {
    Checks.requireNonNull("peerGroups", peerGroups);
    Checks.requireNonNull("tagPrefix", tagPrefix);
    Checks.requireNonNull("references", references);
    if (!(minDeviceMixCosine > 0 && minDeviceMixCosine <= 1)) {
      throw new InvalidRequestException(
          "minDeviceMixCosine " + minDeviceMixCosine + " is outside (0, 1]: e.g. 0.9 for similar mixes");
    }
    if (!(alpha > 0 && alpha <= 0.5)) {
      throw new InvalidRequestException(
          "alpha " + alpha + " is outside (0, 0.5]: give e.g. 0.05 for 5%");
    }
    Map<Metric, BenchmarkReference> copy = new EnumMap<>(Metric.class);
    for (Map.Entry<Metric, BenchmarkReference> e : references.entrySet()) {
      Metric m = Checks.requireNonNull("references key", e.getKey());
      BenchmarkReference r = Checks.requireNonNull("reference of " + m, e.getValue());
      if (r.higherIsBetter() != m.higherIsBetter()) {
        throw new InvalidRequestException(
            "the reference for " + m.fieldName() + " reads " + (r.higherIsBetter() ? "higher" : "lower")
                + " as better, but for " + m.fieldName() + " " + (m.higherIsBetter() ? "higher" : "lower")
                + " is better");
      }
      copy.put(m, r);
    }
    references = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(copy));
  }

  /** The rest of the fleet, alpha 0.05, OEE calibrated against {@link BenchmarkReference#oee()}. */
  public static BenchmarkOptions defaults() {
    return new BenchmarkOptions(PeerGroupRule.FLEET, "", PeerGroups.DEFAULT_MIN_COSINE,
        Significance.DEFAULT_ALPHA, Map.of(Metric.OEE, BenchmarkReference.oee()));
  }

  /** A copy comparing within peer groups by {@code rule}. */
  public BenchmarkOptions withPeerGroups(PeerGroupRule rule) {
    return new BenchmarkOptions(rule, tagPrefix, minDeviceMixCosine, alpha, references);
  }

  /** A copy grouping by tags that start with {@code prefix} (and the {@link PeerGroupRule#TAGS} rule). */
  public BenchmarkOptions withTagPrefix(String prefix) {
    return new BenchmarkOptions(PeerGroupRule.TAGS, prefix, minDeviceMixCosine, alpha, references);
  }

  /** A copy with another device-mix similarity threshold. */
  public BenchmarkOptions withMinDeviceMixCosine(double minCosine) {
    return new BenchmarkOptions(peerGroups, tagPrefix, minCosine, alpha, references);
  }

  /** A copy with another significance level / false discovery rate. */
  public BenchmarkOptions withAlpha(double value) {
    return new BenchmarkOptions(peerGroups, tagPrefix, minDeviceMixCosine, value, references);
  }

  /** A copy with {@code reference} for {@code metric} (replacing any it had). */
  public BenchmarkOptions withReference(Metric metric, BenchmarkReference reference) {
    Map<Metric, BenchmarkReference> m = new LinkedHashMap<>(references);
    m.put(Checks.requireNonNull("metric", metric), reference);
    return new BenchmarkOptions(peerGroups, tagPrefix, minDeviceMixCosine, alpha, m);
  }
}
