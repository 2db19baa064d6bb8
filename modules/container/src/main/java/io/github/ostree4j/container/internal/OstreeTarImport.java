package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Imports one ostree-ext tar stream into a repository, with the acceptance rules of the reference
 * importer.
 *
 * <ul>
 *   <li>Directory entries, entries outside {@code sysroot/ostree/repo/} (the checkout) and the
 *       repository's {@code config} and {@code refs/} are ignored. Any other entry of the
 *       repository must be an object below {@code objects/} ({@link ObjectName}) or, in the 2021
 *       form, xattrs content below {@code xattrs/}. {@code ..} is refused in every entry name.
 *   <li>Metadata objects must be regular files of at most 10 MiB; they are written with their
 *       expected checksum, which the repository verifies (and the GVariant normal form).
 *   <li>Content objects must be regular files or symlinks (no hard links, devices, fifos, sparse
 *       files); ownership and permissions come from the tar header, xattrs from the reference
 *       that precedes them ({@link XattrsReferences}). They are streamed into the repository and
 *       verified against their name.
 *   <li><b>Commit mode</b>: the first accepted entry must be the {@code .commit}, a second commit
 *       is an error, a {@code .commitmeta} may only follow the commit directly. The commit is
 *       marked partial ({@link PartialCommitMarker}) until the stream has been read and every
 *       object it references is present.
 *   <li><b>Object-set mode</b>: metadata objects and a repeated {@code .file} are errors; at the
 *       end a synthetic commit ({@link ObjectSetCommit}) records the objects.
 * </ul>
 *
 * <p>Only the repository is written, through its verifying object writers; on failure no ref is
 * created, and objects already written are complete and valid.
 */
public final class OstreeTarImport {

  /** Whether the stream is a commit layer or a component layer. */
  public enum Mode {
    /** The commit layer (layer 0), or a whole-commit stream. */
    COMMIT,
    /** A component layer: content objects only. */
    OBJECT_SET
  }

  /** Largest metadata object accepted: 10 MiB. */
  public static final int MAX_METADATA_SIZE = 10 << 20;

  private final OstreeRepo repo;
  private final Mode mode;
  private final XattrsReferences xattrs = new XattrsReferences();
  private final Set<Checksum> objectSet = new LinkedHashSet<>();
  private TarEntryReader reader;
  private Checksum commit;
  private Commit parsedCommit;
  private ObjectName.Kind previousKind;
  private boolean acceptedAny;
  private boolean flush = true;
  private boolean completeAtEnd = true;

  /** An import of one stream into {@code repo}. */
  public OstreeTarImport(OstreeRepo repo, Mode mode) {
    this.repo = repo;
    this.mode = mode;
  }

  /**
   * Whether a component-layer import ends by flushing the repository's filesystem (default: yes).
   * A caller that writes the refs of several layers together flushes once before writing them.
   */
  public OstreeTarImport flushAtEnd(boolean flush) {
    this.flush = flush;
    return this;
  }

  /**
   * Whether a commit-layer import ends by flushing and then checking that the commit is complete
   * (default: yes). When not, the commit stays marked partial and the caller, once the component
   * layers are in too, flushes and calls {@link #complete(OstreeRepo, Checksum)}.
   */
  public OstreeTarImport completeAtEnd(boolean complete) {
    this.completeAtEnd = complete;
    return this;
  }

  /**
   * Checks that {@code commit} and every object it references are in the repository, then clears
   * its partial mark; otherwise marks it partial and fails naming the first missing object.
   *
   * @throws OstreeException if an object is missing
   */
  public static void complete(OstreeRepo repo, Checksum commit) throws IOException {
    complete(repo, commit, repo.readCommit(commit));
  }

  private static void complete(OstreeRepo repo, Checksum commit, Commit parsed) throws IOException {
    Optional<CommitCompleteness.Missing> missing = CommitCompleteness.firstMissing(repo, parsed);
    if (missing.isPresent()) {
      PartialCommitMarker.mark(repo, commit);
      throw new OstreeException("commit " + commit + " is incomplete after the import: object "
          + missing.get().describe() + " is missing (import the component layers first); "
          + "the commit stays marked partial");
    }
    PartialCommitMarker.clear(repo, commit);
  }

