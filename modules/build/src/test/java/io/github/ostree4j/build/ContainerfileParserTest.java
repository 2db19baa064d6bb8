package io.github.ostree4j.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerfileParserTest {

  private static Containerfile parse(String text) throws ContainerfileException {
    return ContainerfileParser.parse(text, "Containerfile");
  }

  private static <T extends Instruction> T only(String text, Class<T> type)
      throws ContainerfileException {
    List<Instruction> all = parse("FROM scratch\n" + text).instructions();
    assertEquals(2, all.size(), all.toString());
    return assertInstanceOf(type, all.get(1));
  }

  @Test
  void directivesAndEscape() throws ContainerfileException {
    Containerfile f = parse("# syntax=docker/dockerfile:1.7\n# ESCAPE = `\n# check=error=true\n"
        + "FROM scratch\nRUN echo a `\n  b\n");
    assertEquals('`', f.escape());
    assertEquals(Map.of("syntax", "docker/dockerfile:1.7", "escape", "`", "check", "error=true"),
        f.directives());
    Instruction.Run run = assertInstanceOf(Instruction.Run.class, f.instructions().get(1));
    assertEquals("echo a   b", run.command().shellForm());
    assertEquals(new SourceLocation("Containerfile", 5, 6), run.location());
    assertEquals("RUN echo a   b", run.original());
  }

  @Test
  void directivesAfterACommentAreComments() throws ContainerfileException {
    Containerfile f = parse("# hello\n# escape=`\nFROM scratch\nRUN a \\\n b\n");
    assertEquals('\\', f.escape());
    assertEquals(Map.of(), f.directives());
    assertEquals("a  b",
        assertInstanceOf(Instruction.Run.class, f.instructions().get(1)).command().shellForm());
  }

  @Test
  void keywordsAreCaseInsensitiveAndOriginalKeepsThem() throws ContainerfileException {
    Containerfile f = parse("from alpine AS Build\nrun echo hi\nCoPy --from=build /a /b\n");
    Instruction.From from = assertInstanceOf(Instruction.From.class, f.instructions().get(0));
    assertEquals("alpine", from.image());
    assertEquals(Optional.of("build"), from.stageName());
    assertEquals("from alpine AS Build", from.original());
    assertEquals("run echo hi", f.instructions().get(1).original());
    assertEquals(Optional.of("build"),
        assertInstanceOf(Instruction.Copy.class, f.instructions().get(2)).from());
  }

  @Test
  void globalArgsBeforeFrom() throws ContainerfileException {
    Containerfile f = parse("ARG BASE=alpine:3.19 VERSION\nARG EMPTY=\n"
        + "FROM --platform=$BUILDPLATFORM ${BASE}\n");
    Instruction.Arg a = assertInstanceOf(Instruction.Arg.class, f.instructions().get(0));
    assertEquals(List.of(new KeyValue("BASE", "alpine:3.19", false),
        new KeyValue("VERSION", null, false)), a.args());
    assertEquals(List.of(new KeyValue("EMPTY", "", false)),
        assertInstanceOf(Instruction.Arg.class, f.instructions().get(1)).args());
    Instruction.From from = assertInstanceOf(Instruction.From.class, f.instructions().get(2));
    assertEquals("${BASE}", from.image());
    assertEquals(Optional.of("$BUILDPLATFORM"), from.platform());
    assertEquals(Optional.empty(), from.stageName());
  }

  @Test
  void envAndLabelPairsAreRaw() throws ContainerfileException {
    Instruction.Env env = only("ENV A=1 B=\"two words\" C=x\\ y", Instruction.Env.class);
    assertEquals(List.of(new KeyValue("A", "1", false), new KeyValue("B", "\"two words\"", false),
        new KeyValue("C", "x\\ y", false)), env.pairs());
    Instruction.Env legacy = only("ENV PATH /usr/bin:/bin  and more", Instruction.Env.class);
    assertEquals(List.of(new KeyValue("PATH", "/usr/bin:/bin  and more", true)), legacy.pairs());
    Instruction.Label label = only("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0",
        Instruction.Label.class);
    assertEquals(List.of(new KeyValue("\"com.example.vendor\"", "\"ACME Inc\"", false),
        new KeyValue("version", "1.0", false)), label.pairs());
  }

  @Test
  void runShellAndExecForms() throws ContainerfileException {
    Instruction.Run shell = only("RUN apt-get update && \\\n    apt-get install -y x",
        Instruction.Run.class);
    assertEquals(CommandLine.shell("apt-get update &&     apt-get install -y x"),
        shell.command());
    Instruction.Run exec = only("RUN [\"/bin/sh\", \"-c\", \"echo $HOME\"]",
        Instruction.Run.class);
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME"), exec.command().execForm());
    Instruction.Run fallback = only("RUN ['single', 'quotes']", Instruction.Run.class);
    assertEquals("['single', 'quotes']", fallback.command().shellForm());
  }

  @Test
  void runFlags() throws ContainerfileException {
    Instruction.Run run = only("RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked "
        + "--mount=type=secret,id=token,dst=/run/token,required "
        + "--mount=src=ctx,target=/src,rw --network=none --security=insecure make",
        Instruction.Run.class);
    assertEquals(3, run.mounts().size());
    RunMount cache = run.mounts().get(0);
    assertEquals(RunMount.Type.CACHE, cache.type());
    assertEquals(Map.of("target", "/var/cache/dnf", "sharing", "locked", "readonly", "false"),
        cache.options());
    RunMount secret = run.mounts().get(1);
    assertEquals(RunMount.Type.SECRET, secret.type());
    assertEquals(Map.of("id", "token", "target", "/run/token", "required", "true",
        "readonly", "true"), secret.options());
    RunMount bind = run.mounts().get(2);
    assertEquals(RunMount.Type.BIND, bind.type());
    assertEquals(Map.of("source", "ctx", "target", "/src", "readonly", "false"), bind.options());
    assertEquals(Optional.of("none"), run.network());
    assertEquals(Optional.of("insecure"), run.security());
    assertEquals("make", run.command().shellForm());
  }

  @Test
  void runHeredocs() throws ContainerfileException {
    Containerfile f = parse("FROM scratch\nRUN <<EOF\n#!/bin/sh\necho \"$HOME\"\nEOF\n"
        + "RUN 3<<-'IN' cat /dev/fd/3 <<OUT2\n\t\tindented $X\n\tIN\nsecond\nOUT2\n"
        + "RUN echo done\n");
    assertEquals(4, f.instructions().size());
    Instruction.Run first = assertInstanceOf(Instruction.Run.class, f.instructions().get(1));
    assertEquals("<<EOF", first.command().shellForm());
    assertEquals(List.of(new Heredoc("EOF", "#!/bin/sh\necho \"$HOME\"\n", true, false, 0)),
        first.heredocs());
    assertEquals(new SourceLocation("Containerfile", 2, 5), first.location());
    Instruction.Run second = assertInstanceOf(Instruction.Run.class, f.instructions().get(2));
    assertEquals(List.of(new Heredoc("IN", "indented $X\n", false, true, 3),
        new Heredoc("OUT2", "second\n", true, false, 0)), second.heredocs());
    assertEquals(new SourceLocation("Containerfile", 6, 10), second.location());
    assertEquals(new SourceLocation("Containerfile", 11, 11), f.instructions().get(3).location());
  }

  @Test
  void copyAndAdd() throws ContainerfileException {
    Instruction.Copy copy = only("COPY --chown=1000:1000 --chmod=0644 --link --parents "
        + "--exclude=*.tmp --exclude=.git a b/ /dest/", Instruction.Copy.class);
    assertEquals(List.of("a", "b/"), copy.sources());
    assertEquals("/dest/", copy.destination());
    assertEquals(Optional.of("1000:1000"), copy.chown());
    assertEquals(Optional.of("0644"), copy.chmod());
    assertTrue(copy.link());
    assertTrue(copy.parents());
    assertEquals(List.of("*.tmp", ".git"), copy.excludes());
    assertEquals(Optional.empty(), copy.from());

    Instruction.Copy json = only("COPY [\"my file\", \"other\", \"/dest dir/\"]",
        Instruction.Copy.class);
    assertEquals(List.of("my file", "other"), json.sources());
    assertEquals("/dest dir/", json.destination());

    Instruction.Add add = only("ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false "
        + "--link=false https://example.com/a.tar.gz /opt/", Instruction.Add.class);
    assertEquals(List.of("https://example.com/a.tar.gz"), add.sources());
    assertEquals(Optional.of("sha256:abc"), add.checksum());
    assertTrue(add.keepGitDir());
    assertEquals(Optional.of("false"), add.unpack());
    assertFalse(add.link());
  }

  @Test
  void copyHeredocSources() throws ContainerfileException {
    Containerfile f = parse("FROM scratch\nCOPY <<one.txt <<\"two.txt\" plain /etc/\nfirst\n"
        + "one.txt\nsecond $X\ntwo.txt\n");
    Instruction.Copy copy = assertInstanceOf(Instruction.Copy.class, f.instructions().get(1));
    assertEquals(List.of("plain"), copy.sources());
    assertEquals("/etc/", copy.destination());
    assertEquals(List.of(new Heredoc("one.txt", "first\n", true, false, 0),
        new Heredoc("two.txt", "second $X\n", false, false, 0)), copy.heredocs());
  }

  @Test
  void cmdEntrypointShell() throws ContainerfileException {
    Containerfile f = parse("FROM scratch\nCMD [\"a\", \"b\"]\nENTRYPOINT []\n"
        + "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD echo \"$X\"\n");
    assertEquals(CommandLine.exec(List.of("a", "b")),
        assertInstanceOf(Instruction.Cmd.class, f.instructions().get(1)).command());
    assertEquals(CommandLine.exec(List.of()),
        assertInstanceOf(Instruction.Entrypoint.class, f.instructions().get(2)).command());
    assertEquals(List.of("/bin/bash", "-o", "pipefail", "-c"),
        assertInstanceOf(Instruction.Shell.class, f.instructions().get(3)).shell());
    assertEquals(CommandLine.shell("echo \"$X\""),
        assertInstanceOf(Instruction.Cmd.class, f.instructions().get(4)).command());
  }

  @Test
  void healthcheck() throws ContainerfileException {
    Instruction.Healthcheck none = only("HEALTHCHECK none", Instruction.Healthcheck.class);
    assertEquals(Optional.empty(), none.command());
    Instruction.Healthcheck hc = only("HEALTHCHECK --interval=1m30s --timeout=2.5s "
        + "--start-period=0s --start-interval=500ms --retries=3 CMD curl -f http://localhost/",
        Instruction.Healthcheck.class);
    assertEquals(Optional.of(CommandLine.shell("curl -f http://localhost/")), hc.command());
    assertEquals(Optional.of("1m30s"), hc.interval());
    assertEquals(Duration.ofSeconds(90), hc.intervalDuration());
    assertEquals(Duration.ofMillis(2500), hc.timeoutDuration());
    assertEquals(Duration.ZERO, hc.startPeriodDuration());
    assertEquals(Duration.ofMillis(500), hc.startIntervalDuration());
    assertEquals(3, hc.retriesCount());
    Instruction.Healthcheck exec = only("HEALTHCHECK CMD [\"/check\"]",
        Instruction.Healthcheck.class);
    assertEquals(Optional.of(CommandLine.exec(List.of("/check"))), exec.command());
    assertEquals(Duration.ZERO, exec.intervalDuration());
  }

  @Test
  void simpleInstructions() throws ContainerfileException {
    Containerfile f = parse("FROM scratch\nWORKDIR /app dir\nUSER app:app\n"
        + "EXPOSE 80/tcp 53/udp $PORT\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\n"
        + "STOPSIGNAL SIGTERM\nMAINTAINER Jane <jane@example.com>\n");
    assertEquals("/app dir",
        assertInstanceOf(Instruction.Workdir.class, f.instructions().get(1)).path());
    assertEquals("app:app", assertInstanceOf(Instruction.User.class, f.instructions().get(2)).user());
    assertEquals(List.of("80/tcp", "53/udp", "$PORT"),
        assertInstanceOf(Instruction.Expose.class, f.instructions().get(3)).ports());
    assertEquals(List.of("/data", "/logs"),
        assertInstanceOf(Instruction.Volume.class, f.instructions().get(4)).paths());
    assertEquals(List.of("/a", "/b"),
        assertInstanceOf(Instruction.Volume.class, f.instructions().get(5)).paths());
    assertEquals("SIGTERM",
        assertInstanceOf(Instruction.StopSignal.class, f.instructions().get(6)).signal());
    assertEquals("Jane <jane@example.com>",
        assertInstanceOf(Instruction.Maintainer.class, f.instructions().get(7)).name());
  }

  @Test
  void onbuildTriggers() throws ContainerfileException {
    Containerfile f = parse("FROM scratch\nonbuild  RUN --network=none make\n"
        + "ONBUILD COPY <<EOF /x\nbody\nEOF\n");
    Instruction.Onbuild run = assertInstanceOf(Instruction.Onbuild.class, f.instructions().get(1));
    assertEquals("RUN --network=none make", run.triggerText());
    Instruction.Run trigger = assertInstanceOf(Instruction.Run.class, run.trigger());
    assertEquals(Optional.of("none"), trigger.network());
    assertEquals("make", trigger.command().shellForm());
    Instruction.Onbuild copy = assertInstanceOf(Instruction.Onbuild.class, f.instructions().get(2));
    assertEquals("COPY <<EOF /x\nbody\nEOF", copy.triggerText());
    Instruction.Copy c = assertInstanceOf(Instruction.Copy.class, copy.trigger());
    assertEquals(List.of(new Heredoc("EOF", "body\n", true, false, 0)), c.heredocs());
    assertEquals(new SourceLocation("Containerfile", 3, 5), copy.location());
  }

  @Test
  void byteOrderMarkAndCrlf() throws ContainerfileException {
    Containerfile f = parse("\uFEFFFROM scratch\r\nRUN a \\\r\n  b\r\nENV X=1\r\n");
    assertEquals(3, f.instructions().size());
    assertEquals("a   b", assertInstanceOf(Instruction.Run.class, f.instructions().get(1))
        .command().shellForm());
    assertEquals(List.of(new KeyValue("X", "1", false)),
        assertInstanceOf(Instruction.Env.class, f.instructions().get(2)).pairs());
  }

  @Test
  void multiStage() throws ContainerfileException {
    Containerfile f = parse("FROM golang AS build\nRUN go build\nFROM scratch\n"
        + "COPY --from=build /out /\n");
    assertEquals(4, f.instructions().size());
    assertNull(f.directives().get("syntax"));
  }

  @Test
  void typicalOsDerivation() throws ContainerfileException {
    Containerfile f = parse("""
        # syntax=docker/dockerfile:1
        ARG BASE=quay.io/fedora/fedora-coreos:stable
        FROM ${BASE}
        LABEL org.opencontainers.image.title="custom os" \\
              containers.bootc=1
        # packages and config
        RUN --mount=type=cache,target=/var/cache/rpm-ostree \\
            rpm-ostree install -y tmux htop && \\
            ostree container commit
        COPY --chmod=0644 etc/ /etc/
        COPY <<EOF /etc/motd
        Welcome to $HOSTNAME
        EOF
        RUN systemctl enable podman.socket && ostree container commit
        """);
    assertEquals(7, f.instructions().size());
    Instruction.Label label = assertInstanceOf(Instruction.Label.class, f.instructions().get(2));
    assertEquals(List.of(new KeyValue("org.opencontainers.image.title", "\"custom os\"", false),
        new KeyValue("containers.bootc", "1", false)), label.pairs());
    Instruction.Run run = assertInstanceOf(Instruction.Run.class, f.instructions().get(3));
    assertEquals("rpm-ostree install -y tmux htop &&     ostree container commit",
        run.command().shellForm());
    assertEquals(new SourceLocation("Containerfile", 7, 9), run.location());
    Instruction.Copy motd = assertInstanceOf(Instruction.Copy.class, f.instructions().get(5));
    assertEquals(List.of(new Heredoc("EOF", "Welcome to $HOSTNAME\n", true, false, 0)),
        motd.heredocs());
    assertEquals(List.of(), motd.sources());
    assertEquals("/etc/motd", motd.destination());
    assertEquals(new SourceLocation("Containerfile", 14, 14), f.instructions().get(6).location());
  }
}
