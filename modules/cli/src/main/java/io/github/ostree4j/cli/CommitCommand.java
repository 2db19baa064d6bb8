package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j commit}: commit a directory or tar archive, printing the commit checksum. */
@Command(name = "commit", description = "Commit a new revision.")
final class CommitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = {"-b", "--branch"}, paramLabel = "BRANCH", description = "Branch to update.")
  String branch;

  @Option(names = {"-s", "--subject"}, paramLabel = "SUBJECT", description = "One line subject.")
  String subject;

  @Option(names = {"-m", "--body"}, paramLabel = "BODY", description = "Full description.")
  String body;

  @Option(names = {"-F", "--body-file"}, paramLabel = "FILE", description = "Commit message from FILE.")
  Path bodyFile;

  @Option(names = "--timestamp", paramLabel = "TIMESTAMP", description = "Commit time (e.g. 2020-01-01T00:00:00Z); default: SOURCE_DATE_EPOCH or now.")
  String timestamp;

  @Option(names = "--parent", paramLabel = "COMMIT", description = "Parent commit checksum, or \"none\".")
  String parent;

  @Option(names = "--orphan", description = "Create a commit without writing a ref.")
  boolean orphan;

  @Option(names = "--owner-uid", paramLabel = "UID", description = "Set file ownership user id.")
  Integer ownerUid;

  @Option(names = "--owner-gid", paramLabel = "GID", description = "Set file ownership group id.")
  Integer ownerGid;

  @Option(names = "--add-metadata-string", paramLabel = "KEY=VALUE", description = "Add a key/value pair to metadata.")
  List<String> metadataStrings = new ArrayList<>();

  @Option(names = "--add-detached-metadata-string", paramLabel = "KEY=VALUE", description = "Add a key/value pair to detached metadata.")
  List<String> detachedStrings = new ArrayList<>();

  @Option(names = "--bootable", description = "Flag this commit as a bootable OSTree (ostree.bootable, ostree.linux).")
  boolean bootable;

  @Option(names = "--no-bindings", description = "Do not add any ref binding metadata.")
  boolean noBindings;

  @Option(names = "--bind-ref", paramLabel = "REF", description = "Add a ref to the ref binding metadata.")
  List<String> bindRefs = new ArrayList<>();

  @Option(names = "--no-xattrs", description = "Do not import extended attributes.")
  boolean noXattrs;

  @Option(names = "--canonical-permissions", description = "Canonicalize permissions as bare-user-only repositories do.")
  boolean canonicalPermissions;

  @Option(names = "--tree", paramLabel = "dir=PATH|tar=FILE|ref=REV",
      description = "Overlay the given tree (may be repeated; later trees win).")
  List<String> trees = new ArrayList<>();

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "Directory to commit (default: current directory).")
  Path path;

  @Option(names = "--gpg-sign", paramLabel = "KEY-ID", description = "GPG key to sign the commit with (may be repeated).")
  List<String> gpgSign = new ArrayList<>();

  @picocli.CommandLine.Mixin GpgOptions gpg;

  @Override
  public Integer call() throws Exception {
    if (branch == null && !orphan) {
      throw new OstreeException("A branch must be specified with --branch, or use --orphan");
    }
    OstreeRepo r = repo.open();
    if (branch != null) {
      io.github.ostree4j.ostree.Refs.validateName(branch.substring(branch.indexOf(':') + 1));
    }
    CommitOptions.Builder b = CommitOptions.builder().subject(subject).noBindings(noBindings)
        .bootable(bootable).skipXattrs(noXattrs).canonicalPermissions(canonicalPermissions).orphan(orphan);
    if (branch != null && !orphan) {
      b.branch(branch);
    }
    if (bodyFile != null) {
      b.body(Files.readString(bodyFile, StandardCharsets.UTF_8));
    } else {
      b.body(body);
    }
    if (timestamp != null) {
      b.timestamp(TimestampParser.parse(timestamp));
    }
    if (parent != null && !parent.equals("none")) {
      b.parent(r.resolveRev(parent));
    } else if ("none".equals(parent)) {
      b.orphan(true);
    }
    if (ownerUid != null) {
      b.ownerUid(ownerUid);
    }
    if (ownerGid != null) {
      b.ownerGid(ownerGid);
    }
    for (String kv : metadataStrings) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new OstreeException("Missing '=' in KEY=VALUE metadata '" + kv + "'");
      }
      b.addMetadataString(kv.substring(0, eq), kv.substring(eq + 1));
    }
    for (String kv : detachedStrings) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new OstreeException("Missing '=' in KEY=VALUE metadata '" + kv + "'");
      }
      b.addDetachedMetadataString(kv.substring(0, eq), kv.substring(eq + 1));
    }
    for (String ref : bindRefs) {
      b.bindRef(ref);
    }
    CommitOptions opts = b.build();
    // keys are read before anything is written, so a missing key leaves no unsigned commit behind
    List<io.github.ostree4j.ostree.GpgSigningKey> signers = gpg.keys(gpgSign);
    Committer committer = new Committer(r);
    if (trees.isEmpty()) {
      if (path == null) {
        path = Path.of("").toAbsolutePath();
      }
      trees.add("dir=" + path);
    } else if (path != null) {
      throw new OstreeException("Cannot specify both a PATH argument and --tree");
    }
    MutableTree tree = null;
    for (String t : trees) {
      MutableTree next = load(r, committer, t, opts);
      if (tree == null) {
        tree = next;
      } else {
        tree.overlay(next);
      }
    }
    Checksum c = committer.commitTree(tree, opts);
    for (io.github.ostree4j.ostree.GpgSigningKey k : signers) {
      io.github.ostree4j.ostree.CommitSignatures.sign(r, c, k);
    }
    spec.commandLine().getOut().println(c.hex());
    return 0;
  }

  private static MutableTree load(OstreeRepo r, Committer committer, String spec, CommitOptions opts) throws Exception {
    if (spec.startsWith("dir=")) {
      Path dir = Path.of(spec.substring(4));
      if (!Files.isDirectory(dir)) {
        throw new OstreeException("committing " + dir + ": not a directory");
      }
      return committer.importDirectory(dir, opts);
    }
    if (spec.startsWith("tar=")) {
      Path tar = Path.of(spec.substring(4));
      try (InputStream in = Files.newInputStream(tar)) {
        return committer.importTar(in, opts);
      }
    }
    if (spec.startsWith("ref=")) {
      Checksum c = r.resolveRev(spec.substring(4));
      var commit = r.readCommit(c);
      return MutableTree.fromRepo(r, commit.rootTree(), commit.rootMeta());
    }
    throw new OstreeException("Invalid --tree argument '" + spec + "': expected dir=PATH, tar=FILE or ref=REV");
  }
}