  /**
   * Reads the whole stream.
   *
   * @return the commit (commit mode) or the synthetic commit (object-set mode)
   * @throws InvalidOstreeTarException if the stream is not valid, naming the entry and the reason
   * @throws IOException if the repository cannot be written
   */
  public Checksum run(InputStream in) throws IOException {
    reader = new TarEntryReader(in);
    TarArchiveEntry e;
    while ((e = reader.next()) != null) {
      accept(e);
    }
    xattrs.requireNonePending();
    if (mode == Mode.OBJECT_SET) {
      Checksum c = ObjectSetCommit.write(repo, objectSet);
      if (flush) {
        repo.syncFilesystem();
      }
      return c;
    }
    if (commit == null) {
      throw InvalidOstreeTarException.ofStream("the stream holds no commit object", null);
    }
    if (completeAtEnd) {
      repo.syncFilesystem();
      complete(repo, commit, parsedCommit);
    }
    return commit;
  }

  private void accept(TarArchiveEntry e) throws IOException {
    String name = e.getName();
    if (e.isDirectory()) {
      TarPaths.components(name);
      return;
    }
    List<String> rel = TarPaths.insideRepo(name);
    if (rel == null) {
      return;
    }
    if (rel.equals(List.of("config")) || (!rel.isEmpty() && rel.get(0).equals("refs"))) {
      return;
    }
    if (rel.size() >= 1 && rel.get(0).equals("objects")) {
      ObjectName on = ObjectName.parse(name, rel.subList(1, rel.size()));
      requireCommitFirst(name, on.kind() == ObjectName.Kind.COMMIT, "a ." + on.kind().suffix() + " object");
      acceptObject(e, on);
      previousKind = on.kind();
    } else if (rel.size() >= 1 && rel.get(0).equals("xattrs")) {
      requireCommitFirst(name, false, "xattrs content");
      acceptV0Xattrs(e, rel);
      previousKind = null;
    } else {
      throw new InvalidOstreeTarException(name,
          "unexpected entry in the repository part (only objects/, xattrs/, config and refs/ may appear)");
    }
  }

  private void requireCommitFirst(String name, boolean isCommit, String what) throws InvalidOstreeTarException {
    if (mode == Mode.COMMIT && !acceptedAny && !isCommit) {
      throw new InvalidOstreeTarException(name, "expected the commit object first, found " + what);
    }
    acceptedAny = true;
  }

  private void acceptObject(TarArchiveEntry e, ObjectName on) throws IOException {
    String name = e.getName();
    if (on.kind().isMetadata() && mode == Mode.OBJECT_SET) {
      throw new InvalidOstreeTarException(name, "found metadata object (" + on.kind().suffix()
          + ") in object set mode");
    }
    switch (on.kind()) {
      case COMMIT -> acceptCommit(e, on.checksum());
      case COMMIT_META -> acceptCommitMeta(e, on.checksum());
      case DIR_TREE -> writeMetadata(e, on.checksum(), ObjectType.DIR_TREE);
      case DIR_META -> writeMetadata(e, on.checksum(), ObjectType.DIR_META);
      case FILE -> acceptContent(e, on.checksum());
      case FILE_XATTRS -> {
        byte[] bytes = readXattrsBytes(e);
        requireSha256(name, on.checksum(), bytes, "xattrs");
        xattrs.addShared(name, on.checksum(), bytes);
      }
      case FILE_XATTRS_LINK -> xattrs.reference(name, on.checksum(), referencedXattrs(e, false));
      case XATTRS_LINK_V0 -> xattrs.reference(name, on.checksum(), referencedXattrs(e, true));
      default -> throw new AssertionError(on.kind());
    }
  }

