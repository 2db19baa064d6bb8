package io.github.ostree4j.build.internal;

import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.Heredoc;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.KeyValue;
import io.github.ostree4j.build.RunMount;
import io.github.ostree4j.build.SourceLocation;
import java.util.List;
import java.util.Optional;

/** Instructions built by hand, for tests that do not need the parser. */
final class Fixtures {

  private Fixtures() {}

  static SourceLocation at(int line) {
    return new SourceLocation("Containerfile", line, line);
  }

  static Instruction.From from(int line, String image, String as) {
    return new Instruction.From(at(line), "FROM " + image + (as == null ? "" : " AS " + as), image,
        Optional.empty(), Optional.ofNullable(as));
  }

  static Instruction.Arg arg(int line, String name, String value) {
    return new Instruction.Arg(at(line), "ARG " + name + (value == null ? "" : "=" + value),
        List.of(new KeyValue(name, value, false)));
  }

  static Instruction.Run run(int line, String shell, List<Heredoc> heredocs) {
    return new Instruction.Run(at(line), "RUN " + shell, CommandLine.shell(shell), List.<RunMount>of(),
        Optional.empty(), Optional.empty(), heredocs);
  }

  static Instruction.Run runExec(int line, List<String> args) {
    return new Instruction.Run(at(line), "RUN " + args, CommandLine.exec(args), List.of(),
        Optional.empty(), Optional.empty(), List.of());
  }

  static Instruction.Env env(int line, String k, String v) {
    return new Instruction.Env(at(line), "ENV " + k + "=" + v, List.of(new KeyValue(k, v, false)));
  }
}
