package io.modax.fleet.analytics;

import static io.modax.fleet.internal.jooq.Tables.FLEET_ROLLUP_DIRTY;
import static io.modax.fleet.internal.jooq.Tables.LOCATIONS;

import io.modax.fleet.NotFoundException;
import io.modax.fleet.internal.Checks;
import io.modax.fleet.internal.ComponentSums;
import io.modax.fleet.internal.jooq.Routines;
import io.modax.fleet.internal.jooq.Tables;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * Reads exact component sums per location for a window, from the rollups and raw rows (the SQL
 * function {@code fleet_window_sums}), after folding in changes made by other SQL.
 */
final class WindowSums {

  /** Far enough in the future to stand for the design's unbounded "timestamp > now - N days". */
  static final Instant UNBOUNDED_END = Instant.parse("9999-01-01T00:00:00Z");

  private WindowSums() {}

  /** Folds hours marked dirty by SQL outside the library into the rollups, if there are any. */
  static void refreshDirtyRollups(DSLContext dsl, String organizationId) {
    boolean dirty =
        dsl.fetchExists(
            dsl.selectOne().from(FLEET_ROLLUP_DIRTY).where(FLEET_ROLLUP_DIRTY.ORGANIZATION_ID.eq(organizationId)));
    if (dirty) {
      Routines.refreshDirtyFleetRollups(dsl.configuration(), organizationId);
    }
  }

  /**
   * Sums per location over {@code [from, to)}, keyed by location id in the order of the locations
   * table (by id). With {@code locationIds} null, every location of the organization.
   */
  static Map<String, ComponentSums> read(
      DSLContext dsl, String organizationId, @Nullable Collection<String> locationIds, Instant from, Instant to) {
    String[] ids = locationIds == null ? null : locationIds.toArray(String[]::new);
    Map<String, ComponentSums> out = new LinkedHashMap<>();
    for (Record r :
        dsl.selectFrom(Tables.FLEET_WINDOW_SUMS(organizationId, ids, from, to))
            .orderBy(Tables.FLEET_WINDOW_SUMS.LOCATION_ID)
            .fetch()) {
      out.put(r.get(Tables.FLEET_WINDOW_SUMS.LOCATION_ID), ComponentSums.from(r));
    }
    return out;
  }

  /** Location id to display name, for the organization, ordered by id. */
  static Map<String, String> locationNames(DSLContext dsl, String organizationId) {
    Map<String, String> names = new LinkedHashMap<>();
    dsl.select(LOCATIONS.ID, LOCATIONS.NAME)
        .from(LOCATIONS)
        .where(LOCATIONS.ORGANIZATION_ID.eq(organizationId))
        .orderBy(LOCATIONS.ID)
        .forEach(r -> names.put(r.value1(), r.value2()));
    return names;
  }

  /**
   * Checks that every requested id is a location of the organization.
   *
   * @throws NotFoundException naming the ids that are not
   */
  static void requireKnown(Map<String, String> names, List<String> requested, String organizationId) {
    TreeSet<String> unknown = new TreeSet<>(requested);
    unknown.removeAll(names.keySet());
    if (!unknown.isEmpty()) {
      throw new NotFoundException(
          "not locations of organization '" + Checks.printable(organizationId) + "': "
              + unknown.stream().map(Checks::printable).toList());
    }
  }
}
