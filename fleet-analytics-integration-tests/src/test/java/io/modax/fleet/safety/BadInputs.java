package io.modax.fleet.safety;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Seeded generators of the inputs a public API must survive: missing, blank, over-long, Unicode
 * and control-character ids, ids carrying quotes and SQL, inverted and enormous windows, instants
 * at and beyond the database's range, non-finite and out-of-range numbers. Plain {@link
 * SplittableRandom}: the same seed gives the same inputs.
 *
 * <p>Every id that carries SQL also carries a fresh token ({@code fz} and 8 hex digits), collected
 * in {@link #tokens()}, so that a test can check that no such text ever reached the database as
 * part of a statement.
 */
final class BadInputs {

  /** A well-formed id that exists: the organization or location the inputs are aimed at. */
  private final List<String> valid;
  private final SplittableRandom random;
  private final List<String> tokens = new ArrayList<>();

  BadInputs(long seed, List<String> valid) {
    this.random = new SplittableRandom(seed);
    this.valid = List.copyOf(valid);
  }

  SplittableRandom random() {
    return random;
  }

  List<String> tokens() {
    return tokens;
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  @SafeVarargs
  final <T> T oneOf(T... items) {
    return items[random.nextInt(items.length)];
  }

  /** An id: a quarter of the time a valid one, else one of the kinds of bad or odd ids. */
  @Nullable String id() {
    if (chance(0.25)) {
      return pick(valid);
    }
    return switch (random.nextInt(12)) {
      case 0 -> null;
      case 1 -> oneOf("", " ", "\t", "\u3000", "\n", "  \u00a0 ");
      case 2 -> "x".repeat(65 + random.nextInt(400));
      case 3 -> "é".repeat(64); // 64 characters, 128 bytes: valid
      case 4 -> "🏭".repeat(1 + random.nextInt(70)); // surrogate pairs: 64 code points are valid
      case 5 -> oneOf("a\u0000b", "line\nbreak", "esc\u001b[31m", "tab\there", "\u007f");
      case 6 -> oneOf("a\uD800", "\uDC00b", "x\uDBFF", "\uD83C"); // unpaired surrogates
      case 7 -> oneOf("\u202eevil", "zero\u200bwidth", "\ufeffbom", "e\u0301", "İ", "ß", "ﬁ", "\uFFFF");
      case 8, 9 -> injection();
      case 10 -> oneOf("NULL", "null", "*", "%", "_", "%_%", "\\", "{a,b}", "()", "[]", "..", "../x", "a/b");
      default -> pick(valid) + oneOf(" ", "'", "\"", "%", "\u0000", "x", "\u00ad");
    };
  }

  /** A string carrying SQL and quotes around a fresh token. */
  String injection() {
    String token = "fz" + HexFormat.of().toHexDigits(random.nextInt());
    tokens.add(token);
    return oneOf(
        "x'; DROP TABLE " + token + "; --",
        "'); SELECT pg_sleep(5); -- " + token,
        "\" OR 1=1 -- " + token,
        "' OR organization_id <> '" + token,
        "$$" + token + "$$",
        "$q$ " + token + " $q$",
        "/* " + token + " */",
        "E'\\x00" + token + "'",
        token + "'::regclass",
        "');COPY x TO PROGRAM 'id " + token + "';--");
  }

  /** Free text (names, descriptions, time zones): anything an id may be, and more. */
  @Nullable String text() {
    return chance(0.2) ? oneOf("Europe/Berlin", "UTC", "Asia/Kolkata", "Mars/Olympus", "+05:30", "EST5EDT", "")
        : id();
  }

  /** An instant: ordinary, old, in the future, at or beyond the database's range, or null. */
  @Nullable Instant instant() {
    Instant now = Analyses.NOW;
    return switch (random.nextInt(10)) {
      case 0 -> null;
      case 1 -> Instant.MIN;
      case 2 -> Instant.MAX;
      case 3 -> oneOf(Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("-4714-11-24T00:00:00Z"),
          Instant.parse("-5000-01-01T00:00:00Z"));
      case 4 -> oneOf(Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+294277-01-01T00:00:00Z"),
          Instant.parse("+300000-01-01T00:00:00Z"));
      case 5 -> now.plus(Duration.ofDays(random.nextInt(1, 4000)));
      case 6 -> now.minus(Duration.ofDays(random.nextInt(4000, 40000)));
      case 7 -> now.plusNanos(random.nextLong(-1_000_000_000L, 1_000_000_000L));
      default -> now.minusSeconds(random.nextLong(0, 60L * 86400));
    };
  }

  /** A double: finite and plausible, at the edges, non-finite or out of every range. */
  @Nullable Double number() {
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> oneOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
      case 2 -> oneOf(-0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE);
      case 3 -> oneOf(-1.0, 1.0000001, 2.0, 1e308, -1e-308, 1e-320);
      default -> random.nextDouble() * (chance(0.5) ? 1 : 100);
    };
  }

  /** An int at the edges of every range. */
  int integer() {
    return switch (random.nextInt(6)) {
      case 0 -> oneOf(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case 1 -> oneOf(-1, 0);
      case 2 -> oneOf(1, 7, 30, 365, 366, 1000, 86_400, 86_401, 1_000_001);
      default -> random.nextInt(-10, 400);
    };
  }

  /** A duration: null, zero, negative, tiny or beyond any limit. */
  @Nullable Duration duration() {
    return switch (random.nextInt(7)) {
      case 0 -> null;
      case 1 -> oneOf(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(-1));
      case 2 -> oneOf(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE), Duration.ofDays(40_000));
      case 3 -> Duration.ofDays(-random.nextInt(1, 1000));
      default -> Duration.ofMinutes(random.nextLong(1, 60L * 24 * 400));
    };
  }

  /** A calendar period: null, zero, negative, mixed or huge. */
  @Nullable Period period() {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> oneOf(Period.ZERO, Period.ofDays(-1), Period.of(1, -1, 0));
      case 2 -> oneOf(Period.ofYears(Integer.MAX_VALUE), Period.ofYears(200), Period.ofDays(Integer.MAX_VALUE));
      default -> Period.ofDays(random.nextInt(1, 900));
    };
  }

  /** A list of ids: null, empty, holding nulls, or many. */
  @Nullable List<String> ids() {
    return switch (random.nextInt(6)) {
      case 0 -> null;
      case 1 -> List.of();
      case 2 -> {
        List<String> l = new ArrayList<>();
        l.add(null);
        l.add(pick(valid));
        yield l;
      }
      case 3 -> {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
          l.add("loc-" + i);
        }
        yield l;
      }
      default -> {
        List<String> l = new ArrayList<>();
        int n = random.nextInt(1, 5);
        for (int i = 0; i < n; i++) {
          l.add(id());
        }
        yield l;
      }
    };
  }
}
