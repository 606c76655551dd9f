package io.modax.fleet.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Not API. How {@link io.modax.fleet.FleetAnalytics} and the library's own packages construct the
 * services of the API packages (the writer, the analyzers, the reports, ...), whose constructors
 * take the {@link Engine} and are therefore package-private: each such class hands its constructor
 * to {@link #register} when it is initialized, and {@link #create} initializes it first if need be
 * (the JDK's "shared secrets" pattern). So no public signature of the API mentions an internal type.
 *
 * <p>Thread safety: safe; a class registers once.
 */
public final class Services {

  private static final Map<Class<?>, Function<Engine, ?>> CONSTRUCTORS = new ConcurrentHashMap<>();

  private Services() {}

  /**
   * Called once, from the static initializer of {@code type} itself.
   *
   * @throws IllegalStateException when {@code type} already has a constructor
   */
  public static <T> void register(Class<T> type, Function<Engine, T> constructor) {
    if (CONSTRUCTORS.putIfAbsent(type, constructor) != null) {
      throw new IllegalStateException(type.getName() + " registered its constructor twice");
    }
  }

  /**
   * A new {@code type} over the engine.
   *
   * @throws IllegalStateException when {@code type} registers no constructor
   */
  public static <T> T create(Class<T> type, Engine engine) {
    Function<Engine, ?> constructor = CONSTRUCTORS.get(type);
    if (constructor == null) {
      try {
        Class.forName(type.getName(), true, type.getClassLoader()); // runs its registration
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      constructor = CONSTRUCTORS.get(type);
      if (constructor == null) {
        throw new IllegalStateException(type.getName() + " registers no constructor with Services");
      }
    }
    return type.cast(constructor.apply(engine));
  }
}
