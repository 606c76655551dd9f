package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.statistics.BenchmarkPosition.FleetBand;
import io.modax.fleet.statistics.BenchmarkPosition.ReferenceClass;
import org.junit.jupiter.api.Test;

class BenchmarksTest {

  @Test
  void bandsFollowHyndmanFanType7() {
    // R: quantile(1:10, c(.1, .25, .5, .75, .9)) gives 1.90 3.25 5.50 7.75 9.10 (type 7 default).
    PercentileBands b = Benchmarks.bands(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    assertThat(b.p10()).isCloseTo(1.90, within(1e-12));
    assertThat(b.p25()).isCloseTo(3.25, within(1e-12));
    assertThat(b.p50()).isCloseTo(5.50, within(1e-12));
    assertThat(b.p75()).isCloseTo(7.75, within(1e-12));
    assertThat(b.p90()).isCloseTo(9.10, within(1e-12));
    assertThat(b.mean()).isCloseTo(5.5, within(1e-12));
    assertThat(b.count()).isEqualTo(10);
    assertThat(b.method().name()).contains("type 7");
  }

  @Test
  void worldClassOeeIsTheProductOfItsFactors() {
    double product =
        BenchmarkReference.WORLD_CLASS_AVAILABILITY
            * BenchmarkReference.WORLD_CLASS_PERFORMANCE
            * BenchmarkReference.WORLD_CLASS_QUALITY;
    assertThat(product).isCloseTo(0.854, within(0.0005));
    assertThat(BenchmarkReference.oee().worldClass()).isEqualTo(0.85);
    assertThat(BenchmarkReference.oee().typicalLow()).isEqualTo(0.40);
    assertThat(BenchmarkReference.oee().typicalHigh()).isEqualTo(0.60);
  }

  @Test
  void oeeValuesAreClassifiedAgainstReferenceAndFleet() {
    double[] fleet = {0.35, 0.42, 0.48, 0.52, 0.55, 0.58, 0.61, 0.66, 0.72, 0.88};
    BenchmarkReference oee = BenchmarkReference.oee();
    assertThat(Benchmarks.position(0.88, fleet, oee).referenceClass())
        .isEqualTo(ReferenceClass.WORLD_CLASS);
    assertThat(Benchmarks.position(0.85, fleet, oee).referenceClass())
        .isEqualTo(ReferenceClass.WORLD_CLASS);
    assertThat(Benchmarks.position(0.72, fleet, oee).referenceClass())
        .isEqualTo(ReferenceClass.ABOVE_TYPICAL);
    assertThat(Benchmarks.position(0.60, fleet, oee).referenceClass())
        .isEqualTo(ReferenceClass.TYPICAL);
    assertThat(Benchmarks.position(0.35, fleet, oee).referenceClass())
        .isEqualTo(ReferenceClass.BELOW_TYPICAL);
    BenchmarkPosition low = Benchmarks.position(0.35, fleet, oee);
    assertThat(low.fleetBand()).isEqualTo(FleetBand.BELOW_P10);
    assertThat(low.percentileRank()).isCloseTo(0.05, within(1e-12));
    assertThat(Benchmarks.position(0.88, fleet, oee).fleetBand()).isEqualTo(FleetBand.P90_AND_ABOVE);
    assertThat(Benchmarks.position(0.57, fleet, oee).fleetBand()).isEqualTo(FleetBand.P50_TO_P75);
    assertThat(low.method().parameters()).containsEntry("metric", "OEE");
  }

  @Test
  void lowerIsBetterReferencesReadTheOtherWay() {
    // MTTR in hours: world-class 1 h, typical 4 h (bad end) to 2 h (good end).
    BenchmarkReference mttr = new BenchmarkReference("MTTR", 1, 4, 2, false, "host's figures");
    double[] fleet = {1, 2, 3, 4, 5};
    assertThat(Benchmarks.position(0.8, fleet, mttr).referenceClass())
        .isEqualTo(ReferenceClass.WORLD_CLASS);
    assertThat(Benchmarks.position(1.5, fleet, mttr).referenceClass())
        .isEqualTo(ReferenceClass.ABOVE_TYPICAL);
    assertThat(Benchmarks.position(3, fleet, mttr).referenceClass())
        .isEqualTo(ReferenceClass.TYPICAL);
    assertThat(Benchmarks.position(6, fleet, mttr).referenceClass())
        .isEqualTo(ReferenceClass.BELOW_TYPICAL);
  }

  @Test
  void rejectsReferencesOutOfOrderAndBadValues() {
    assertThatThrownBy(() -> new BenchmarkReference("OEE", 0.5, 0.4, 0.6, true, "x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("out of order");
    assertThatThrownBy(() -> Benchmarks.bands(new double[0]))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Benchmarks.position(Double.NaN, new double[] {1}, BenchmarkReference.oee()))
        .isInstanceOf(InvalidRequestException.class);
  }
}
