package io.github.ostree4j.oci;

import io.github.ostree4j.oci.internal.AtomicFiles;
import io.github.ostree4j.oci.internal.TarEntries;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code oci-archive:} files: a tar of an {@link OciLayout} directory, as skopeo, buildah and
 * podman read and write them.
 *
 * <p>{@link #extract} streams the tar (plain, gzip or zstd) into a fresh directory and accepts
 * only directories and regular files with relative names free of {@code ..}; links, devices and
 * duplicate names are rejected, and every {@code blobs/<alg>/<hex>} entry is verified against its
 * name while it is written. {@link #write} produces a reproducible tar: sorted entries, mtime 0,
 * owner 0:0 without names, modes 0644/0755.
 */
public final class OciArchive {

  private OciArchive() {}

  /**
   * Extracts an archive into {@code destDir}, which must not exist or be empty. The content goes
   * to a hidden sibling directory first, which is renamed to {@code destDir} once everything has
   * been checked; on failure nothing is left behind.
   *
   * @return the extracted layout
   * @throws OciFormatException naming the archive and the entry, for hostile or invalid content
   * @throws BlobVerificationException if a blob does not match its name
   */
  public static OciLayout extract(Path archive, Path destDir) throws IOException {
    Path dest = destDir.toAbsolutePath().normalize();
    Path parent = dest.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot extract into the root directory");
    }
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS) || !isEmptyDir(dest)) {
        throw new FileAlreadyExistsException(dest.toString(), null, "exists and is not an empty directory");
      }
    }
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "." + dest.getFileName() + ".extract-");
    try {
      Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    boolean done = false;
    String what = "oci-archive " + archive;
    try {
      try (InputStream raw = Files.newInputStream(archive);
          InputStream in = Compression.decompressDetected(new BufferedInputStream(raw, 1 << 16));
          TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
        Set<String> seen = new HashSet<>();
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          String name = TarEntries.safeName(e.getName(), what);
          if (name.isEmpty()) {
            continue;
          }
          if (e.isDirectory()) {
            mkdirs(work, name, what);
            continue;
          }
          if (!TarEntries.isRegular(e)) {
            throw new OciFormatException(what + ": entry '" + e.getName() + "' is a " + TarEntries.kind(e)
                + "; only regular files and directories are allowed");
          }
          if (!seen.add(name)) {
            throw new OciFormatException(what + ": entry '" + name + "' appears twice");
          }
          int slash = name.lastIndexOf('/');
          if (slash > 0) {
            mkdirs(work, name.substring(0, slash), what);
          }
          Path target = work.resolve(name);
          InputStream content = tar;
          VerifyingInputStream verifying = null;
          if (name.startsWith(OciLayout.BLOBS_DIR + "/")) {
            Digest d = blobDigest(name, what);
            verifying = new VerifyingInputStream(tar, d, e.getSize());
            content = verifying;
          }
          try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            content.transferTo(out);
          } catch (FileAlreadyExistsException x) {
            throw new OciFormatException(what + ": entry '" + name + "' clashes with a directory of the same name");
          }
          if (verifying != null) {
            verifying.verify();
          }
        }
      }
      if (!Files.isRegularFile(work.resolve(OciLayout.LAYOUT_FILE), LinkOption.NOFOLLOW_LINKS)) {
        throw new OciFormatException(what + ": no " + OciLayout.LAYOUT_FILE + " entry (not an OCI archive)");
      }
      if (!Files.isRegularFile(work.resolve(OciLayout.INDEX_FILE), LinkOption.NOFOLLOW_LINKS)) {
        throw new OciFormatException(what + ": no " + OciLayout.INDEX_FILE + " entry");
      }
      OciLayout.open(work).index();
      Files.createDirectories(work.resolve(OciLayout.BLOBS_DIR).resolve("sha256"));
      try {
        Files.move(work, dest, StandardCopyOption.ATOMIC_MOVE);
      } catch (DirectoryNotEmptyException x) {
        throw new FileAlreadyExistsException(dest.toString(), null, "was filled while extracting");
      }
      AtomicFiles.syncDirectory(parent);
      done = true;
      return OciLayout.open(dest);
    } finally {
      if (!done) {
        deleteTree(work);
      }
    }
  }

  /**
   * Writes the whole layout (every blob, {@code index.json}, {@code oci-layout}) as a reproducible
   * tar: a temporary file next to {@code archive} renamed over it at the end. Each blob is
   * verified against its name while it is copied.
   *
   * @throws BlobVerificationException if a stored blob is corrupt; {@code archive} is then untouched
   */
  public static void write(OciLayout layout, Path archive) throws IOException {
    layout.index();
    List<Digest> blobs = layout.listBlobs();
    AtomicFiles.write(archive.toAbsolutePath(), out -> {
      TarArchiveOutputStream tar = TarEntries.newWriter(out);
      tar.putArchiveEntry(TarEntries.directory(OciLayout.BLOBS_DIR + "/"));
      tar.closeArchiveEntry();
      String alg = null;
      for (Digest d : blobs) {
        if (!d.algorithm().equals(alg)) {
          alg = d.algorithm();
          tar.putArchiveEntry(TarEntries.directory(OciLayout.BLOBS_DIR + "/" + alg + "/"));
          tar.closeArchiveEntry();
        }
        long size = layout.blobSize(d);
        tar.putArchiveEntry(TarEntries.file(OciLayout.BLOBS_DIR + "/" + alg + "/" + d.hex(), size));
        try (VerifyingInputStream in = new VerifyingInputStream(layout.openBlob(d), d, size)) {
          in.transferTo(tar);
          in.verify();
        }
        tar.closeArchiveEntry();
      }
      copyFile(tar, layout.dir().resolve(OciLayout.INDEX_FILE), OciLayout.INDEX_FILE);
      copyFile(tar, layout.dir().resolve(OciLayout.LAYOUT_FILE), OciLayout.LAYOUT_FILE);
      tar.finish();
      return null;
    });
  }

  private static void copyFile(TarArchiveOutputStream tar, Path file, String name) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = io.github.ostree4j.oci.internal.BoundedReads.readAll(in, OciLayout.MAX_INDEX_SIZE, file.toString());
    }
    TarEntries.putBytes(tar, name, bytes);
  }

  private static Digest blobDigest(String name, String what) throws OciFormatException {
    String[] parts = name.split("/");
    if (parts.length == 3) {
      String s = parts[1] + ":" + parts[2];
      if (Digest.isValid(s)) {
        return Digest.parse(s);
      }
    }
    throw new OciFormatException(what + ": entry '" + name + "' is not a blob (expected blobs/<algorithm>/<hex>)");
  }

  private static void mkdirs(Path root, String rel, String what) throws IOException {
    Path p = root;
    for (String part : rel.split("/")) {
      p = p.resolve(part);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new OciFormatException(what + ": directory '" + rel + "' clashes with a file of the same name");
      }
      Files.createDirectory(p);
    }
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      return !ds.iterator().hasNext();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
