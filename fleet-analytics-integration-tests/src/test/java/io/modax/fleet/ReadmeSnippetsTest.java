package io.modax.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's code cannot drift from code that compiles and runs: every Java and XML block in
 * README.md is announced by a marker
 *
 * <pre>{@code <!-- snippet: examples/host-service/src/test/java/.../GettingStartedTest.java#imports,getting-started -->}</pre>
 *
 * and must equal those regions of that file (between {@code tag::name[]} and {@code end::name[]}
 * lines, dedented, joined by a blank line), imports included. The files are the example hosts'
 * under {@code examples/}, which {@code .ci/run} builds and tests against the installed artifacts.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");
  private static final Pattern FENCE = Pattern.compile("```(\\w*)");

  @Test
  void everyJavaAndXmlBlockOfTheReadmeIsTheTaggedCodeItNames() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (int i = 0; i < readme.size(); i++) {
      Matcher fence = FENCE.matcher(readme.get(i).strip());
      if (!fence.matches()) {
        continue;
      }
      int end = i + 1;
      while (end < readme.size() && !readme.get(end).strip().equals("```")) {
        end++;
      }
      String language = fence.group(1);
      String block = String.join("\n", readme.subList(i + 1, end));
      Matcher marker = i > 0 ? MARKER.matcher(readme.get(i - 1).strip()) : MARKER.matcher("");
      if (marker.matches()) {
        String expected = regions(ROOT.resolve(marker.group(1)), marker.group(2).split(","));
        if (!expected.equals(block)) {
          problems.add("README.md line " + (i + 1) + " differs from " + marker.group(1) + "#"
              + marker.group(2) + "; it should read:\n" + expected);
        }
        checked++;
      } else if (language.equals("java") || language.equals("xml")) {
        problems.add("README.md line " + (i + 1) + ": a ```" + language + " block without a"
            + " '<!-- snippet: path#region -->' line above it; put the code in an example host"
            + " under examples/ between tag::region[] and end::region[] lines and name it there");
      }
      i = end;
    }
    assertThat(problems).as("README snippets").isEmpty();
    assertThat(checked).as("snippets checked").isGreaterThanOrEqualTo(4);
  }

  @Test
  void aRegionIsItsLinesDedentedWithoutTheMarkers() throws IOException {
    Path file = Files.createTempFile("snippet", ".java");
    try {
      Files.writeString(file, String.join("\n",
          "class A {",
          "  // tag::x[]",
          "  int a;",
          "  // tag::y[]",
          "    int b;",
          "  // end::y[]",
          "  // end::x[]",
          "}"));
      assertThat(regions(file, new String[] {"x"})).isEqualTo("int a;\n  int b;");
      assertThat(regions(file, new String[] {"y", "x"})).isEqualTo("int b;\n\nint a;\n  int b;");
    } finally {
      Files.delete(file);
    }
  }

  /** The named regions of the file, each dedented, joined by a blank line. */
  static String regions(Path file, String[] names) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>();
    for (String name : names) {
      int start = indexOf(lines, "tag::" + name + "[]", file);
      int stop = indexOf(lines, "end::" + name + "[]", file);
      List<String> body = lines.subList(start + 1, stop).stream()
          .filter(l -> !l.contains("tag::") && !l.contains("end::"))
          .collect(Collectors.toList());
      int indent = body.stream().filter(l -> !l.isBlank())
          .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
      parts.add(body.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
          .collect(Collectors.joining("\n")));
    }
    return String.join("\n\n", parts);
  }

  private static int indexOf(List<String> lines, String marker, Path file) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + marker + " in " + file);
  }
}