  private void acceptCommit(TarArchiveEntry e, Checksum c) throws IOException {
    String name = e.getName();
    if (commit != null) {
      throw new InvalidOstreeTarException(name, "a second commit object (the stream already holds commit "
          + commit + ")");
    }
    byte[] bytes = readMetadataBytes(e);
    requireSha256(name, c, bytes, "commit");
    Commit parsed;
    try {
      parsed = Commit.parse(bytes);
    } catch (GVariantFormatException ex) {
      throw new InvalidOstreeTarException(name, "invalid commit object: " + ex.getMessage(), ex);
    }
    boolean alreadyComplete = repo.hasObject(c, ObjectType.COMMIT) && !PartialCommitMarker.isMarked(repo, c);
    if (!alreadyComplete) {
      PartialCommitMarker.mark(repo, c);
    }
    boolean written = false;
    try {
      writeVerified(name, c, ObjectType.COMMIT, bytes);
      written = true;
    } finally {
      if (!written && !alreadyComplete && !repo.hasObject(c, ObjectType.COMMIT)) {
        PartialCommitMarker.clear(repo, c);
      }
    }
    commit = c;
    parsedCommit = parsed;
  }

  private void acceptCommitMeta(TarArchiveEntry e, Checksum c) throws IOException {
    String name = e.getName();
    if (previousKind != ObjectName.Kind.COMMIT) {
      throw new InvalidOstreeTarException(name, "a commitmeta object must directly follow the commit object");
    }
    if (!c.equals(commit)) {
      throw new InvalidOstreeTarException(name, "commitmeta of " + c + " does not belong to commit " + commit);
    }
    byte[] bytes = readMetadataBytes(e);
    Variant v;
    try {
      v = GVariantCodec.deserializeNormal(VariantType.VARDICT, bytes);
    } catch (GVariantFormatException ex) {
      throw new InvalidOstreeTarException(name, "invalid commitmeta object: " + ex.getMessage(), ex);
    }
    if (!Arrays.equals(v.serialize(), bytes)) {
      throw new InvalidOstreeTarException(name, "commitmeta object is not in normal form");
    }
    repo.writeCommitMeta(c, v);
  }

  private void writeMetadata(TarArchiveEntry e, Checksum c, ObjectType type) throws IOException {
    byte[] bytes = readMetadataBytes(e);
    writeVerified(e.getName(), c, type, bytes);
  }

  private void writeVerified(String name, Checksum c, ObjectType type, byte[] bytes) throws IOException {
    try {
      repo.writeMetadataVerified(c, type, bytes);
    } catch (OstreeException ex) {
      throw new InvalidOstreeTarException(name, ex.getMessage(), ex);
    }
  }

  private void acceptContent(TarArchiveEntry e, Checksum c) throws IOException {
    String name = e.getName();
    if (mode == Mode.OBJECT_SET && !objectSet.add(c)) {
      throw new InvalidOstreeTarException(name, "duplicate content object in object set mode");
    }
    Xattrs x = xattrs.consume(name, c);
    FileHeader header = contentHeader(e, x);
    long size = header.isSymlink() ? 0 : e.getSize();
    try {
      repo.writeContentVerified(c, header, header.isSymlink() ? InputStream.nullInputStream() : reader.content(), size);
    } catch (TarReadException ex) {
      throw new InvalidOstreeTarException(name, "cannot read the stream (truncated or corrupt): " + ex.getMessage(), ex);
    } catch (OstreeException ex) {
      throw new InvalidOstreeTarException(name, ex.getMessage(), ex);
    }
  }

