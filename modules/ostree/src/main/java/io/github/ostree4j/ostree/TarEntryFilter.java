package io.github.ostree4j.ostree;

import java.io.IOException;
import java.util.Objects;

/**
 * Decides, entry by entry, where the entries of a tar stream go when the stream is read into a
 * tree ({@link Committer#importTar(java.io.InputStream, CommitOptions, TarEntryFilter)}): under
 * which path, or nowhere. This is how callers rename or drop entries (container layers move
 * {@code etc} to {@code usr/etc} and drop {@code /tmp} content) without rewriting the stream.
 *
 * <p>The importer still does all the checking: it splits the returned path, rejects {@code ..},
 * creates missing parents and rejects unsupported file types of the entries that are kept.
 */
public interface TarEntryFilter {

  /** Keeps every entry under its own name, as {@code ostree commit --tree=tar=} does. */
  TarEntryFilter IDENTITY = new TarEntryFilter() {
    @Override
    public Placement place(Entry entry) {
      return Placement.tree(entry.name());
    }

    @Override
    public String hardlinkTarget(Entry entry) {
      return entry.linkName();
    }
  };

  /** The kind of a tar entry. */
  enum Type {
    /** A directory. */
    DIRECTORY,
    /** A regular file. */
    REGULAR,
    /** A symbolic link. */
    SYMLINK,
    /** A hard link to an earlier entry. */
    HARDLINK,
    /** Anything else: devices, fifos, unknown types. */
    OTHER
  }

  /**
   * One entry as the filter sees it.
   *
   * @param name the entry name (PAX {@code path} honoured), as it is in the archive
   * @param type the entry type
   * @param linkName the target of a symlink or hard link, else null
   * @param mtime the modification time in seconds since the epoch
   */
  record Entry(String name, Type type, String linkName, long mtime) {
    /**
     * Canonical constructor.
     *
     * @param name entry name, not null
     * @param type entry type, not null
     * @param linkName link target or null
     * @param mtime modification time in seconds
     */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Where an entry goes.
   *
   * @param action what to do with the entry
   * @param path the relative path ({@code /}-separated, {@code ""} for the root) for {@link
   *     Action#TREE} and {@link Action#LINK_SOURCE}, null for {@link Action#SKIP}
   */
  record Placement(Action action, String path) {

    /** What happens to an entry. */
    public enum Action {
      /** The entry is stored in the tree at {@link Placement#path()}. */
      TREE,
      /** The entry is dropped; its data is read and discarded. */
      SKIP,
      /**
       * A regular file's content is stored but the file is not put in the tree; later hard
       * links naming {@link Placement#path()} (see {@link #hardlinkTarget}) get its content.
       */
      LINK_SOURCE
    }

    /**
     * Canonical constructor.
     *
     * @param action not null
     * @param path not null unless the action is {@link Action#SKIP}
     */
    public Placement {
      Objects.requireNonNull(action, "action");
      if (action != Action.SKIP) {
        Objects.requireNonNull(path, "path");
      }
    }

    /** Stores the entry in the tree at {@code path}. */
    public static Placement tree(String path) {
      return new Placement(Action.TREE, path);
    }

    /** Drops the entry. */
    public static Placement skip() {
      return new Placement(Action.SKIP, null);
    }

    /** Keeps a regular file's content only as the target of later hard links named {@code key}. */
    public static Placement linkSource(String key) {
      return new Placement(Action.LINK_SOURCE, key);
    }
  }

  /**
   * Where {@code entry} goes.
   *
   * @throws IOException to reject the entry (the message should name it)
   */
  Placement place(Entry entry) throws IOException;

  /**
   * The path under which the target of hard link {@code entry} was placed (by {@link #place}),
   * so that the importer can find its content.
   *
   * @throws IOException to reject the link (the message should name it)
   */
  String hardlinkTarget(Entry entry) throws IOException;
}
