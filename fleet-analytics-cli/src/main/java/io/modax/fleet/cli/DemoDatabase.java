package io.modax.fleet.cli;

import io.modax.fleet.FleetAnalytics;
import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.testkit.SampleFleet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo's database: an embedded PostgreSQL whose data directory persists between commands, so
 * that {@code demo} loads the sample fleet once and every later command without {@code --jdbc-url}
 * only starts the server on it (about a second) instead of loading 77,000 rows again.
 *
 * <p>Layout of the directory ({@code --data-dir}, default {@link #defaultDirectory()}): {@code
 * pgdata/} the PostgreSQL data directory, {@code demo.properties} written once the sample fleet is
 * loaded (a directory without it is an interrupted {@code demo} and is not used), and {@code
 * demo.lock}, a file lock held while a command uses the database: a second command at the same time
 * waits for it (saying so) up to {@link #lockWait}, then stops with a message naming the holder. A
 * server left running by a command that was killed is stopped before the next one starts its own.
 *
 * <p>Not thread-safe: one command, one instance.
 */
final class DemoDatabase implements AutoCloseable {

  /** System property that moves the default directory (the CLI's tests point it into target/). */
  static final String DIRECTORY_PROPERTY = "fleet.analytics.demo-dir";

  /** How long a command waits for another one using the same demo database. */
  static Duration lockWait = Duration.ofSeconds(60);

  private static final String READY = "demo.properties";
  private static final String LOCK = "demo.lock";
  private static final String PGDATA = "pgdata";

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private EmbeddedPostgres server;
  private Properties ready;

  /** {@code $HOME/.fleet-analytics/demo}, or the {@value #DIRECTORY_PROPERTY} system property. */
  static Path defaultDirectory() {
    String p = System.getProperty(DIRECTORY_PROPERTY);
    return p != null && !p.isBlank() ? Path.of(p)
        : Path.of(System.getProperty("user.home"), ".fleet-analytics", "demo");
  }

  private DemoDatabase(Path directory, FileChannel lockChannel, FileLock lock) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens the demo database {@code demo} created; refuses a missing or incomplete one. */
  static DemoDatabase open(Path directory, PrintStream log) {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.exists(dir.resolve(READY))) {
      throw new IllegalStateException(Files.exists(dir.resolve(PGDATA))
          ? "the demo database at " + dir + " is incomplete (the demo that created it was interrupted):"
              + " recreate it with `fleet-analytics demo --reset" + dataDirArgument(directory) + "`"
          : "there is no demo database at " + dir + " yet: create it once with `fleet-analytics demo"
              + dataDirArgument(directory) + "` (about 20 s), or give --jdbc-url");
    }
    DemoDatabase db = locked(dir, log);
    try {
      db.ready = db.readReady();
      if (db.ready == null) {
        throw new IllegalStateException("the demo database at " + dir + " was removed by another command:"
            + " recreate it with `fleet-analytics demo" + dataDirArgument(directory) + "`");
      }
      db.start(log);
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The demo database, created and loaded with {@code days} of the sample fleet when it does not
   * exist, was left incomplete, or {@code reset} is asked; otherwise the existing one.
   */
  static DemoDatabase openOrCreate(Path directory, boolean reset, int days, AggregationMode mode, String schema,
      PrintStream log) {
    Path dir = directory.toAbsolutePath().normalize();
    DemoDatabase db = locked(dir, log);
    try {
      db.ready = reset ? null : db.readReady();
      if (db.ready != null) {
        log.println("Using the demo database at " + dir + " (" + db.describe() + "); `demo --reset` reloads it.");
        db.start(log);
        return db;
      }
      if (Files.exists(dir.resolve(PGDATA)) || Files.exists(dir.resolve(READY))) {
        log.println(reset ? "Removing the demo database at " + dir + " ..."
            : "The demo database at " + dir + " is incomplete (an interrupted demo): creating it again ...");
        Files.deleteIfExists(dir.resolve(READY));
        stopLeftoverServer(dir.resolve(PGDATA), log);
        deleteTree(dir.resolve(PGDATA));
      }
      log.println("Creating the demo database at " + dir + " (embedded PostgreSQL; once, later commands reuse it) ...");
      db.start(log);
      SampleFleet sample = ConnectionOptions.sample(days);
      try (FleetAnalytics fleet = FleetAnalytics.builder(db.dataSource()).schema(schema).aggregationMode(mode).build()) {
        ConnectionOptions.load(fleet, sample, log);
      }
      Properties p = new Properties();
      p.setProperty("created", Instant.now().toString());
      p.setProperty("sample_days", Integer.toString(days));
      p.setProperty("sample_end", sample.end().toString());
      p.setProperty("schema", schema);
      p.setProperty("cli_version", FleetCli.version());
      try (OutputStream out = Files.newOutputStream(dir.resolve(READY))) {
        p.store(out, "fleet-analytics demo database: loaded and ready");
      }
      db.ready = p;
      return db;
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException("the demo database at " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Whether a loaded demo database is at the directory (without locking or starting it). */
  static boolean exists(Path directory) {
    return Files.exists(directory.resolve(READY));
  }

  /** The schema the demo was loaded into, as written when it was created. */
  String schema() {
    return ready.getProperty("schema", FleetAnalytics.DEFAULT_SCHEMA);
  }

  /** "created 2026-12-07T18:40:00Z, 90 days of the sample fleet up to then". */
  String describe() {
    return "created " + ready.getProperty("created") + ", " + ready.getProperty("sample_days")
        + " days of the sample fleet up to then";
  }

  /** When the sample's history ends (the time {@code demo} loaded it). */
  Optional<Instant> sampleEnd() {
    String s = ready == null ? null : ready.getProperty("sample_end");
    return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
  }

  /** The server's database (connections made on demand). */
  javax.sql.DataSource dataSource() {
    return server.getPostgresDatabase();
  }

  /** The data directory the command uses, for messages. */
  Path directory() {
    return directory;
  }

  private static String dataDirArgument(Path given) {
    return given.toAbsolutePath().normalize().equals(defaultDirectory().toAbsolutePath().normalize()) ? ""
        : " --data-dir " + given;
  }

  private Properties readReady() {
    Path f = directory.resolve(READY);
    if (!Files.exists(f) || !Files.exists(directory.resolve(PGDATA))) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    return p.getProperty("sample_end") == null ? null : p;
  }

  private void start(PrintStream log) {
    Path pgdata = directory.resolve(PGDATA);
    stopLeftoverServer(pgdata, log);
    try {
      server = EmbeddedPostgres.builder().setDataDirectory(pgdata).setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60)).start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("could not start the demo database's PostgreSQL in " + pgdata + ": "
          + e.getMessage() + " (if it stays broken, `fleet-analytics demo --reset` recreates it)", e);
    }
  }

  /**
   * A {@code postmaster.pid} while this command holds the lock: a server left by a command that was
   * killed (stopped here: no other command can be using it), or a stale file PostgreSQL removes.
   */
  private static void stopLeftoverServer(Path pgdata, PrintStream log) {
    Path pidFile = pgdata.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
    } catch (IOException e) {
      return;
    }
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (process.isEmpty()) {
      return; // a stale file: PostgreSQL sees that its process is gone and starts anyway
    }
    log.println("A PostgreSQL (pid " + pid + ") left running on " + pgdata
        + " by an interrupted command: stopping it first ...");
    process.get().destroy(); // SIGTERM: the server shuts down cleanly
    try {
      process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("a PostgreSQL (pid " + pid + ") is still running on " + pgdata
          + " and did not stop: stop it (kill " + pid + ") and run the command again", e);
    }
  }

  private static DemoDatabase locked(Path dir, PrintStream log) {
    FileChannel channel;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + dir + " for the demo database: " + e.getMessage(), e);
    }
    try {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String holder = holder(dir);
        log.println("Another fleet-analytics command" + holder + " is using the demo database at " + dir
            + ": waiting for it to end (up to " + lockWait.toSeconds() + " s) ...");
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (lock == null && System.nanoTime() < deadline) {
          Thread.sleep(100);
          lock = tryLock(channel);
        }
        if (lock == null) {
          channel.close();
          throw new IllegalStateException("the demo database at " + dir + " is in use by another fleet-analytics"
              + " command" + holder + " for more than " + lockWait.toSeconds() + " s: wait for it to end, or use"
              + " another --data-dir");
        }
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new DemoDatabase(dir, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(channel);
      throw new IllegalStateException("interrupted while waiting for the demo database at " + dir, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this same JVM (a test running two commands at once)
    }
  }

  private static String holder(Path dir) {
    try {
      String pid = Files.readString(dir.resolve(LOCK), StandardCharsets.US_ASCII).trim();
      return pid.isEmpty() ? "" : " (pid " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // exiting anyway
    }
  }

  /** Stops the server (its data stays) and releases the lock. */
  @Override
  public void close() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    closeQuietly(lock);
    closeQuietly(lockChannel);
  }
}
