package io.modax.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.reporting.GrafanaDashboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard JSON the library ships, type-checked by TypeScript ({@code tsc --strict})
 * against Grafana's published dashboard schema types ({@code @grafana/schema}, the version pinned
 * in {@code src/test/grafana-schema/package-lock.json}). The test installs that package and
 * TypeScript into {@code target/grafana-schema-check} with {@code npm ci} (npm's own cache holds
 * the downloads), writes the dashboard as a typed constant and runs {@code tsc}. Next to it, the
 * same dashboard with one field of the wrong type must fail, so the check is shown to bite.
 *
 * <p>Skips, saying why, when Node.js or npm is not installed.
 */
class GrafanaSchemaCheckTest {

  static final Path SOURCE = Path.of("src", "test", "grafana-schema");
  static final Path WORK = Path.of("target", "grafana-schema-check");

  record Result(int status, String output) {}

  static Result exec(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static boolean runs(String... command) {
    try {
      return exec(Path.of("."), 60, command).status() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void theShippedDashboardIsAGrafanaDashboardAndAWrongFieldTypeIsNot() throws Exception {
    assumeTrue(runs("node", "--version") && runs("npm", "--version"),
        "Node.js and npm are not installed: the Grafana schema check (tsc against @grafana/schema) is skipped");
    Files.createDirectories(WORK);
    for (String f : List.of("package.json", "package-lock.json", "tsconfig.json", "dashboard-types.ts")) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    // npm ci: exactly the locked versions; it replaces node_modules, so only when the lock changed
    Path installedLock = WORK.resolve("node_modules/.package-lock.json");
    Path stamp = WORK.resolve("node_modules/.installed-from-lock");
    String lock = Files.readString(WORK.resolve("package-lock.json"));
    if (!Files.exists(installedLock) || !Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
      Result install = exec(WORK, 600, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
      assertThat(install.status()).as("npm ci in %s:%n%s", WORK, install.output()).isZero();
      Files.writeString(stamp, lock);
    }

    String json = GrafanaDashboard.json(FleetAnalytics.DEFAULT_SCHEMA, FleetHealth.Thresholds.DEFAULT);
    String header = "import type { ExportedDashboard } from './dashboard-types';\n"
        + "export const dashboard: ExportedDashboard = ";
    Files.writeString(WORK.resolve("dashboard.ts"), header + json + ";\n");
    // one wrong field type: the schema version as a string, where Grafana's type has a number
    String wrong = json.replaceFirst("\"schemaVersion\": " + GrafanaDashboard.SCHEMA_VERSION,
        "\"schemaVersion\": \"" + GrafanaDashboard.SCHEMA_VERSION + "\"");
    assertThat(wrong).isNotEqualTo(json);
    Files.writeString(WORK.resolve("wrong-field-type.ts"), header + wrong + ";\n");
    int wrongLine = 0;
    List<String> wrongLines = (header + wrong).lines().toList();
    for (int i = 0; i < wrongLines.size(); i++) {
      if (wrongLines.get(i).contains("\"schemaVersion\"")) {
        wrongLine = i + 1;
      }
    }

    Result tsc = exec(WORK, 300, "node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json");
    List<String> errors = new ArrayList<>(tsc.output().lines().filter(l -> l.contains("error TS")).toList());
    assertThat(errors).as("tsc found errors in the shipped dashboard:%n%s", tsc.output())
        .noneMatch(l -> l.startsWith("dashboard.ts"));
    assertThat(errors).as("tsc must refuse the dashboard with a string schemaVersion:%n%s", tsc.output())
        .containsExactly("wrong-field-type.ts(" + wrongLine + ",3): error TS2322: Type 'string' is not assignable"
            + " to type 'number'.");
  }
}
