package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The first objects of an ostree-ext commit layer: the {@code .commit} object and, directly after
 * it, the {@code .commitmeta} holding its signatures. Read before anything is imported, so that
 * signatures can be checked first; the rest of the stream is not read.
 *
 * @param commit the commit checksum (verified against the bytes)
 * @param commitBytes the commit object
 * @param commitMeta the detached metadata, or null when the layer has none
 */
public record CommitLayerHead(Checksum commit, byte[] commitBytes, Variant commitMeta) {

  private static final int MAX_ENTRIES_BEFORE_COMMIT = 4096;

  /**
   * Reads the head of a commit layer's tar stream.
   *
   * @param tar the uncompressed layer
   * @return the commit and its detached metadata
   * @throws InvalidOstreeTarException when the stream does not start with a valid commit object
   * @throws IOException when reading fails
   */
  public static CommitLayerHead read(InputStream tar) throws IOException {
    TarEntryReader reader = new TarEntryReader(tar);
    Checksum commit = null;
    byte[] commitBytes = null;
    int seen = 0;
    TarArchiveEntry e;
    while ((e = reader.next()) != null) {
      if (++seen > MAX_ENTRIES_BEFORE_COMMIT && commit == null) {
        break;
      }
      if (e.isDirectory()) {
        continue;
      }
      List<String> rel = TarPaths.insideRepo(e.getName());
      if (rel == null || rel.isEmpty() || !rel.get(0).equals("objects")) {
        if (commit != null) {
          return new CommitLayerHead(commit, commitBytes, null);
        }
        continue;
      }
      ObjectName on = ObjectName.parse(e.getName(), rel.subList(1, rel.size()));
      if (commit == null) {
        if (on.kind() != ObjectName.Kind.COMMIT) {
          throw new InvalidOstreeTarException(e.getName(),
              "expected the commit object first, found a ." + on.kind().suffix() + " object");
        }
        commitBytes = readMetadata(reader, e);
        Checksum actual = Checksum.fromBytes(VerifiedMetadata.sha256().digest(commitBytes));
        if (!actual.equals(on.checksum())) {
          throw new InvalidOstreeTarException(e.getName(), "commit object checksum mismatch,"
              + " content has " + actual);
        }
        commit = on.checksum();
        continue;
      }
      if (on.kind() != ObjectName.Kind.COMMIT_META || !on.checksum().equals(commit)) {
        return new CommitLayerHead(commit, commitBytes, null);
      }
      byte[] meta = readMetadata(reader, e);
      try {
        return new CommitLayerHead(commit, commitBytes,
            GVariantCodec.deserializeNormal(VariantType.VARDICT, meta));
      } catch (GVariantFormatException ex) {
        throw new InvalidOstreeTarException(e.getName(), "invalid commitmeta object: "
            + ex.getMessage(), ex);
      }
    }
    if (commit == null) {
      throw InvalidOstreeTarException.ofStream("the layer holds no commit object", null);
    }
    return new CommitLayerHead(commit, commitBytes, null);
  }

  private static byte[] readMetadata(TarEntryReader reader, TarArchiveEntry e) throws IOException {
    if (!e.isFile() || e.getSize() > OstreeTarImport.MAX_METADATA_SIZE) {
      throw new InvalidOstreeTarException(e.getName(), "metadata objects must be regular files of"
          + " at most 10 MiB");
    }
    return reader.content().readNBytes((int) e.getSize());
  }
}
