package io.github.ostree4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A thin wrapper around the real {@code ostree} command line program, the reference that
 * ostree4j is compared against.
 *
 * <p>Every method first locates {@code ostree} with {@link Peers#require(String)}, so a test
 * using this class skips (or fails on CI) when the program is missing. Commands run with
 * {@code LC_ALL=C.UTF-8} so messages and file names in the output do not depend on the caller's
 * locale.
 *
 * <pre>{@code
 * OstreeCli.init(repo, "archive");
 * String checksum = OstreeCli.commit(repo, List.of("--branch=test", "--owner-uid=0"), tree);
 * String listing = OstreeCli.run("--repo=" + repo, "ls", "-R", "-X", "-C", "test").stdout();
 * }</pre>
 */
public final class OstreeCli {

  private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern VERSION = Pattern.compile("Version:\\s*'([^']+)'");
  private static final Map<String, String> ENV = Map.of("LC_ALL", "C.UTF-8");

  private OstreeCli() {}

  /**
   * Returns the {@code ostree} executable, skipping or failing the test when it is missing.
   *
   * @return the absolute path of {@code ostree}
   */
  public static Path executable() {
    return Peers.require("ostree");
  }

  /**
   * Runs {@code ostree init --repo=REPO --mode=MODE}, creating missing parent directories first.
   *
   * @param repo the repository directory to create
   * @param mode {@code archive}, {@code bare}, {@code bare-user}, {@code bare-user-only} or
   *     {@code bare-split-xattrs}
   */
  public static void init(Path repo, String mode) {
    Path parent = repo.toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    run("init", "--repo=" + repo, "--mode=" + mode);
  }

  /**
   * Runs {@code ostree commit --repo=REPO OPTIONS... [TREE]} and returns the new commit checksum.
   *
   * @param repo the repository
   * @param options commit options such as {@code --branch=test}, {@code --timestamp=...},
   *     {@code --owner-uid=0}; must name the content themselves (e.g. {@code --tree=ref=...}) when
   *     {@code treeOrNull} is null
   * @param treeOrNull the directory to commit, or null
   * @return the checksum printed by ostree (last line of standard output, trimmed)
   * @throws AssertionError when ostree fails or does not print a checksum
   */
  public static String commit(Path repo, List<String> options, Path treeOrNull) {
    List<String> args = new ArrayList<>();
    args.add("commit");
    args.add("--repo=" + repo);
    args.addAll(options);
    if (treeOrNull != null) {
      args.add(treeOrNull.toString());
    }
    CmdResult result = run(args);
    List<String> lines = result.stdoutLines();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    if (!CHECKSUM.matcher(last).matches()) {
      throw new AssertionError(
          "ostree commit printed no checksum: " + result.commandLine() + "\n" + result.stdout());
    }
    return last;
  }

  /**
   * Runs {@code ostree ARGS...} and insists on success.
   *
   * @param args the arguments after {@code ostree}, e.g. {@code "--repo=r", "fsck"}
   * @return the result (exit code 0)
   * @throws AssertionError when ostree exits with a non-zero status
   */
  public static CmdResult run(String... args) {
    return run(List.of(args));
  }

  /**
   * Runs {@code ostree ARGS...} and insists on success.
   *
   * @param args the arguments after {@code ostree}
   * @return the result (exit code 0)
   * @throws AssertionError when ostree exits with a non-zero status
   */
  public static CmdResult run(List<String> args) {
    return tryRun(args).checkSuccess();
  }

  /**
   * Runs {@code ostree ARGS...} and returns the result whatever the exit code, for tests that
   * expect ostree to fail (e.g. {@code fsck} on a corrupted repository).
   *
   * @param args the arguments after {@code ostree}
   * @return the result
   */
  public static CmdResult tryRun(String... args) {
    return tryRun(List.of(args));
  }

  /**
   * Runs {@code ostree ARGS...} and returns the result whatever the exit code.
   *
   * @param args the arguments after {@code ostree}
   * @return the result
   */
  public static CmdResult tryRun(List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(executable().toString());
    command.addAll(args);
    return Cmd.of(command).env(ENV).run();
  }

  /**
   * Returns the libostree version of the installed CLI, e.g. {@code "2022.7"}.
   *
   * @return the version string from {@code ostree --version}
   */
  public static String version() {
    CmdResult result = run("--version");
    Matcher m = VERSION.matcher(result.stdout());
    if (!m.find()) {
      throw new AssertionError("cannot parse ostree --version output:\n" + result.stdout());
    }
    return m.group(1);
  }
}
