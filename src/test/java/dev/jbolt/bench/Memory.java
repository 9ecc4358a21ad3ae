package dev.jbolt.bench;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.testing.JsonItems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Output bounded by bytes for the whole run (docs/reliability.md): TARGETS local targets (default
 * 1,000) each printing MIB MiB (default 8) of output, through the jbolt launcher with HEAP of heap
 * (default 1g), --format json. Reports wall time, peak RSS, the largest the spill dir got, and that
 * the JSON is valid with one item of full length per target. Run by bench/memory.
 */
public final class Memory {
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int targets = Integer.parseInt(System.getenv().getOrDefault("TARGETS", "1000"));
    int mib = Integer.parseInt(System.getenv().getOrDefault("MIB", "8"));
    String heap = System.getenv().getOrDefault("HEAP", "1g");
    Path work = Files.createTempDirectory("jbolt-memory");
    StringBuilder inv = new StringBuilder("targets:\n");
    for (int i = 0; i < targets; i++) {
      inv.append("  - {name: n").append(i).append(", uri: 'local://n").append(i).append("'}\n");
    }
    Files.writeString(work.resolve("inventory.yaml"), inv.toString());
    long bytes = (long) mib << 20;
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    repo.resolve("jbolt").toString(),
                    "command",
                    "run",
                    "head -c " + bytes + " /dev/zero | tr '\\0' a",
                    "-t",
                    "all",
                    "--format",
                    "json"))
            .directory(work.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JAVA_OPTS", "-Xmx" + heap);
    long t0 = System.nanoTime();
    Process p = pb.start();
    AtomicLong peakKb = new AtomicLong();
    AtomicLong peakSpill = new AtomicLong();
    Thread watcher =
        Thread.ofVirtual()
            .start(
                () -> {
                  Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
                  Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                  while (p.isAlive()) {
                    try {
                      Files.readAllLines(status).stream()
                          .filter(l -> l.startsWith("VmHWM:"))
                          .findFirst()
                          .ifPresent(
                              l ->
                                  peakKb.accumulateAndGet(
                                      Long.parseLong(l.replaceAll("\\D", "")), Math::max));
                      peakSpill.accumulateAndGet(spill(tmp), Math::max);
                      Thread.sleep(500);
                    } catch (Exception e) {
                      return;
                    }
                  }
                });
    JsonItems items = JsonItems.read(p.getInputStream());
    int code = p.waitFor();
    watcher.join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long full = items.stdoutLengths().values().stream().filter(l -> l == bytes).count();
    System.out.printf(
        Locale.ROOT,
        "%d targets x %d MiB, -Xmx%s: exit %d in %.1f s, peak RSS %d MB, spill dir at most %.1f GB;"
            + " JSON valid, %d items (target_count %d), %d with all %d MiB of stdout%n",
        targets,
        mib,
        heap,
        code,
        seconds,
        peakKb.get() / 1024,
        peakSpill.get() / 1e9,
        items.count(),
        items.targetCount(),
        full,
        mib);
    LocalFiles.deleteTree(work);
    if (code != 0 || items.count() != targets || full != targets) {
      System.exit(1);
    }
  }

  /** Bytes in jbolt's spill dirs under {@code tmp} now. */
  private static long spill(Path tmp) throws Exception {
    long total = 0;
    List<Path> dirs = new ArrayList<>();
    try (var s = Files.list(tmp)) {
      s.filter(d -> d.getFileName().toString().startsWith("jbolt-output-")).forEach(dirs::add);
    }
    for (Path d : dirs) {
      try (var walk = Files.walk(d)) {
        total += walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      } catch (Exception e) {
        // removed meanwhile
      }
    }
    return total;
  }
}
