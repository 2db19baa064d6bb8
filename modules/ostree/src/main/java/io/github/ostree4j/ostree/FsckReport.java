package io.github.ostree4j.ostree;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link Fsck} found: the problems, each naming its object or ref, and what was checked. */
public final class FsckReport {

  /** The kinds of problems. */
  public enum Kind {
    /** An object whose bytes do not match its name, or that is malformed. */
    CORRUPT_OBJECT,
    /** An object referenced by a commit or tree that is not in the repository. */
    MISSING_OBJECT,
    /** A ref that is unreadable or points to a missing commit. */
    BAD_REF,
    /** A commit an earlier fsck marked partial because of corruption. */
    PARTIAL_COMMIT
  }

  /** One problem. */
  public static final class Problem {
    private final Kind kind;
    private final Checksum checksum;
    private final ObjectType type;
    private final String message;

    /** Creates a problem; {@code checksum} and {@code type} may be null for ref problems. */
    public Problem(Kind kind, Checksum checksum, ObjectType type, String message) {
      this.kind = Objects.requireNonNull(kind);
      this.checksum = checksum;
      this.type = type;
      this.message = Objects.requireNonNull(message);
    }

    /** The kind of problem. */
    public Kind kind() {
      return kind;
    }

    /** The object concerned, if any. */
    public Optional<Checksum> checksum() {
      return Optional.ofNullable(checksum);
    }

    /** The type of the object concerned, if any. */
    public Optional<ObjectType> type() {
      return Optional.ofNullable(type);
    }

    /** A one-line description naming the object or ref and the defect. */
    public String message() {
      return message;
    }

    @Override
    public String toString() {
      return message;
    }
  }

  private final List<Problem> problems;
  private final int commits;
  private final long objects;
  private final int partialCommits;
  private final List<String> deleted;

  FsckReport(List<Problem> problems, int commits, long objects, int partialCommits, List<String> deleted) {
    this.problems = List.copyOf(problems);
    this.commits = commits;
    this.objects = objects;
    this.partialCommits = partialCommits;
    this.deleted = List.copyOf(deleted);
  }

  /** The problems found, in a stable order: objects, then refs, then missing objects. */
  public List<Problem> problems() {
    return problems;
  }

  /** Whether no problem was found. */
  public boolean isClean() {
    return problems.isEmpty();
  }

  /** How many commit objects were verified. */
  public int commitCount() {
    return commits;
  }

  /** How many loose objects were re-hashed. */
  public long objectCount() {
    return objects;
  }

  /** How many commits are marked partial (their missing objects are not problems). */
  public int partialCommitCount() {
    return partialCommits;
  }

  /** The objects deleted because they were corrupt ({@code CHECKSUM.TYPE}), when deleting was asked for. */
  public List<String> deletedObjects() {
    return deleted;
  }

  /** The line {@code ostree fsck} prints on success. */
  public String successLine() {
    return "object fsck of " + commits + " commits completed successfully - no errors found.";
  }
}
