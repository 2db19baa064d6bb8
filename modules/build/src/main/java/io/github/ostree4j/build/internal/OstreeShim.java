package io.github.ostree4j.build.internal;

/**
 * The {@code ostree} stand-in mounted at {@code /usr/bin/ostree} for RUN steps of ostree
 * container images that do not ship the ostree binary. It understands {@code ostree container
 * commit}: it leaves a marker in a directory mounted from the host, and after the RUN the engine
 * runs {@link io.github.ostree4j.container.ContainerCommit} on the step's root filesystem. Any
 * other use fails with a message saying so.
 */
public final class OstreeShim {

  /** The marker's file name in {@link RunStep#SHIM_MARKER_DIR}. */
  public static final String MARKER = "commit";

  /** The script (POSIX sh). */
  public static final String SCRIPT = "#!/bin/sh\n"
      + "# Stand-in for ostree during an ostree4j build: this image has no ostree binary.\n"
      + "if [ \"$1\" = container ] && [ \"$2\" = commit ] && [ $# -eq 2 ]; then\n"
      + "  : > " + RunStep.SHIM_MARKER_DIR + "/" + MARKER + " || exit 1\n"
      + "  exit 0\n"
      + "fi\n"
      + "echo \"ostree: this image has no ostree binary; during an ostree4j build only"
      + " 'ostree container commit' is available\" >&2\n"
      + "exit 1\n";

  private OstreeShim() {}
}
