package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a commit object by object, for trees a file system cannot hold or that must be exact:
 * ownership without root, {@code security.*} xattrs, denormal symlink targets. Missing parent
 * directories are root-owned 0755.
 */
final class TestCommit {

  private final OstreeRepo repo;
  private final MutableTree root = new MutableTree();
  private final Checksum defaultMeta;

  TestCommit(OstreeRepo repo) throws IOException {
    this.repo = repo;
    this.defaultMeta = meta(0, 0, 0755, Xattrs.EMPTY);
    root.setMetaChecksum(defaultMeta);
  }

  TestCommit file(String path, String content, int mode) throws IOException {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0, Xattrs.EMPTY);
  }

  TestCommit file(String path, byte[] content, int mode, int uid, int gid, Xattrs xattrs) throws IOException {
    Checksum c = repo.writeContent(FileHeader.regular(uid, gid, mode, xattrs), new ByteArrayInputStream(content),
        content.length);
    return put(path, c);
  }

  TestCommit symlink(String path, String target) throws IOException {
    Checksum c = repo.writeContent(FileHeader.symlink(0, 0, target, Xattrs.EMPTY), InputStream.nullInputStream(), 0);
    return put(path, c);
  }

  TestCommit dir(String path, int mode) throws IOException {
    return dir(path, mode, 0, 0, Xattrs.EMPTY);
  }

  TestCommit root(int mode, int uid, int gid, Xattrs xattrs) throws IOException {
    root.setMetaChecksum(meta(uid, gid, mode, xattrs));
    return this;
  }

  TestCommit dir(String path, int mode, int uid, int gid, Xattrs xattrs) throws IOException {
    List<String> parts = parts(path);
    MutableTree d = root.ensurePath(parts, defaultMeta);
    d.setMetaChecksum(meta(uid, gid, mode, xattrs));
    return this;
  }

  Checksum commit() throws IOException {
    return commit(CommitOptions.builder().timestamp(1_600_000_000L).subject("test tree").build());
  }

  Checksum commit(CommitOptions options) throws IOException {
    return new Committer(repo).commitTree(root, options);
  }

  private TestCommit put(String path, Checksum c) throws IOException {
    List<String> parts = parts(path);
    MutableTree parent = root.ensurePath(parts.subList(0, parts.size() - 1), defaultMeta);
    parent.putFile(parts.get(parts.size() - 1), c);
    return this;
  }

  private Checksum meta(int uid, int gid, int mode, Xattrs xattrs) throws IOException {
    return repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(uid, gid, mode, xattrs).serialize());
  }

  private static List<String> parts(String path) {
    return Arrays.asList(path.split("/"));
  }
}
