package io.github.ostree4j.ostree;

/** An object that should be in the repository is not. */
public class MissingObjectException extends OstreeException {
  private static final long serialVersionUID = 1L;

  private final Checksum checksum;
  private final ObjectType type;

  /** Creates the exception for the given object. */
  public MissingObjectException(Checksum checksum, ObjectType type) {
    super((type == ObjectType.FILE ? "No such content object " : "No such metadata object ")
        + checksum + "." + type.extension());
    this.checksum = checksum;
    this.type = type;
  }

  /** The missing object's checksum. */
  public Checksum checksum() {
    return checksum;
  }

  /** The missing object's type. */
  public ObjectType type() {
    return type;
  }
}
