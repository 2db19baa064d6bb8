package io.github.ostree4j.ostree;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** Builds in-memory trees with exact modes and commits them, for tests. */
final class TreeBuilder {

  final OstreeRepo repo;
  final int uid;
  final int gid;
  final MutableTree root = new MutableTree();

  TreeBuilder(OstreeRepo repo) throws IOException {
    this(repo, currentUid(repo), currentGid(repo));
  }

  TreeBuilder(OstreeRepo repo, int uid, int gid) throws IOException {
    this.repo = repo;
    this.uid = uid;
    this.gid = gid;
    root.setMetaChecksum(meta(0755, Xattrs.EMPTY));
  }

  static int currentUid(OstreeRepo repo) throws IOException {
    return (Integer) Files.getAttribute(repo.path(), "unix:uid");
  }

  static int currentGid(OstreeRepo repo) throws IOException {
    return (Integer) Files.getAttribute(repo.path(), "unix:gid");
  }

  Checksum meta(int mode, Xattrs x) throws IOException {
    return repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(uid, gid, mode, x).serialize());
  }

  private MutableTree parentOf(String path) throws IOException {
    List<String> parts = List.of(path.split("/"));
    MutableTree t = root;
    for (String p : parts.subList(0, parts.size() - 1)) {
      MutableTree next = t.ensureDir(p);
      if (next.metaChecksum() == null) {
        next.setMetaChecksum(meta(0755, Xattrs.EMPTY));
      }
      t = next;
    }
    return t;
  }

  private static String base(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  TreeBuilder dir(String path, int mode) throws IOException {
    return dir(path, mode, Xattrs.EMPTY);
  }

  TreeBuilder dir(String path, int mode, Xattrs x) throws IOException {
    MutableTree d = parentOf(path).ensureDir(base(path));
    d.setMetaChecksum(meta(mode, x));
    return this;
  }

  TreeBuilder rootMode(int mode) throws IOException {
    root.setMetaChecksum(meta(mode, Xattrs.EMPTY));
    return this;
  }

  TreeBuilder file(String path, String content, int mode) throws IOException {
    return file(path, content, mode, Xattrs.EMPTY);
  }

  TreeBuilder file(String path, String content, int mode, Xattrs x) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    Checksum c = repo.writeContent(FileHeader.regular(uid, gid, mode, x), new ByteArrayInputStream(b), b.length);
    parentOf(path).putFile(base(path), c);
    return this;
  }

  TreeBuilder symlink(String path, String target) throws IOException {
    Checksum c = repo.writeContent(FileHeader.symlink(uid, gid, target, Xattrs.EMPTY), java.io.InputStream.nullInputStream(), 0);
    parentOf(path).putFile(base(path), c);
    return this;
  }

  Checksum commit(String branch) throws IOException {
    return new Committer(repo).commitTree(root, CommitOptions.builder().branch(branch).subject("test")
        .timestamp(1577836800L).build());
  }

  Checksum commit(String branch, long timestamp) throws IOException {
    return new Committer(repo).commitTree(root, CommitOptions.builder().branch(branch).subject("test")
        .timestamp(timestamp).build());
  }
}
