package io.modax.fleet.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.CallerContext;
import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.Role;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.ingest.FleetMetrics;
import io.modax.fleet.ingest.Location;
import io.modax.fleet.ingest.Organization;
import io.modax.fleet.testkit.FleetDatabase;
import io.modax.fleet.testkit.FleetDatabaseExtension;
import io.modax.fleet.testkit.SampleFleet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo fleet's reports rendered in headless Chromium: every chart drew (its SVG has shapes and
 * a size), the page made no request but for itself, no console error or exception appeared, and
 * names with markup stay text. Screenshots and PDFs go to {@code target/reports/}; with {@code
 * -Dfleet.report.updateScreenshot=true} the executive report's screenshot also replaces {@code
 * docs/report-screenshot.png}.
 *
 * <p>Skips, saying why, when no Chromium binary is installed ({@code .ci/run} installs Debian's).
 */
@ExtendWith(FleetDatabaseExtension.class)
@FleetDatabaseExtension.ResetOncePerClass
class HtmlReportInChromiumTest {

  /** A Wednesday: the report is last week's, Monday 8 to Sunday 14 June 2026 in Berlin. */
  static final Instant NOW = Instant.parse("2026-06-17T10:35:00Z");
  static final String NASTY = "<img src=x onerror=alert(1)> & \"Zürich\" </script><b>";
  static final Path OUT = Path.of("target", "reports");
  static final String CHECK = """
      JSON.stringify({
        charts: Array.from(document.querySelectorAll('.chart')).map(el => {
          const svg = el.querySelector('svg');
          const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
          return { id: el.id, width: r.width, height: r.height,
            shapes: svg ? svg.querySelectorAll('path,rect,circle,polyline,polygon,line').length : 0,
            texts: svg ? svg.querySelectorAll('text').length : 0,
            longestPath: svg ? Math.max(0, ...Array.from(svg.querySelectorAll('path')).map(p => (p.getAttribute('d') || '').length)) : 0 };
        }),
        ready: document.documentElement.getAttribute('data-charts'),
        title: document.title,
        text: document.body.innerText,
        images: document.querySelectorAll('img').length,
        bold: document.querySelectorAll('b').length
      })""";

  static Path chromium;

  @BeforeAll
  static void load(FleetDatabase db) throws Exception {
    chromium = HeadlessChromium.binary().orElse(null);
    Assumptions.assumeTrue(chromium != null, "no Chromium binary: install Debian's chromium package"
        + " (apt-get install chromium; .ci/run does) or set FLEET_CHROMIUM to a Chrome/Chromium binary");
    Files.createDirectories(OUT);
    try (FleetAnalytics fleet = analytics(db)) {
      SampleFleet.builder().seed(11).end(NOW).days(63).build().load(fleet);
      CallerContext admin = CallerContext.of("loader", "evil", Role.ADMIN);
      fleet.writer().writeOrganization(admin, new Organization("evil", NASTY, "Europe/Zurich", "CHF"));
      fleet.writer().writeLocations(admin, "evil", List.of(
          new Location("evil", "Z1", NASTY, null, "Europe/Zurich", 47.37, 8.54, BigDecimal.TEN, 3600, null, List.of()),
          new Location("evil", "Z2", "Plant '2' {a|b} ${x}", null, "Europe/Zurich", 46.2, 6.14, null, 3600, null, List.of())));
      List<FleetMetrics> rows = new ArrayList<>();
      for (Instant t = NOW.minus(Duration.ofDays(20)); t.isBefore(NOW); t = t.plus(Duration.ofHours(1))) {
        for (String id : List.of("Z1", "Z2")) {
          rows.add(FleetMetrics.builder("evil", id, t).intervalSeconds(3600).deviceCount(5).avgUptime(0.9)
              .avgEfficiency(0.9).oee(0.8).totalFailures(0).totalProductionHours(4.5).totalDowntimeHours(0.5).build());
        }
      }
      fleet.writer().writeMetrics(admin, "evil", rows);
    }
  }

  static FleetAnalytics analytics(FleetDatabase db) {
    return db.analyticsBuilder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  @Test
  void theExecutiveReportDrawsEveryChartOfflineWithoutErrors(FleetDatabase db) throws Exception {
    Path file;
    try (FleetAnalytics fleet = analytics(db)) {
      ExecutiveSummary s = fleet.reports().executiveSummary(CallerContext.of("cfo", "acme", Role.READ_ONLY), "acme",
          ReportPeriod.WEEK);
      file = HtmlReport.write(s, OUT.resolve("executive-report.html"));
    }
    HeadlessChromium.PageRun run = render(file, "executive-report");
    assertCharts(run, List.of("chart-gauge", "chart-map", "chart-oee", "chart-failures", "chart-mtbf", "chart-cost",
        "chart-cost-split"));
    assertThat((String) run.evaluation().get("text")).contains("ACME Industrial", "Plant B - Chicago", "Recommendations",
        "review spare-parts availability and repair procedures");
    if (Boolean.getBoolean("fleet.report.updateScreenshot")) {
      Path docs = Path.of("..", "docs", "report-screenshot.png");
      Files.write(docs, run.screenshot());
    }
  }

  @Test
  void theLocationReportDrawsEveryChartToo(FleetDatabase db) throws Exception {
    Path file;
    try (FleetAnalytics fleet = analytics(db)) {
      LocationReport r = fleet.reports().locationReport(CallerContext.of("plant-manager", "acme", Role.READ_ONLY),
          "acme", "B", ReportPeriod.MONTH);
      file = HtmlReport.write(r, OUT.resolve("location-report-B.html"));
    }
    HeadlessChromium.PageRun run = render(file, "location-report-B");
    assertCharts(run, List.of("chart-gauge", "chart-map", "chart-failures", "chart-mtbf", "chart-cost"));
    assertThat((String) run.evaluation().get("text")).contains("Plant B - Chicago", "America/Chicago");
  }

  @Test
  void namesWithMarkupStayText(FleetDatabase db) throws Exception {
    Path file;
    try (FleetAnalytics fleet = analytics(db)) {
      CallerContext reader = CallerContext.of("reader", "evil", Role.READ_ONLY);
      ExecutiveSummary s = fleet.reports().executiveSummary(reader, "evil", ReportPeriod.WEEK);
      file = HtmlReport.write(s, OUT.resolve("markup-names.html"));
      HtmlReport.write(fleet.reports().locationReport(reader, "evil", "Z1", ReportWindow.containing(ReportPeriod.WEEK,
          s.window().zone(), s.window().firstDay()), FleetHealth.Thresholds.DEFAULT), OUT.resolve("markup-location.html"));
    }
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Zürich&quot;");
    for (String name : List.of("markup-names", "markup-location")) {
      HeadlessChromium.PageRun run = render(OUT.resolve(name + ".html"), name);
      assertThat(run.dialogs()).as("dialogs").isEmpty();
      assertThat(((Number) run.evaluation().get("images")).intValue()).isZero();
      assertThat(((Number) run.evaluation().get("bold")).intValue()).isZero();
      assertThat((String) run.evaluation().get("text")).contains(NASTY);
      assertThat((String) run.evaluation().get("title")).contains(NASTY);
    }
  }

  private static HeadlessChromium.PageRun render(Path file, String name) throws Exception {
    HeadlessChromium.PageRun run;
    try (HeadlessChromium browser = HeadlessChromium.start(chromium)) {
      run = browser.run(file.toAbsolutePath(), 1280, CHECK);
    }
    Files.write(OUT.resolve(name + ".png"), run.screenshot());
    Files.write(OUT.resolve(name + ".pdf"), run.pdf());
    String own = file.toAbsolutePath().toUri().toString();
    assertThat(run.requests()).as("requests the page made").allSatisfy(u -> assertThat(u).isEqualTo(own));
    assertThat(run.errors()).as("console errors and exceptions").isEmpty();
    assertThat(run.dialogs()).as("dialogs").isEmpty();
    assertThat(run.screenshot()).hasSizeGreaterThan(50_000);
    assertThat(new String(run.pdf(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    assertThat(pages(run.pdf())).as("printed pages").isBetween(2, 8);
    // nothing in the markup points outside the page
    String html = Files.readString(file, StandardCharsets.UTF_8);
    String markup = html.replaceAll("(?s)<script\\b[^>]*>.*?</script>", "");
    Matcher external = Pattern.compile("(?i)(src|href|url)\\s*[=(]\\s*[\"']?\\s*(https?:|//|ftp:)").matcher(markup);
    assertThat(external.find()).as("external reference in the markup").isFalse();
    return run;
  }

  private static void assertCharts(HeadlessChromium.PageRun run, List<String> expected) {
    List<Object> charts = HeadlessChromium.JsonReaderCast.list(run.evaluation().get("charts"));
    assertThat(charts).extracting(c -> HeadlessChromium.JsonReaderCast.map(c).get("id")).containsExactlyElementsOf(expected);
    assertThat(run.evaluation().get("ready")).isEqualTo(String.valueOf(expected.size()));
    for (Object o : charts) {
      Map<String, Object> c = HeadlessChromium.JsonReaderCast.map(o);
      assertThat(((Number) c.get("width")).doubleValue()).as(c.get("id") + " width").isGreaterThan(150);
      assertThat(((Number) c.get("height")).doubleValue()).as(c.get("id") + " height").isGreaterThan(150);
      assertThat(((Number) c.get("shapes")).intValue()).as(c.get("id") + " shapes").isGreaterThanOrEqualTo(4);
      assertThat(((Number) c.get("texts")).intValue()).as(c.get("id") + " texts").isGreaterThan(0);
    }
    Map<String, Object> map = charts.stream().map(HeadlessChromium.JsonReaderCast::map)
        .filter(c -> "chart-map".equals(c.get("id"))).findFirst().orElseThrow();
    assertThat(((Number) map.get("longestPath")).intValue()).as("the land outline's path").isGreaterThan(5_000);
    assertThat(((Number) map.get("texts")).intValue()).as("the markers' labels").isGreaterThanOrEqualTo(2);
  }

  private static int pages(byte[] pdf) {
    Matcher m = Pattern.compile("/Type\\s*/Page[^s]").matcher(new String(pdf, StandardCharsets.ISO_8859_1));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