  private static FileHeader contentHeader(TarArchiveEntry e, Xattrs x) throws InvalidOstreeTarException {
    String name = e.getName();
    int uid = id(name, "uid", e.getLongUserId());
    int gid = id(name, "gid", e.getLongGroupId());
    if (e.isLink()) {
      throw new InvalidOstreeTarException(name, "a content object cannot be a hard link (to '"
          + e.getLinkName() + "')");
    }
    if (e.isSymbolicLink()) {
      String target = e.getLinkName();
      if (target == null || target.isEmpty()) {
        throw new InvalidOstreeTarException(name, "symlink content object with an empty target");
      }
      return FileHeader.symlink(uid, gid, target, x);
    }
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      String kind = e.isCharacterDevice() ? "a character device" : e.isBlockDevice() ? "a block device" : "a fifo";
      throw new InvalidOstreeTarException(name, "a content object cannot be " + kind
          + "; only regular files and symlinks can");
    }
    byte type = e.getLinkFlag();
    if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM && type != TarConstants.LF_CONTIG) {
      throw new InvalidOstreeTarException(name, "unsupported tar entry type '" + (char) type
          + "' for a content object");
    }
    if (e.isSparse()) {
      throw new InvalidOstreeTarException(name, "a content object cannot be a sparse file");
    }
    return FileHeader.regular(uid, gid, e.getMode() & 07777, x);
  }

  private static int id(String name, String what, long value) throws InvalidOstreeTarException {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new InvalidOstreeTarException(name, what + " " + value + " is out of range");
    }
    return (int) value;
  }

  /** The xattrs a {@code .file-xattrs-link} or {@code .file.xattrs} entry stands for. */
  private Xattrs referencedXattrs(TarArchiveEntry e, boolean v0) throws IOException {
    String name = e.getName();
    if (e.isLink()) {
      String target = e.getLinkName();
      Checksum c = v0 ? XattrsLinkTarget.parseV0(name, target) : XattrsLinkTarget.parse(name, target);
      return xattrs.shared(name, c, target);
    }
    if (isRegular(e)) {
      byte[] bytes = readXattrsBytes(e);
      return XattrsReferences.parse(name, bytes);
    }
    throw new InvalidOstreeTarException(name, "an xattrs reference must be a regular file or a hard link");
  }

  private void acceptV0Xattrs(TarArchiveEntry e, List<String> rel) throws IOException {
    String name = e.getName();
    if (rel.size() != 2 || !Checksum.isValid(rel.get(1))) {
      throw new InvalidOstreeTarException(name, "not an xattrs path (expected xattrs/<64 hex digits>)");
    }
    Checksum c = Checksum.parse(rel.get(1));
    byte[] bytes = readXattrsBytes(e);
    requireSha256(name, c, bytes, "xattrs");
    xattrs.addShared(name, c, bytes);
  }

  private byte[] readMetadataBytes(TarArchiveEntry e) throws IOException {
    if (!isRegular(e)) {
      throw new InvalidOstreeTarException(e.getName(), "a metadata object must be a regular file");
    }
    return readBytes(e, MAX_METADATA_SIZE, "metadata object", "10 MiB");
  }

  private byte[] readXattrsBytes(TarArchiveEntry e) throws IOException {
    if (!isRegular(e)) {
      throw new InvalidOstreeTarException(e.getName(), "xattrs content must be a regular file");
    }
    return readBytes(e, XattrsReferences.MAX_XATTRS_SIZE, "xattrs", "1 MiB");
  }

  private byte[] readBytes(TarArchiveEntry e, int max, String what, String limit) throws IOException {
    String name = e.getName();
    long size = e.getSize();
    if (size > max) {
      throw new InvalidOstreeTarException(name, what + " of " + size + " bytes exceeds the limit of " + limit);
    }
    byte[] bytes;
    try {
      bytes = reader.content().readNBytes((int) size);
    } catch (TarReadException ex) {
      throw new InvalidOstreeTarException(name, "cannot read the stream (truncated or corrupt): " + ex.getMessage(), ex);
    }
    if (bytes.length != size) {
      throw new InvalidOstreeTarException(name, "truncated: " + bytes.length + " of " + size + " bytes");
    }
    return bytes;
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte t = e.getLinkFlag();
    return (t == TarConstants.LF_NORMAL || t == TarConstants.LF_OLDNORM || t == TarConstants.LF_CONTIG)
        && !e.isSparse();
  }

  private static void requireSha256(String name, Checksum expected, byte[] bytes, String what)
      throws InvalidOstreeTarException {
    Checksum actual = Checksum.fromBytes(VerifiedMetadata.sha256().digest(bytes));
    if (!actual.equals(expected)) {
      throw new InvalidOstreeTarException(name, what + " checksum mismatch: content has " + actual);
    }
  }
}
