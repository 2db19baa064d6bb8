package io.github.ostree4j.build;

import java.util.List;
import java.util.Objects;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: either exec form (a JSON array, run as
 * is) or shell form (the text after continuation joining, run through the stage's SHELL).
 */
public record CommandLine(List<String> execForm, String shellForm) {

  public CommandLine {
    if ((execForm == null) == (shellForm == null)) {
      throw new IllegalArgumentException("exactly one of exec form and shell form");
    }
    execForm = execForm == null ? null : List.copyOf(execForm);
  }

  public static CommandLine exec(List<String> args) {
    return new CommandLine(Objects.requireNonNull(args), null);
  }

  public static CommandLine shell(String text) {
    return new CommandLine(null, Objects.requireNonNull(text));
  }

  public boolean isExecForm() {
    return execForm != null;
  }
}
