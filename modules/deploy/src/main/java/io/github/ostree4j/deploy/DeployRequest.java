package io.github.ostree4j.deploy;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.KeyFile;
import io.github.ostree4j.ostree.OstreeException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Deployer#deploy(DeployRequest)} writes: a commit of the sysroot's repository, the
 * stateroot, the origin and optionally the kernel arguments (by default those of the previous
 * deployment of the stateroot). Immutable; build with {@link #builder(String, Checksum)}.
 */
public final class DeployRequest {

  private final String stateroot;
  private final Checksum commit;
  private final String origin;
  private final List<String> kernelArgs;

  private DeployRequest(Builder b) {
    this.stateroot = b.stateroot;
    this.commit = b.commit;
    this.origin = b.origin.toText();
    this.kernelArgs = b.kernelArgs;
  }

  /**
   * Starts a request.
   *
   * @param stateroot the stateroot, which must exist
   * @param commit the commit to deploy
   * @return the builder
   */
  public static Builder builder(String stateroot, Checksum commit) {
    return new Builder(stateroot, commit);
  }

  /** The stateroot. */
  public String stateroot() {
    return stateroot;
  }

  /** The commit. */
  public Checksum commit() {
    return commit;
  }

  /** A copy of the origin key file. */
  public KeyFile origin() {
    try {
      return KeyFile.parse(origin);
    } catch (OstreeException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The kernel arguments, when not inherited. */
  public Optional<List<String>> kernelArgs() {
    return Optional.ofNullable(kernelArgs);
  }

  /** Accumulates a {@link DeployRequest}. */
  public static final class Builder {
    private final String stateroot;
    private final Checksum commit;
    private KeyFile origin = new KeyFile();
    private List<String> kernelArgs;

    private Builder(String stateroot, Checksum commit) {
      this.stateroot = Objects.requireNonNull(stateroot, "stateroot");
      this.commit = Objects.requireNonNull(commit, "commit");
    }

    /**
     * The origin (see {@link Origins}); default: none (an empty key file).
     *
     * @param origin the key file
     * @return this
     */
    public Builder origin(KeyFile origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * The kernel arguments (without {@code ostree=}); default: those of the stateroot's current
     * deployment, or none.
     *
     * @param args the arguments, e.g. {@code root=LABEL=root}, {@code quiet}
     * @return this
     */
    public Builder kernelArgs(List<String> args) {
      for (String a : args) {
        if (a.isEmpty() || a.chars().anyMatch(c -> c == '\n' || c == ' ' || c == '\t')
            || a.startsWith("ostree=")) {
          throw new IllegalArgumentException("invalid kernel argument '" + a + "'");
        }
      }
      this.kernelArgs = List.copyOf(args);
      return this;
    }

    /** The request. */
    public DeployRequest build() {
      return new DeployRequest(this);
    }
  }
}
