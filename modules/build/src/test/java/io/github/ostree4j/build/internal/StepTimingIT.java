package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.WorkDirs;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How long one trivial RUN step takes end to end (create with mount, runc, capture with unmount
 * and tar), printed per phase as medians of ten runs after two warm-up runs. Like the project's
 * other measurements it asserts no time, only that every step ran and left no change.
 */
class StepTimingIT {

  @BeforeEach
  void peers() {
    Steps.requirePeers();
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void trivialRunStep(boolean overlay) throws Exception {
    Path base = Steps.base();
    List<Long> create = new ArrayList<>();
    List<Long> run = new ArrayList<>();
    List<Long> capture = new ArrayList<>();
    List<Long> total = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Path dir = WorkDirs.newDir("timing");
      long t0 = System.nanoTime();
      try (StepFilesystem fs = StepFilesystem.create(List.of(base), dir.resolve("step"), overlay)) {
        long t1 = System.nanoTime();
        RunResult r = fs.run(Steps.sh("true"), new ByteArrayOutputStream());
        long t2 = System.nanoTime();
        LayerCapture c = fs.capture(dir.resolve("layer.tar"), OptionalLong.empty());
        long t3 = System.nanoTime();
        assertEquals(0, r.exitCode());
        assertTrue(c.empty());
        if (i >= 2) {
          create.add(t1 - t0);
          run.add(t2 - t1);
          capture.add(t3 - t2);
          total.add(t3 - t0);
        }
      }
    }
    long entries;
    try (var s = java.nio.file.Files.walk(base)) {
      entries = s.count();
    }
    System.out.printf("trivial RUN step (overlay=%s, %d-entry base): create %.1f ms, run %.1f ms,"
        + " capture %.1f ms, total %.1f ms (medians of %d)%n", overlay, entries, median(create), median(run),
        median(capture), median(total), total.size());
  }

  private static double median(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return s.get(s.size() / 2) / 1e6;
  }
}
