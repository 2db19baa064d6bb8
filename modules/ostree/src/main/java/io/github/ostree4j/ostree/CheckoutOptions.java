package io.github.ostree4j.ostree;

/**
 * How {@link Checkout} writes a tree, with the meaning of the {@code ostree checkout} flags of the
 * same names. Immutable; build with {@link #builder()}.
 */
public final class CheckoutOptions {

  /** What to do when a path to be written already exists. */
  public enum Overwrite {
    /** The destination must not exist ({@code ostree checkout} default). */
    NONE,
    /** Keep existing directories, replace existing files ({@code --union}). */
    UNION,
    /** Keep existing files and directories, only add new ones ({@code --union-add}). */
    UNION_ADD
  }

  private final boolean userMode;
  private final Overwrite overwrite;
  private final String subpath;
  private final boolean requireHardlinks;
  private final boolean forceCopy;
  private final boolean bareUserOnlyDirs;
  private final int threads;

  private CheckoutOptions(Builder b) {
    this.userMode = b.userMode;
    this.overwrite = b.overwrite;
    this.subpath = b.subpath;
    this.requireHardlinks = b.requireHardlinks;
    this.forceCopy = b.forceCopy;
    this.bareUserOnlyDirs = b.bareUserOnlyDirs;
    this.threads = b.threads;
  }

  /** Options with every default: non-user mode, no overwriting, the whole tree. */
  public static CheckoutOptions defaults() {
    return builder().build();
  }

  /** Starts building options. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this is a user-mode checkout ({@code -U}): no ownership or xattrs are applied, setuid
   * and setgid bits are dropped and files are made readable by their owner.
   */
  public boolean userMode() {
    return userMode;
  }

  /** What happens to paths that already exist. */
  public Overwrite overwrite() {
    return overwrite;
  }

  /** The path inside the commit to check out ({@code /} for the whole tree). */
  public String subpath() {
    return subpath;
  }

  /** Whether failing to hardlink a file is an error instead of a reason to copy ({@code -H}). */
  public boolean requireHardlinks() {
    return requireHardlinks;
  }

  /** Whether files are always copied, never hardlinked to the repository ({@code -C}). */
  public boolean forceCopy() {
    return forceCopy;
  }

  /** Whether directory modes are masked with 0775 ({@code -M}). */
  public boolean bareUserOnlyDirs() {
    return bareUserOnlyDirs;
  }

  /** How many threads write files. */
  public int threads() {
    return threads;
  }

  /** Accumulates {@link CheckoutOptions}. */
  public static final class Builder {
    private boolean userMode;
    private Overwrite overwrite = Overwrite.NONE;
    private String subpath = "/";
    private boolean requireHardlinks;
    private boolean forceCopy;
    private boolean bareUserOnlyDirs;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /** User-mode checkout ({@code -U}); default false. */
    public Builder userMode(boolean v) {
      this.userMode = v;
      return this;
    }

    /** Overwrite mode; default {@link Overwrite#NONE}. */
    public Builder overwrite(Overwrite v) {
      if (v == null) {
        throw new IllegalArgumentException("overwrite mode must not be null");
      }
      this.overwrite = v;
      return this;
    }

    /** The path inside the commit to check out; default {@code /}. */
    public Builder subpath(String v) {
      this.subpath = v == null || v.isEmpty() ? "/" : v;
      return this;
    }

    /** Fail instead of copying when a file cannot be hardlinked ({@code -H}); default false. */
    public Builder requireHardlinks(boolean v) {
      this.requireHardlinks = v;
      return this;
    }

    /** Never hardlink ({@code -C}); default false. */
    public Builder forceCopy(boolean v) {
      this.forceCopy = v;
      return this;
    }

    /** Mask directory modes with 0775 ({@code -M}); default false. */
    public Builder bareUserOnlyDirs(boolean v) {
      this.bareUserOnlyDirs = v;
      return this;
    }

    /** Threads writing files; default one per available processor. */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if both {@code requireHardlinks} and {@code forceCopy} are set
     */
    public CheckoutOptions build() {
      if (requireHardlinks && forceCopy) {
        throw new IllegalArgumentException("Cannot specify both --require-hardlinks and --force-copy");
      }
      return new CheckoutOptions(this);
    }
  }
}
