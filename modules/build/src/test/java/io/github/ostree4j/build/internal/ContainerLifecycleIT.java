package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.WorkDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers never outlive their RUN step: not when the command is interrupted, times out or
 * the output stream fails; and the step can still be captured afterwards.
 */
class ContainerLifecycleIT {

  @BeforeEach
  void peers() {
    Steps.requirePeers();
  }

  @Test
  void interruptRemovesTheContainer() throws Exception {
    Path dir = WorkDirs.newDir("interrupt");
    try (StepFilesystem fs = StepFilesystem.create(List.of(Steps.base()), dir.resolve("step"), true)) {
      Thread caller = Thread.currentThread();
      CompletableFuture.runAsync(() -> {
        try {
          waitForContainer(dir.resolve("step/runc"));
        } finally {
          caller.interrupt();
        }
      });
      long start = System.nanoTime();
      assertThrows(InterruptedIOException.class,
          () -> fs.run(Steps.sh("echo started; touch /partial; sleep 60"), new ByteArrayOutputStream()));
      assertTrue(Thread.interrupted(), "the interrupt flag stays set");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
      assertNoContainers(dir.resolve("step/runc"));
      LayerCapture c = fs.capture(dir.resolve("layer.tar"), OptionalLong.empty());
      assertEquals(List.of("partial"), LayerEntries.names(c.tar()));
    }
  }

  @Test
  void timeoutKillsAndRemovesTheContainer() throws Exception {
    Path dir = WorkDirs.newDir("timeout");
    try (StepFilesystem fs = StepFilesystem.create(List.of(Steps.base()), dir.resolve("step"), true)) {
      long start = System.nanoTime();
      IOException e = assertThrows(IOException.class,
          () -> fs.run(Steps.sh("echo about to sleep; sleep 60"), new ByteArrayOutputStream(), Duration.ofSeconds(1)));
      assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
      assertTrue(e.getMessage().contains("about to sleep"), e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
      assertNoContainers(dir.resolve("step/runc"));
      // the step is still usable
      assertEquals(0, fs.run(Steps.sh("echo again > /again"), new ByteArrayOutputStream()).exitCode());
      LayerCapture c = fs.capture(dir.resolve("layer.tar"), OptionalLong.empty());
      assertEquals(List.of("again"), LayerEntries.names(c.tar()));
    }
  }

  @Test
  void failingOutputStreamStillEndsTheContainer() throws Exception {
    Path dir = WorkDirs.newDir("badout");
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    try (StepFilesystem fs = StepFilesystem.create(List.of(Steps.base()), dir.resolve("step"), true)) {
      IOException e = assertThrows(IOException.class, () -> fs.run(Steps.sh("echo x; echo y > /y"), broken));
      assertTrue(e.getMessage().contains("disk full"), e.getMessage());
      assertNoContainers(dir.resolve("step/runc"));
    }
  }

  @Test
  void closeWithoutCaptureUnmounts() throws Exception {
    Path dir = WorkDirs.newDir("close");
    StepFilesystem fs = StepFilesystem.create(List.of(Steps.base()), dir.resolve("step"), true);
    Path merged = fs.root();
    assertTrue(OverlayMount.isMountPoint(merged));
    fs.close();
    fs.close();
    assertFalse(OverlayMount.isMountPoint(merged));
    assertThrows(IllegalStateException.class, fs::root);
  }

  private static void waitForContainer(Path stateRoot) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String list = Cmd.of("runc", "--root", stateRoot.toString(), "list", "-q").run().stdout().strip();
      if (!list.isEmpty() && Cmd.of("runc", "--root", stateRoot.toString(), "state", list).run().stdout()
          .contains("\"running\"")) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void assertNoContainers(Path stateRoot) throws IOException {
    if (Files.isDirectory(stateRoot)) {
      assertEquals("", Cmd.of("runc", "--root", stateRoot.toString(), "list", "-q").run().checkSuccess().stdout().strip());
      try (var s = Files.list(stateRoot)) {
        assertEquals(0, s.count());
      }
    }
  }
}
