package io.modax.fleet.reporting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system's Chromium driven headless over the Chrome DevTools Protocol, with nothing but the JDK:
 * Chromium listens on a loopback port it picks ({@code --remote-debugging-port=0}, announced in
 * {@code DevToolsActivePort}), {@link java.net.http.WebSocket} speaks CDP to it. A page is loaded
 * from a file; every request it makes ({@code Network.requestWillBeSent}), every console error and
 * uncaught exception ({@code Runtime.consoleAPICalled}, {@code Runtime.exceptionThrown}, {@code
 * Log.entryAdded}) and every dialog is recorded; then a script is evaluated, a full-page
 * screenshot and a PDF print are taken.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> events = new ArrayList<>();

  /** The Chromium binary: $FLEET_CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH. */
  static Optional<Path> binary() {
    String env = System.getenv("FLEET_CHROMIUM");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Starts Chromium headless with a fresh profile and connects to it. */
  static HeadlessChromium start(Path binary) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("fleet-chromium-");
    List<String> cmd = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--mute-audio", "--hide-scrollbars", "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank");
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    Instant deadline = Instant.now().plus(TIMEOUT);
    List<String> lines = List.of();
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(portFile)) {
        lines = Files.readAllLines(portFile);
        if (lines.size() >= 2) {
          break;
        }
      }
      if (!process.isAlive()) {
        throw new IOException("chromium exited with " + process.exitValue() + ": "
            + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(100);
    }
    if (lines.size() < 2) {
      process.destroyForcibly();
      throw new IOException("chromium announced no DevTools port within " + TIMEOUT);
    }
    URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
    return new HeadlessChromium(process, profile, uri);
  }

  private HeadlessChromium(Process process, Path profile, URI uri) {
    this.process = process;
    this.profile = profile;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(uri, new Listener()).join();
  }

  /** What a page did and looked like. */
  record PageRun(List<String> requests, List<String> errors, List<String> dialogs, Map<String, Object> evaluation,
      byte[] screenshot, byte[] pdf, double contentHeight) {}

  /**
   * Loads the file at {@code width} CSS pixels, waits for its load event and two animation frames,
   * evaluates {@code script} (an expression giving a JSON string), takes a full-page PNG
   * screenshot and prints the page to PDF with its own print CSS.
   */
  PageRun run(Path file, int width, String script) throws Exception {
    String target = (String) call("Target.createTarget", Map.of("url", "about:blank"), null).get("targetId");
    String session = (String) call("Target.attachToTarget", Map.of("targetId", target, "flatten", true), null)
        .get("sessionId");
    for (String domain : List.of("Page", "Network", "Runtime", "Log")) {
      call(domain + ".enable", Map.of(), session);
    }
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900, "deviceScaleFactor", 1,
        "mobile", false), session);
    String url = file.toUri().toString();
    call("Page.navigate", Map.of("url", url), session);
    waitFor("Page.loadEventFired", session);
    String frames = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))";
    evaluate(frames, session);
    Map<String, Object> evaluation = JsonReaderCast.map(JsonReader.parse((String) evaluate(script, session)));
    Map<String, Object> metrics = call("Page.getLayoutMetrics", Map.of(), session);
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    double height = ((Number) size.get("height")).doubleValue();
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", (int) Math.ceil(height),
        "deviceScaleFactor", 1, "mobile", false), session);
    evaluate("window.dispatchEvent(new Event('resize')), " + frames, session);
    byte[] png = Base64.getDecoder().decode((String) call("Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true), session).get("data"));
    byte[] pdf = Base64.getDecoder().decode((String) call("Page.printToPDF",
        Map.of("printBackground", true, "preferCSSPageSize", true), session).get("data"));
    Thread.sleep(200); // late console messages
    List<String> requests = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> dialogs = new ArrayList<>();
    synchronized (events) {
      for (Map<String, Object> e : events) {
        Map<String, Object> p = JsonReaderCast.map(e.getOrDefault("params", Map.of()));
        switch (String.valueOf(e.get("method"))) {
          case "Network.requestWillBeSent" -> requests.add(String.valueOf(JsonReaderCast.map(p.get("request")).get("url")));
          case "Runtime.consoleAPICalled" -> {
            if (List.of("error", "assert").contains(p.get("type"))) {
              errors.add("console." + p.get("type") + ": " + p.get("args"));
            }
          }
          case "Runtime.exceptionThrown" -> errors.add("exception: " + p.get("exceptionDetails"));
          case "Log.entryAdded" -> {
            Map<String, Object> entry = JsonReaderCast.map(p.get("entry"));
            if ("error".equals(entry.get("level"))) {
              errors.add("log: " + entry.get("source") + ": " + entry.get("text") + " " + entry.getOrDefault("url", ""));
            }
          }
          case "Page.javascriptDialogOpening" -> dialogs.add(String.valueOf(p.get("message")));
          default -> { }
        }
      }
    }
    return new PageRun(requests, errors, dialogs, evaluation, png, pdf, height);
  }

  private Object evaluate(String expression, String session) throws Exception {
    Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true), session);
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
    }
    return JsonReaderCast.map(r.get("result")).get("value");
  }

  private Map<String, Object> call(String method, Map<String, Object> params, String session) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
    pending.put(id, f);
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", id);
    msg.put("method", method);
    msg.put("params", params);
    if (session != null) {
      msg.put("sessionId", session);
    }
    socket.sendText(write(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Map<String, Object> reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return JsonReaderCast.map(reply.getOrDefault("result", Map.of()));
  }

  private void waitFor(String method, String session) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      synchronized (events) {
        for (Map<String, Object> e : events) {
          if (method.equals(e.get("method")) && session.equals(e.get("sessionId"))) {
            return;
          }
        }
        events.wait(200);
      }
    }
    throw new IllegalStateException("no " + method + " within " + TIMEOUT);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        Map<String, Object> msg = JsonReaderCast.map(JsonReader.parse(text.toString()));
        text.setLength(0);
        Object id = msg.get("id");
        if (id instanceof Number n) {
          CompletableFuture<Map<String, Object>> f = pending.remove(n.intValue());
          if (f != null) {
            f.complete(msg);
          }
        } else {
          synchronized (events) {
            events.add(msg);
            events.notifyAll();
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendText(write(Map.of("id", ids.incrementAndGet(), "method", "Browser.close", "params", Map.of())), true);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Minimal JSON writer for CDP commands: maps, lists, strings, numbers, booleans. */
  static String write(Object v) {
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(write(String.valueOf(e.getKey()))).append(':').append(write(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (Object o : l) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(write(o));
      }
      return b.append(']').toString();
    }
    if (v instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.append('"').toString();
    }
    return String.valueOf(v);
  }

  /** Unchecked casts of parsed JSON, in one place. */
  static final class JsonReaderCast {
    private JsonReaderCast() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
      return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
      return o == null ? List.of() : (List<Object>) o;
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
