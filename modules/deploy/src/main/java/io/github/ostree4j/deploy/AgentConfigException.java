package io.github.ostree4j.deploy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration drop-in of the update agent that cannot be used: not TOML, a value of the
 * wrong type or out of range, an unknown strategy, a bad maintenance window. The message names
 * the file and the key.
 */
public class AgentConfigException extends DeployException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String key;
  private final String reason;

  /**
   * A problem with one key of one file.
   *
   * @param file the drop-in, or null when the problem is not in one file
   * @param key the dotted key, e.g. {@code updates.strategy}, or null for the whole file
   * @param reason what is wrong
   */
  public AgentConfigException(Path file, String key, String reason) {
    this(file, key, reason, null);
  }

  /**
   * A problem with one key of one file, with its cause.
   *
   * @param file the drop-in, or null
   * @param key the dotted key, or null
   * @param reason what is wrong
   * @param cause the underlying failure
   */
  public AgentConfigException(Path file, String key, String reason, Throwable cause) {
    super("reading the agent configuration" + (file == null ? "" : " " + file)
        + (key == null ? "" : ": " + key) + ": " + reason, cause);
    this.file = file;
    this.key = key;
    this.reason = reason;
  }

  /** The drop-in the problem is in. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The key the problem is with. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** What is wrong, without file and key. */
  public String reason() {
    return reason;
  }
}
