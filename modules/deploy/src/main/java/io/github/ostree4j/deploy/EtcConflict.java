package io.github.ostree4j.deploy;

/**
 * A path of {@code /etc} that the three-way merge could not reconcile: its type changed on one
 * side (file, directory, symlink) while the other side also had it.
 *
 * @param path the path relative to {@code /etc}, e.g. {@code app/app.conf}
 * @param reason what happened and which version was kept, one line
 */
public record EtcConflict(String path, String reason) {

  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
