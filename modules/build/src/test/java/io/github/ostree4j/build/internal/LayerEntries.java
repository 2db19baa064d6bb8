package io.github.ostree4j.build.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The entries of a layer tar as read back by commons-compress, for assertions. */
final class LayerEntries {

  /** One entry; {@code content} is the text of regular files (small ones in tests). */
  record Entry(String name, char type, int mode, long uid, long gid, long size, String link, long mtime,
      Map<String, String> xattrs, String content) {

    @Override
    public String toString() {
      return type + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid + " " + name
          + (link.isEmpty() ? "" : " -> " + link);
    }
  }

  private LayerEntries() {}

  static List<Entry> read(Path tar) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (InputStream f = Files.newInputStream(tar); TarArchiveInputStream in = new TarArchiveInputStream(f)) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        Map<String, String> xattrs = new TreeMap<>();
        e.getExtraPaxHeaders().forEach((k, v) -> {
          if (k.startsWith("SCHILY.xattr.")) {
            xattrs.put(k.substring("SCHILY.xattr.".length()), v);
          }
        });
        String content = "";
        if (e.isFile() && !e.isLink()) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          in.transferTo(b);
          content = b.toString(StandardCharsets.UTF_8);
        }
        out.add(new Entry(e.getName(), (char) typeOf(e), e.getMode(), e.getLongUserId(), e.getLongGroupId(),
            e.getSize(), e.getLinkName(), e.getLastModifiedTime().toInstant().getEpochSecond(), xattrs, content));
      }
    }
    return out;
  }

  static Map<String, Entry> byName(Path tar) throws IOException {
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : read(tar)) {
      m.put(e.name(), e);
    }
    return m;
  }

  static List<String> names(Path tar) throws IOException {
    List<String> names = new ArrayList<>();
    for (Entry e : read(tar)) {
      names.add(e.name());
    }
    return names;
  }

  private static byte typeOf(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return '5';
    }
    if (e.isSymbolicLink()) {
      return '2';
    }
    if (e.isLink()) {
      return '1';
    }
    if (e.isCharacterDevice()) {
      return '3';
    }
    if (e.isBlockDevice()) {
      return '4';
    }
    if (e.isFIFO()) {
      return '6';
    }
    return '0';
  }
}
