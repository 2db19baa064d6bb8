package io.github.ostree4j.deploy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The agent's state file: JSON, replaced atomically (written to a temp file, synced, renamed), and
 * a lock file next to it that keeps two agents (a service and a timer, say) from running a cycle
 * at the same time.
 */
public final class AgentStateStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  /**
   * A store.
   *
   * @param file the state file
   */
  public AgentStateStore(Path file) {
    this.file = file;
  }

  /** The state file. */
  public Path file() {
    return file;
  }

  /**
   * Reads the state: a fresh one when there is no file yet.
   *
   * @return the state
   * @throws CorruptStateException when the file is not a state document
   * @throws IOException when it cannot be read
   */
  public AgentState read() throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new AgentState();
    }
    try {
      AgentState s = JSON.readValue(b, AgentState.class);
      if (s == null) {
        throw new CorruptStateException(file + " is empty");
      }
      if (s.counters == null) {
        s.counters = new AgentState.Counters();
      }
      return s;
    } catch (JsonProcessingException e) {
      throw new CorruptStateException(file + " is not a state document: " + e.getOriginalMessage());
    }
  }

  /**
   * Reads the state if there is a file.
   *
   * @return the state, empty when there is no file
   * @throws IOException when it cannot be read or is not a state document
   */
  public Optional<AgentState> readExisting() throws IOException {
    return Files.exists(file) ? Optional.of(read()) : Optional.empty();
  }

  /**
   * Moves a corrupt state file aside ({@code state.json.corrupt}), so that a fresh state can be
   * written without losing the old bytes.
   *
   * @return where it went
   * @throws IOException when it cannot be moved
   */
  public Path moveAside() throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    return aside;
  }

  /**
   * Replaces the state file.
   *
   * @param s the state
   * @throws IOException when it cannot be written
   */
  public void write(AgentState s) throws IOException {
    Files.createDirectories(file.getParent());
    FileOps.writeDurably(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
  }

  /**
   * Takes the cycle lock ({@code NAME.lock} next to the state file) without waiting.
   *
   * @return the lock, to be closed when the cycle ends; empty when another process holds it
   * @throws IOException when the lock file cannot be opened
   */
  public Optional<Closeable> tryLock() throws IOException {
    Files.createDirectories(file.getParent());
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = tryLock(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      return Optional.empty();
    }
    return Optional.of(() -> {
      try {
        lock.release();
      } finally {
        ch.close();
      }
    });
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null; // held by this process
    }
  }

  /** The state file holds something that is not a state document. */
  public static final class CorruptStateException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptStateException(String message) {
      super(message);
    }
  }
}
