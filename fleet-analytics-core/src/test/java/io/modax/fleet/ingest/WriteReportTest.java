package io.modax.fleet.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refused records a report lists: positions as in one call, never more than counted or the cap. */
class WriteReportTest {

  private static WriteReport chunk(long submitted, long... refusedAt) {
    List<RefusedRecord> refused = new ArrayList<>();
    for (long p : refusedAt) {
      refused.add(new RefusedRecord(p, QuarantineReason.UNKNOWN_LOCATION, "location 'x' is unknown"));
    }
    return new WriteReport(submitted, submitted - refusedAt.length, 0, 0,
        Map.of(QuarantineReason.UNKNOWN_LOCATION, (long) refusedAt.length), refused);
  }

  @Test
  void aLaterChunksRefusalsMoveOnByTheRecordsBeforeThem() {
    WriteReport r = chunk(10, 2, 9).plus(chunk(5, 0, 4)).plus(chunk(3, 1));
    assertThat(r.refused()).extracting(RefusedRecord::position).containsExactly(2L, 9L, 10L, 14L, 16L);
    assertThat(r.quarantined()).isEqualTo(5);
    assertThat(WriteReport.EMPTY.plus(chunk(4, 3)).refused()).extracting(RefusedRecord::position).containsExactly(3L);
  }

  @Test
  void listsTheFirstRefusalsUpToTheCapAndCountsAll() {
    long[] all = new long[WriteReport.MAX_LISTED_REFUSALS];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    WriteReport r = chunk(all.length, all).plus(chunk(7, 6));
    assertThat(r.refused()).hasSize(WriteReport.MAX_LISTED_REFUSALS);
    assertThat(r.refused().get(r.refused().size() - 1).position()).isEqualTo(WriteReport.MAX_LISTED_REFUSALS - 1L);
    assertThat(r.quarantined()).isEqualTo(WriteReport.MAX_LISTED_REFUSALS + 1L);
  }

  @Test
  void refusesToListMoreThanWasQuarantined() {
    assertThatThrownBy(() -> new WriteReport(2, 2, 0, 0, Map.of(),
        List.of(new RefusedRecord(0, QuarantineReason.NON_FINITE, "oee NaN"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lists 1 refused records");
    assertThatThrownBy(() -> new RefusedRecord(-1, QuarantineReason.NON_FINITE, "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position -1");
  }
}
