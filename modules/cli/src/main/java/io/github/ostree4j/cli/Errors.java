package io.github.ostree4j.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns exceptions into the one-line messages the CLI prints. */
final class Errors {

  private Errors() {}

  static String message(Throwable t) {
    if (t instanceof ActionFailedException) {
      return t.getMessage().replace('\n', ' '); // already says what and why
    }
    if (t instanceof NoSuchFileException) {
      NoSuchFileException n = (NoSuchFileException) t;
      String reason = n.getReason();
      return reason != null && n.getFile() != null && reason.contains(n.getFile()) ? reason
          : "No such file or directory: " + n.getFile() + (reason != null ? " (" + reason + ")" : "");
    }
    if (t instanceof FileAlreadyExistsException) {
      return "File exists: " + ((FileAlreadyExistsException) t).getFile();
    }
    if (t instanceof AccessDeniedException) {
      return "Permission denied: " + ((AccessDeniedException) t).getFile();
    }
    if (t instanceof NotDirectoryException) {
      return "Not a directory: " + ((NotDirectoryException) t).getFile();
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null
        && !m.contains(t.getCause().getMessage()) && !(t instanceof io.github.ostree4j.ostree.OstreeException)) {
      return m + ": " + t.getCause().getMessage();
    }
    return m.replace('\n', ' ');
  }
}
