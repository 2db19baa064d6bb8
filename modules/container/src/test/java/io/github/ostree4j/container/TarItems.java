package io.github.ostree4j.container;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Small tar streams as lists of entries with their data, for tests that take an export apart and
 * put a variant of it together (other xattrs forms, hostile entries). PAX xattr values are not
 * preserved byte for byte (commons-compress decodes them as text); the importer does not use them.
 */
final class TarItems {

  /** An entry and its data. */
  record Item(TarArchiveEntry entry, byte[] data) {
    String name() {
      return entry.getName();
    }

    /** A copy under another name. */
    Item renamed(String name) {
      TarArchiveEntry e = copy(entry, name, entry.getLinkFlag());
      return new Item(e, data);
    }

    /** A copy with other data. */
    Item withData(byte[] newData) {
      TarArchiveEntry e = copy(entry, entry.getName(), entry.getLinkFlag());
      e.setSize(newData.length);
      return new Item(e, newData);
    }
  }

  private TarItems() {}

  static List<Item> read(byte[] tar) {
    List<Item> out = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar),
        StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(new Item(e, in.readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static byte[] write(List<Item> items) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
      for (Item i : items) {
        out.putArchiveEntry(i.entry());
        out.write(i.data());
        out.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Item regular(String name, byte[] data) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setSize(data.length);
    e.setMode(0644);
    e.setModTime(0);
    return new Item(e, data);
  }

  static Item hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0644);
    e.setModTime(0);
    return new Item(e, new byte[0]);
  }

  static Item special(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setMode(0644);
    e.setModTime(0);
    return new Item(e, new byte[0]);
  }

  static int indexOf(List<Item> items, String suffix) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).name().endsWith(suffix)) {
        return i;
      }
    }
    throw new AssertionError("no entry ending in " + suffix);
  }

  private static TarArchiveEntry copy(TarArchiveEntry from, String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setMode(from.getMode());
    e.setUserId(from.getLongUserId());
    e.setGroupId(from.getLongGroupId());
    e.setUserName(from.getUserName());
    e.setGroupName(from.getGroupName());
    e.setModTime(from.getModTime());
    e.setSize(from.getSize());
    e.setLinkName(from.getLinkName());
    e.setDevMajor(from.getDevMajor());
    e.setDevMinor(from.getDevMinor());
    return e;
  }
}
