package io.modax.fleet.analytics;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list without one of its elements, as a view: "the rest of the fleet" of one location without a
 * copy of the fleet per location, so that benchmarking every location holds memory linear in the
 * number of locations. Immutable when its base is; a base shared by many views is never copied.
 */
final class AllBut extends AbstractList<String> implements RandomAccess {

  private final List<String> base;
  private final int skipped;

  /**
   * @param base the whole list (immutable, random access)
   * @param skipped the index left out, or -1 to leave nothing out
   */
  AllBut(List<String> base, int skipped) {
    this.base = base;
    this.skipped = skipped;
  }

  @Override
  public String get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index);
    }
    return base.get(skipped >= 0 && index >= skipped ? index + 1 : index);
  }

  @Override
  public int size() {
    return skipped >= 0 ? base.size() - 1 : base.size();
  }
}
