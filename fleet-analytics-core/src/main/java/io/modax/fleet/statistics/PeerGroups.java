package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Like-for-like peer groups: by shift pattern, by host tags, by similarity of the device-type mix,
 * or by shift pattern and mix together. Every rule is deterministic: the same profiles, in any
 * order, give the same groups. Static, pure and thread-safe.
 *
 * <p><b>Device-mix rule</b>: the mix is the vector of device counts per type; two locations are
 * alike when the cosine similarity of their vectors is at least the threshold (1 = the same
 * proportions; {@value #DEFAULT_MIN_COSINE}, the default, allows about a 26° angle). Locations are
 * taken in id order; each joins the first existing group all of whose members are alike with it,
 * or starts a new group. So every pair inside a group is alike (complete linkage), unlike chaining
 * rules where A ~ B ~ C can put very different A and C together.
 */
public final class PeerGroups {

  /** Default cosine similarity threshold for device-mix groups: 0.9. */
  public static final double DEFAULT_MIN_COSINE = 0.9;

  /** Key of the group of locations without a shift pattern. */
  public static final String NO_SHIFT_PATTERN = "shift:(none)";

  private PeerGroups() {}

  /**
   * Groups by shift pattern label (exact, case-sensitive); locations without one form the group
   * {@value #NO_SHIFT_PATTERN}.
   *
   * @throws InvalidRequestException for duplicate location ids
   */
  public static PeerGrouping byShiftPattern(Collection<LocationProfile> profiles) {
    List<LocationProfile> sorted = sorted(profiles);
    Map<String, List<String>> groups = new TreeMap<>();
    for (LocationProfile p : sorted) {
      groups.computeIfAbsent(shiftKey(p), k -> new ArrayList<>()).add(p.locationId());
    }
    return new PeerGrouping(
        toGroups(groups),
        new Inputs.Method("Peer groups by shift pattern")
            .param("locations", sorted.size())
            .assume("Locations with the same shift pattern label run comparable hours.")
            .caveat("Labels are free text: '3x8' and '3 x 8' are different patterns.")
            .build());
  }

  /**
   * Groups by the tags that start with {@code prefix} (e.g. {@code "region:"}): locations with the
   * same set of such tags form a group, keyed {@code "tag:" + the tags joined by ","}; locations
   * with none form the group {@code "tag:(none)"}.
   *
   * @throws InvalidRequestException for duplicate location ids or a null prefix
   */
  public static PeerGrouping byTag(Collection<LocationProfile> profiles, String prefix) {
    if (prefix == null) {
      throw new InvalidRequestException("prefix must not be null (use \"\" for all tags)");
    }
    List<LocationProfile> sorted = sorted(profiles);
    Map<String, List<String>> groups = new TreeMap<>();
    for (LocationProfile p : sorted) {
      TreeSet<String> matching = new TreeSet<>();
      for (String t : p.tags()) {
        if (t.startsWith(prefix)) {
          matching.add(t);
        }
      }
      String key = matching.isEmpty() ? "tag:(none)" : "tag:" + String.join(",", matching);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p.locationId());
    }
    return new PeerGrouping(
        toGroups(groups),
        new Inputs.Method("Peer groups by host tags")
            .param("tag prefix", prefix)
            .param("locations", sorted.size())
            .assume("The host's tags mark locations that are comparable.")
            .caveat("The tags are stale or assigned inconsistently.")
            .build());
  }

  /**
   * Groups by similarity of the device-type mix (rule in the class comment). Locations with no
   * devices form the group {@code "mix:(no devices)"}.
   *
   * @param minCosine threshold in (0, 1]
   * @throws InvalidRequestException for duplicate ids or a threshold outside (0, 1]
   */
  public static PeerGrouping byDeviceMix(Collection<LocationProfile> profiles, double minCosine) {
    checkCosine(minCosine);
    List<LocationProfile> sorted = sorted(profiles);
    List<PeerGroup> groups = mixGroups(sorted, minCosine, "mix:");
    return new PeerGrouping(groups, mixMethod("Peer groups by device-type mix", sorted, minCosine));
  }

  /**
   * Groups by shift pattern first and, within each pattern, by device-type mix: the strictest
   * like-for-like rule. Keys read {@code "shift:3x8/mix:1"}.
   *
   * @param minCosine threshold in (0, 1]
   * @throws InvalidRequestException for duplicate ids or a threshold outside (0, 1]
   */
  public static PeerGrouping byShiftPatternAndDeviceMix(
      Collection<LocationProfile> profiles, double minCosine) {
    checkCosine(minCosine);
    List<LocationProfile> sorted = sorted(profiles);
    Map<String, List<LocationProfile>> byShift = new TreeMap<>();
    for (LocationProfile p : sorted) {
      byShift.computeIfAbsent(shiftKey(p), k -> new ArrayList<>()).add(p);
    }
    List<PeerGroup> groups = new ArrayList<>();
    byShift.forEach((shift, members) -> groups.addAll(mixGroups(members, minCosine, shift + "/mix:")));
    return new PeerGrouping(
        groups, mixMethod("Peer groups by shift pattern, then device-type mix", sorted, minCosine));
  }

  /** Cosine similarity of two device-type mixes; 0 when either has no devices. */
  public static double cosineSimilarity(Map<String, Integer> a, Map<String, Integer> b) {
    double dot = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      Integer other = b.get(e.getKey());
      if (other != null) {
        dot += (double) e.getValue() * other;
      }
    }
    double na = norm(a);
    double nb = norm(b);
    return na == 0 || nb == 0 ? 0 : dot / (na * nb);
  }

  // --- internals ---

  private static List<PeerGroup> mixGroups(
      List<LocationProfile> sorted, double minCosine, String keyPrefix) {
    List<List<LocationProfile>> groups = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (LocationProfile p : sorted) {
      if (norm(p.deviceTypeCounts()) == 0) {
        empty.add(p.locationId());
        continue;
      }
      List<LocationProfile> home = null;
      for (List<LocationProfile> g : groups) {
        boolean alike = true;
        for (LocationProfile member : g) {
          if (cosineSimilarity(member.deviceTypeCounts(), p.deviceTypeCounts()) < minCosine) {
            alike = false;
            break;
          }
        }
        if (alike) {
          home = g;
          break;
        }
      }
      if (home == null) {
        home = new ArrayList<>();
        groups.add(home);
      }
      home.add(p);
    }
    List<PeerGroup> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      out.add(
          new PeerGroup(
              keyPrefix + (i + 1),
              groups.get(i).stream().map(LocationProfile::locationId).sorted().toList()));
    }
    if (!empty.isEmpty()) {
      out.add(new PeerGroup(keyPrefix + "(no devices)", empty));
    }
    return out;
  }

  private static StatisticalMethod mixMethod(
      String name, List<LocationProfile> sorted, double minCosine) {
    return new Inputs.Method(name)
        .param("minimum cosine similarity", minCosine)
        .param("locations", sorted.size())
        .param("linkage", "complete (every pair in a group is alike), locations in id order")
        .assume(
            "Locations with similar proportions of device types are comparable, whatever their"
                + " size (cosine similarity ignores scale).")
        .caveat(
            "Device types are named inconsistently across locations: the same machine under two"
                + " names looks different.")
        .caveat(
            "Groups of one or two locations: there is no one to compare with, so compare with the"
                + " fleet and say so.")
        .build();
  }

  private static String shiftKey(LocationProfile p) {
    return p.shiftPattern() == null ? NO_SHIFT_PATTERN : "shift:" + p.shiftPattern();
  }

  private static List<PeerGroup> toGroups(Map<String, List<String>> groups) {
    List<PeerGroup> out = new ArrayList<>();
    groups.forEach((k, v) -> out.add(new PeerGroup(k, v.stream().sorted().toList())));
    return out;
  }

  private static List<LocationProfile> sorted(Collection<LocationProfile> profiles) {
    if (profiles == null) {
      throw new InvalidRequestException("profiles must not be null");
    }
    Set<String> seen = new HashSet<>();
    for (LocationProfile p : profiles) {
      if (!seen.add(p.locationId())) {
        throw new InvalidRequestException("location '" + p.locationId() + "' is given twice");
      }
    }
    List<LocationProfile> sorted = new ArrayList<>(profiles);
    sorted.sort(Comparator.comparing(LocationProfile::locationId));
    return sorted;
  }

  private static void checkCosine(double minCosine) {
    if (!(minCosine > 0 && minCosine <= 1)) {
      throw new InvalidRequestException(
          "minCosine " + minCosine + " is outside (0, 1]: e.g. 0.9 for similar mixes");
    }
  }

  private static double norm(Map<String, Integer> m) {
    double s = 0;
    for (int c : m.values()) {
      s += (double) c * c;
    }
    return Math.sqrt(s);
  }
}
