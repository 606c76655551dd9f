package io.modax.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.modax.fleet.json.FleetJson;
import io.modax.fleet.testkit.FleetDatabase;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published modules' API never lets an internal type through: no public or protected
 * constructor, method or field of an exported type (one outside {@code io.modax.fleet.internal})
 * takes, returns, throws or extends a type of an internal package. The internal packages are
 * excluded from the Javadoc and may change in any release; a host that cannot name them cannot
 * come to depend on them.
 */
class PublicApiTest {

  /**
   * One class of each published module with Java API; the test scans the jar (or classes
   * directory) each comes from. A new published module adds its own here.
   */
  private static final List<Class<?>> PUBLISHED_MODULES = List.of(
      FleetAnalytics.class,   // fleet-analytics-core
      FleetJson.class,        // fleet-analytics-json
      FleetDatabase.class);   // fleet-analytics-testkit
  // fleet-analytics-spring-boot-starter takes and returns only core, Spring and servlet types; it is
  // not scanned here to keep Spring off this module's class path.

  @Test
  void noPublicSignatureOfAnExportedTypeMentionsAnInternalType() throws Exception {
    Set<String> leaks = new TreeSet<>();
    int exported = 0;
    for (Class<?> marker : PUBLISHED_MODULES) {
      for (String name : classNames(marker)) {
        if (isInternal(name)) {
          continue;
        }
        Class<?> type = Class.forName(name, false, marker.getClassLoader());
        if (!isExported(type)) {
          continue;
        }
        exported++;
        leaks.addAll(leaksOf(type));
      }
    }
    assertThat(exported).as("exported types found").isGreaterThan(50);
    assertThat(leaks).as("public signatures that mention an internal type").isEmpty();
  }

  @Test
  void theCheckFindsALeak() {
    // the check itself: a public constructor taking an internal type is reported
    assertThat(leaksOf(Leaky.class)).singleElement().asString()
        .contains("Leaky(").contains("io.modax.fleet.internal.Engine");
  }

  /** A public type with a leak, for the check of the check. */
  public static final class Leaky {
    public Leaky(io.modax.fleet.internal.Engine engine) {}
  }

  private static List<String> leaksOf(Class<?> type) {
    List<String> leaks = new ArrayList<>();
    List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
    if (type.getGenericSuperclass() != null) {
      supertypes.add(type.getGenericSuperclass());
    }
    for (Type t : supertypes) {
      if (mentionsInternal(t, new HashSet<>())) {
        leaks.add(type.getName() + " extends/implements " + t.getTypeName());
      }
    }
    List<Executable> members = new ArrayList<>();
    members.addAll(List.of(type.getDeclaredConstructors()));
    members.addAll(List.of(type.getDeclaredMethods()));
    for (Executable e : members) {
      if (!isVisible(e.getModifiers()) || e.isSynthetic()) {
        continue;
      }
      List<Type> mentioned = new ArrayList<>(List.of(e.getGenericParameterTypes()));
      mentioned.addAll(List.of(e.getGenericExceptionTypes()));
      if (e instanceof Method m) {
        mentioned.add(m.getGenericReturnType());
      }
      for (Type t : mentioned) {
        if (mentionsInternal(t, new HashSet<>())) {
          leaks.add(describe(e) + " mentions " + t.getTypeName());
        }
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (isVisible(f.getModifiers()) && mentionsInternal(f.getGenericType(), new HashSet<>())) {
        leaks.add(type.getName() + "." + f.getName() + " is a " + f.getGenericType().getTypeName());
      }
    }
    return leaks;
  }

  private static String describe(Executable e) {
    String name = e instanceof Constructor<?> ? e.getDeclaringClass().getSimpleName() : e.getName();
    return e.getDeclaringClass().getName() + "#" + name + "(" + e.getParameterCount() + " args)";
  }

  private static boolean mentionsInternal(Type t, Set<Type> seen) {
    if (!seen.add(t)) {
      return false;
    }
    if (t instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      return isInternal(c.getName());
    }
    if (t instanceof ParameterizedType p) {
      return Stream.concat(Stream.of(p.getRawType()), Stream.of(p.getActualTypeArguments()))
          .anyMatch(a -> mentionsInternal(a, seen));
    }
    if (t instanceof GenericArrayType a) {
      return mentionsInternal(a.getGenericComponentType(), seen);
    }
    if (t instanceof WildcardType w) {
      return Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
          .anyMatch(b -> mentionsInternal(b, seen));
    }
    if (t instanceof TypeVariable<?> v) {
      return Stream.of(v.getBounds()).anyMatch(b -> mentionsInternal(b, seen));
    }
    return false;
  }

  private static boolean isInternal(String className) {
    return className.startsWith("io.modax.fleet.internal.");
  }

  /** Public, and every enclosing type public too. */
  private static boolean isExported(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** The classes of the jar or classes directory the marker was loaded from. */
  private static List<String> classNames(Class<?> marker) throws IOException, URISyntaxException {
    Path location = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.filter(p -> p.toString().endsWith(".class"))
            .map(p -> location.relativize(p).toString())
            .forEach(n -> names.add(className(n.replace('\\', '/'))));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String n = e.nextElement().getName();
          if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
            names.add(className(n));
          }
        }
      }
    }
    names.removeIf(n -> n.endsWith("module-info") || n.endsWith("package-info"));
    return names;
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
