package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Report windows in an organization's calendar, across DST changes and far from UTC. */
class ReportCadenceTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
  static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

  @Test
  void yesterdayAfterTheSpringChangeHas23Hours() {
    // Monday 30 March 2026, 01:30 in Berlin (Sunday 29 March lost an hour at 02:00)
    ReportWindow y = ReportCadence.yesterday(BERLIN, Instant.parse("2026-03-29T23:30:00Z"));
    assertThat(y.firstDay()).isEqualTo(LocalDate.of(2026, 3, 29));
    assertThat(y.start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
    assertThat(y.end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
    assertThat(y.length()).isEqualTo(Duration.ofHours(23));
    assertThat(y.previous().length()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void yesterdayAfterTheAutumnChangeHas25Hours() {
    ReportWindow y = ReportCadence.yesterday(BERLIN, Instant.parse("2026-10-26T06:00:00Z"));
    assertThat(y.firstDay()).isEqualTo(LocalDate.of(2026, 10, 25));
    assertThat(y.length()).isEqualTo(Duration.ofHours(25));
    ReportWindow chicago = ReportCadence.yesterday(CHICAGO, Instant.parse("2026-11-02T12:00:00Z"));
    assertThat(chicago.firstDay()).isEqualTo(LocalDate.of(2026, 11, 1));
    assertThat(chicago.length()).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void yesterdayFollowsTheZonesCalendarNotUtcs() {
    // 20:00 UTC on 10 June is already 11 June in Kolkata (+05:30): yesterday there is 10 June
    Instant now = Instant.parse("2026-06-10T20:00:00Z");
    assertThat(ReportCadence.yesterday(KOLKATA, now).firstDay()).isEqualTo(LocalDate.of(2026, 6, 10));
    assertThat(ReportCadence.yesterday(KOLKATA, now).start()).isEqualTo(Instant.parse("2026-06-09T18:30:00Z"));
    assertThat(ReportCadence.yesterday(CHICAGO, now).firstDay()).isEqualTo(LocalDate.of(2026, 6, 9));
  }

  @Test
  void lastWeekIsTheIsoWeekBeforeAndMayHoldADstChange() {
    // Wednesday 1 April 2026: last week is Monday 23 to Sunday 29 March, one hour short
    ReportWindow w = ReportCadence.lastWeek(BERLIN, Instant.parse("2026-04-01T09:00:00Z"));
    assertThat(w.firstDay()).isEqualTo(LocalDate.of(2026, 3, 23));
    assertThat(w.lastDay()).isEqualTo(LocalDate.of(2026, 3, 29));
    assertThat(w.length()).isEqualTo(Duration.ofHours(7 * 24 - 1));
    assertThat(w.label()).isEqualTo("Week 13 of 2026 (23 Mar \u2013 29 Mar 2026)");
    // on a Monday just after midnight, last week has just ended
    ReportWindow monday = ReportCadence.lastWeek(BERLIN, Instant.parse("2026-03-29T22:00:00Z"));
    assertThat(monday).isEqualTo(w);
    assertThat(ReportCadence.lastWeek(BERLIN, Instant.parse("2026-03-29T21:59:59Z")).firstDay())
        .isEqualTo(LocalDate.of(2026, 3, 16));
  }

  @Test
  void lastMonthIsTheCalendarMonthBefore() {
    ReportWindow m = ReportCadence.lastMonth(BERLIN, Instant.parse("2026-04-15T12:00:00Z"));
    assertThat(m.firstDay()).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(m.endDay()).isEqualTo(LocalDate.of(2026, 4, 1));
    assertThat(m.length()).isEqualTo(Duration.ofHours(31 * 24 - 1));
    assertThat(m.label()).isEqualTo("March 2026");
    assertThat(m.previous().firstDay()).isEqualTo(LocalDate.of(2026, 2, 1));
    assertThat(ReportCadence.lastMonth(BERLIN, Instant.parse("2026-01-05T00:00:00Z")).firstDay())
        .isEqualTo(LocalDate.of(2025, 12, 1));
  }

  @Test
  void nextDueIsWhenTheCurrentPeriodEnds() {
    Instant now = Instant.parse("2026-10-21T10:00:00Z");
    assertThat(ReportCadence.nextDue(ReportPeriod.DAY, BERLIN, now)).isEqualTo(Instant.parse("2026-10-21T22:00:00Z"));
    // Sunday 25 October ends at 23:00 UTC (after the change to CET)
    assertThat(ReportCadence.nextDue(ReportPeriod.WEEK, BERLIN, now)).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
    assertThat(ReportCadence.nextDue(ReportPeriod.MONTH, BERLIN, now)).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
    assertThat(ReportCadence.lastCompleted(ReportPeriod.DAY, BERLIN, now).isCompleteAt(now)).isTrue();
    assertThat(ReportWindow.containing(ReportPeriod.DAY, BERLIN, now).isCompleteAt(now)).isFalse();
  }

  @Test
  void windowsMustStartAPeriod() {
    assertThatThrownBy(() -> new ReportWindow(ReportPeriod.MONTH, BERLIN, LocalDate.of(2026, 3, 2)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("firstDay 2026-03-02 does not start a month: a week starts on a Monday, a month on the 1st"
            + " (the month containing it starts 2026-03-01)");
    assertThatThrownBy(() -> ReportCadence.yesterday(null, Instant.EPOCH))
        .isInstanceOf(InvalidRequestException.class).hasMessage("zone must not be null");
    assertThatThrownBy(() -> ReportCadence.lastCompleted(null, BERLIN, Instant.EPOCH))
        .isInstanceOf(InvalidRequestException.class).hasMessage("period must not be null");
  }

  @Test
  void historiesCoverTheTrendCharts() {
    ReportWindow day = new ReportWindow(ReportPeriod.DAY, BERLIN, LocalDate.of(2026, 6, 16));
    assertThat(day.historyStart()).isEqualTo(LocalDate.of(2026, 5, 18).atStartOfDay(BERLIN).toInstant());
    ReportWindow week = new ReportWindow(ReportPeriod.WEEK, BERLIN, LocalDate.of(2026, 6, 8));
    assertThat(week.historyStart()).isEqualTo(LocalDate.of(2026, 4, 20).atStartOfDay(BERLIN).toInstant());
    ReportWindow month = new ReportWindow(ReportPeriod.MONTH, BERLIN, LocalDate.of(2026, 5, 1));
    assertThat(month.historyStart()).isEqualTo(LocalDate.of(2025, 12, 1).atStartOfDay(BERLIN).toInstant());
  }
}
