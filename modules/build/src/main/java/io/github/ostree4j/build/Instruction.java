package io.github.ostree4j.build;

import io.github.ostree4j.build.internal.instructions.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One Containerfile instruction. Every variant knows where it stands ({@link #location()}) and
 * its text as written after line continuations are joined ({@link #original()}, the keyword
 * included; used for history entries, cache keys and ONBUILD triggers). String fields are raw:
 * the build engine expands variables with {@link WordExpander} where Dockerfile semantics say so.
 */
public sealed interface Instruction {

  SourceLocation location();

  String original();

  /** {@code FROM [--platform=P] image [AS name]}. */
  record From(SourceLocation location, String original, String image, Optional<String> platform,
      Optional<String> stageName) implements Instruction {}

  /** {@code ARG name[=default] ...}. */
  record Arg(SourceLocation location, String original, List<KeyValue> args)
      implements Instruction {}

  /** {@code ENV key=value ...} or {@code ENV key value}. */
  record Env(SourceLocation location, String original, List<KeyValue> pairs)
      implements Instruction {}

  /** {@code LABEL key=value ...}. */
  record Label(SourceLocation location, String original, List<KeyValue> pairs)
      implements Instruction {}

  /** {@code RUN [--mount=...] [--network=...] [--security=...] command} with its heredocs. */
  record Run(SourceLocation location, String original, CommandLine command,
      List<RunMount> mounts, Optional<String> network, Optional<String> security,
      List<Heredoc> heredocs) implements Instruction {}

  /** {@code COPY [flags] src... dest}; heredoc sources appear in {@code heredocs}. */
  record Copy(SourceLocation location, String original, List<String> sources, String destination,
      Optional<String> from, Optional<String> chown, Optional<String> chmod, boolean link,
      boolean parents, List<String> excludes, List<Heredoc> heredocs) implements Instruction {}

  /** {@code ADD [flags] src... dest}; sources may be URLs or local archives. */
  record Add(SourceLocation location, String original, List<String> sources, String destination,
      Optional<String> chown, Optional<String> chmod, boolean link, boolean keepGitDir,
      Optional<String> checksum, Optional<String> unpack, List<String> excludes,
      List<Heredoc> heredocs) implements Instruction {}

  /** {@code CMD}. */
  record Cmd(SourceLocation location, String original, CommandLine command)
      implements Instruction {}

  /** {@code ENTRYPOINT}. */
  record Entrypoint(SourceLocation location, String original, CommandLine command)
      implements Instruction {}

  /** {@code SHELL ["exe", "arg"...]} (JSON form only). */
  record Shell(SourceLocation location, String original, List<String> shell)
      implements Instruction {}

  /** {@code WORKDIR path}. */
  record Workdir(SourceLocation location, String original, String path) implements Instruction {}

  /** {@code USER user[:group]}. */
  record User(SourceLocation location, String original, String user) implements Instruction {}

  /** {@code EXPOSE port[/proto] ...}. */
  record Expose(SourceLocation location, String original, List<String> ports)
      implements Instruction {}

  /** {@code VOLUME path...} or JSON form. */
  record Volume(SourceLocation location, String original, List<String> paths)
      implements Instruction {}

  /** {@code STOPSIGNAL signal}. */
  record StopSignal(SourceLocation location, String original, String signal)
      implements Instruction {}

  /** {@code MAINTAINER name} (deprecated; sets the config's author). */
  record Maintainer(SourceLocation location, String original, String name)
      implements Instruction {}

  /**
   * {@code HEALTHCHECK NONE} ({@code command} empty) or {@code HEALTHCHECK [opts] CMD ...}; the
   * durations and retries are raw flag values.
   */
  record Healthcheck(SourceLocation location, String original, Optional<CommandLine> command,
      Optional<String> interval, Optional<String> timeout, Optional<String> startPeriod,
      Optional<String> startInterval, Optional<String> retries) implements Instruction {

    /** {@code --interval} as a duration; zero when not given (the runtime default applies). */
    public Duration intervalDuration() {
      return duration(interval);
    }

    /** {@code --timeout} as a duration; zero when not given. */
    public Duration timeoutDuration() {
      return duration(timeout);
    }

    /** {@code --start-period} as a duration; zero when not given. */
    public Duration startPeriodDuration() {
      return duration(startPeriod);
    }

    /** {@code --start-interval} as a duration; zero when not given. */
    public Duration startIntervalDuration() {
      return duration(startInterval);
    }

    /** {@code --retries} as a number; zero when not given. */
    public int retriesCount() {
      return retries.filter(r -> !r.isEmpty()).map(Integer::parseInt).orElse(0);
    }

    /** The parser has checked the values, so they parse. */
    private static Duration duration(Optional<String> goDuration) {
      return goDuration.filter(d -> !d.isEmpty())
          .map(d -> Duration.ofNanos(GoDuration.parseNanos(d))).orElse(Duration.ZERO);
    }
  }

  /**
   * {@code ONBUILD instruction}: {@code trigger} is the parsed inner instruction,
   * {@code triggerText} its text as stored in an image config's {@code OnBuild} list.
   */
  record Onbuild(SourceLocation location, String original, Instruction trigger,
      String triggerText) implements Instruction {}
}
