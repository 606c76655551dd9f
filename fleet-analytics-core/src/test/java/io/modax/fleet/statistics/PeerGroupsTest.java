package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modax.fleet.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerGroupsTest {

  static LocationProfile profile(String id, Map<String, Integer> mix, String shift, String... tags) {
    return new LocationProfile(id, mix, shift, Set.of(tags));
  }

  @Test
  void groupsByShiftPatternAndTagsDeterministically() {
    List<LocationProfile> p =
        List.of(
            profile("C", Map.of("cnc", 4), "3x8", "region:eu"),
            profile("A", Map.of("cnc", 2), "2x8", "region:eu", "line:1"),
            profile("B", Map.of("press", 5), "3x8", "region:us"),
            new LocationProfile("D", Map.of(), null, Set.of()));
    PeerGrouping shifts = PeerGroups.byShiftPattern(p);
    assertThat(shifts.groups())
        .extracting(PeerGroup::key)
        .containsExactly("shift:(none)", "shift:2x8", "shift:3x8");
    assertThat(shifts.groupOf("C").orElseThrow().locationIds()).containsExactly("B", "C");
    PeerGrouping regions = PeerGroups.byTag(p, "region:");
    assertThat(regions.groupOf("A").orElseThrow().key()).isEqualTo("tag:region:eu");
    assertThat(regions.groupOf("A").orElseThrow().locationIds()).containsExactly("A", "C");
    assertThat(regions.groupOf("D").orElseThrow().key()).isEqualTo("tag:(none)");
    List<LocationProfile> shuffled = new ArrayList<>(p);
    Collections.reverse(shuffled);
    assertThat(PeerGroups.byTag(shuffled, "region:").groups()).isEqualTo(regions.groups());
  }

  @Test
  void deviceMixGroupsUseCompleteLinkageSoDissimilarLocationsNeverChainTogether() {
    // A ~ B (cos 0.894) and B ~ C (cos 0.949) but A and C are not alike (cos 0.707).
    LocationProfile a = profile("A", Map.of("cnc", 2, "press", 0), "3x8");
    LocationProfile b = profile("B", Map.of("cnc", 2, "press", 1), "3x8");
    LocationProfile c = profile("C", Map.of("cnc", 2, "press", 2), "3x8");
    assertThat(PeerGroups.cosineSimilarity(a.deviceTypeCounts(), c.deviceTypeCounts()))
        .isCloseTo(Math.sqrt(0.5), within(1e-12));
    PeerGrouping g = PeerGroups.byDeviceMix(List.of(c, b, a), 0.85);
    assertThat(g.groups()).extracting(PeerGroup::locationIds)
        .containsExactly(List.of("A", "B"), List.of("C"));
    assertThat(g.method().parameters()).containsEntry("minimum cosine similarity", "0.850000");
    // Size does not matter, proportions do.
    LocationProfile big = profile("E", Map.of("cnc", 20, "press", 10), "2x8");
    assertThat(PeerGroups.cosineSimilarity(b.deviceTypeCounts(), big.deviceTypeCounts()))
        .isCloseTo(1.0, within(1e-12));
    PeerGrouping both = PeerGroups.byShiftPatternAndDeviceMix(List.of(a, b, c, big), 0.85);
    assertThat(both.groups()).extracting(PeerGroup::key)
        .containsExactly("shift:2x8/mix:1", "shift:3x8/mix:1", "shift:3x8/mix:2");
  }

  @Test
  void rejectsDuplicatesAndBadThresholds() {
    LocationProfile a = profile("A", Map.of("cnc", 1), "3x8");
    assertThatThrownBy(() -> PeerGroups.byShiftPattern(List.of(a, a)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> PeerGroups.byDeviceMix(List.of(a), 0))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("minCosine");
    assertThatThrownBy(() -> profile("X", Map.of("cnc", -1), null))
        .isInstanceOf(InvalidRequestException.class);
  }
}
