package io.modax.fleet.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modax.fleet.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticalMethodTest {

  @Test
  void describesItselfForAPersonAndKeepsParameterOrder() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("z", "1");
    params.put("a", "2");
    StatisticalMethod m =
        new StatisticalMethod("Test", params, List.of("Days are independent."), List.of("Few days."));
    params.put("late", "3");
    assertThat(m.parameters()).containsOnlyKeys("z", "a");
    assertThat(m.parameters().keySet()).containsExactly("z", "a");
    assertThat(m.describe())
        .isEqualTo(
            "Test\n  z = 1\n  a = 2\n  Assumes:\n   - Days are independent.\n"
                + "  Do not trust it when:\n   - Few days.\n");
  }

  @Test
  void everyResultCarriesAssumptionsAndCaveats() {
    double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    double[] b = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    List<StatisticalMethod> methods =
        List.of(
            Significance.welch(a, b, 0.95).method(),
            Significance.mannWhitney(a, b, 0.95).method(),
            Benchmarks.bands(a).method(),
            Reliability.crowAmsaaFailureTruncated(a, 0.95).method(),
            Reliability.laplaceFailureTruncated(a, 0.05).method(),
            SpareParts.stock(3, 3, 0.95).method());
    assertThat(methods)
        .allSatisfy(
            m -> {
              assertThat(m.assumptions()).isNotEmpty();
              assertThat(m.caveats()).isNotEmpty();
              assertThat(m.describe()).contains("Assumes:").contains("Do not trust it when:");
            });
  }

  @Test
  void intervalsAreChecked() {
    Interval i = new Interval(1, 2, 0.95);
    assertThat(i.contains(1)).isTrue();
    assertThat(i.contains(2.5)).isFalse();
    assertThat(i.isAbove(0.5)).isTrue();
    assertThat(i.isBelow(2.5)).isTrue();
    assertThatThrownBy(() -> new Interval(2, 1, 0.95)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new Interval(1, 2, 1.0)).isInstanceOf(InvalidRequestException.class);
  }
}
