package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.internal.PgpFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * A set of OpenPGP public keys that commit signatures are checked against, read from the files
 * ostree and GnuPG keep them in.
 *
 * <ul>
 *   <li>{@link #forRemote}: the keys of an ostree remote, as libostree finds them: {@code
 *       <repo>/<remote>.trustedkeys.gpg} (written by {@code ostree remote gpg-import}) and the
 *       remote's {@code gpgkeypath} files or directories; when the remote has neither, the global
 *       directory {@code $OSTREE_GPG_HOME} or {@code /usr/share/ostree/trusted.gpg.d};
 *   <li>{@link #fromHomedir}: a GnuPG home's {@code pubring.kbx} or {@code pubring.gpg};
 *   <li>{@link #load}: any keybox, binary keyring or armored key files.
 * </ul>
 */
public final class GpgKeyring {

  /** The directory libostree reads when a remote has no keys of its own. */
  public static final Path GLOBAL_KEYRING_DIR = Path.of("/usr/share/ostree/trusted.gpg.d");

  private final List<PGPPublicKeyRing> rings;
  private final List<Path> sources;

  private GpgKeyring(List<PGPPublicKeyRing> rings, List<Path> sources) {
    this.rings = List.copyOf(rings);
    this.sources = List.copyOf(sources);
  }

  /** A keyring of rings already read. */
  static GpgKeyring of(List<PGPPublicKeyRing> rings) {
    return new GpgKeyring(rings, List.of());
  }

  /**
   * Reads key files; a directory stands for its {@code .gpg}, {@code .asc} and {@code .kbx}
   * files (not {@code trustdb.gpg} or {@code secring.gpg}).
   *
   * @param files the files
   * @return the keyring
   * @throws GpgException when a file is not OpenPGP key material
   * @throws IOException when a file cannot be read
   */
  public static GpgKeyring load(List<Path> files) throws IOException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    List<Path> sources = new ArrayList<>();
    for (Path f : files) {
      if (Files.isDirectory(f)) {
        for (Path k : keyFilesIn(f)) {
          rings.addAll(PgpFiles.publicRings(k));
          sources.add(k);
        }
      } else {
        rings.addAll(PgpFiles.publicRings(f));
        sources.add(f);
      }
    }
    return new GpgKeyring(rings, sources);
  }

  private static List<Path> keyFilesIn(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (Files.isRegularFile(p) && (n.endsWith(".gpg") || n.endsWith(".asc")
            || n.endsWith(".kbx")) && !n.equals("trustdb.gpg") && !n.equals("secring.gpg")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * The public keys of a GnuPG home directory: {@code pubring.kbx}, else {@code pubring.gpg}.
   *
   * @param homedir the directory ({@code --gpg-homedir})
   * @return the keyring
   * @throws GpgException when the directory has no public keyring
   * @throws IOException when it cannot be read
   */
  public static GpgKeyring fromHomedir(Path homedir) throws IOException {
    for (String name : List.of("pubring.kbx", "pubring.gpg")) {
      Path p = homedir.resolve(name);
      if (Files.isRegularFile(p)) {
        return load(List.of(p));
      }
    }
    throw new GpgException("reading the GnuPG home " + homedir + ": no pubring.kbx or"
        + " pubring.gpg");
  }

  /**
   * The keys an ostree remote trusts. The remote is looked up in the repository's {@code config}
   * and, for a system repository ({@code /ostree/repo}), in {@code /etc/ostree/remotes.d}.
   *
   * @param repo the repository
   * @param remote the remote name
   * @return the keyring (possibly empty)
   * @throws GpgException when the remote is not configured, or disables GPG verification
   * @throws IOException when a key file cannot be read
   */
  public static GpgKeyring forRemote(OstreeRepo repo, String remote) throws IOException {
    String group = "remote \"" + remote + "\"";
    KeyFile config = repo.config();
    if (!config.groups().contains(group)) {
      config = null;
      for (Path dir : remotesDirectories(repo)) {
        Optional<KeyFile> k = remoteIn(dir, group);
        if (k.isPresent()) {
          config = k.get();
          break;
        }
      }
    }
    if (config == null) {
      throw new GpgException("reading the keys of ostree remote " + remote + ": the remote is not"
          + " configured in " + repo.path() + " (add it with 'ostree remote add --repo="
          + repo.path() + " " + remote + " URL' and import its key with 'ostree remote gpg-import')");
    }
    if (!config.getBoolean(group, "gpg-verify").orElse(true)) {
      throw new GpgException("reading the keys of ostree remote " + remote + ": the remote sets"
          + " gpg-verify=false, so it cannot verify signed commits");
    }
    List<Path> files = new ArrayList<>();
    Path trusted = repo.path().resolve(remote + ".trustedkeys.gpg");
    if (Files.isRegularFile(trusted)) {
      files.add(trusted);
    }
    Optional<String> keyPath = config.get(group, "gpgkeypath");
    if (keyPath.isPresent()) {
      for (String p : keyPath.get().split("[;,]")) {
        if (!p.isBlank()) {
          files.add(Path.of(p.strip()));
        }
      }
    }
    if (files.isEmpty()) {
      String env = System.getenv("OSTREE_GPG_HOME");
      Path global = env != null ? Path.of(env) : GLOBAL_KEYRING_DIR;
      if (Files.isDirectory(global)) {
        files.add(global);
      }
    }
    return load(files);
  }

  private static List<Path> remotesDirectories(OstreeRepo repo) {
    Path p = repo.path().toAbsolutePath().normalize();
    if (p.equals(Path.of("/ostree/repo")) || p.equals(Path.of("/sysroot/ostree/repo"))) {
      return List.of(Path.of("/etc/ostree/remotes.d"));
    }
    return List.of();
  }

  private static Optional<KeyFile> remoteIn(Path dir, String group) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.conf")) {
      for (Path f : ds) {
        KeyFile k = KeyFile.read(f);
        if (k.groups().contains(group)) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether there are no keys.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return rings.isEmpty();
  }

  /**
   * The files the keys were read from.
   *
   * @return the files
   */
  public List<Path> sources() {
    return sources;
  }

  /**
   * The key rings.
   *
   * @return the rings
   */
  public List<PGPPublicKeyRing> rings() {
    return rings;
  }

  /**
   * The key (primary or subkey) with a key ID.
   *
   * @param keyId the 64-bit key ID
   * @return the key and its ring
   */
  public Optional<Found> find(long keyId) {
    for (PGPPublicKeyRing r : rings) {
      PGPPublicKey k = r.getPublicKey(keyId);
      if (k != null) {
        return Optional.of(new Found(r, k));
      }
    }
    return Optional.empty();
  }

  /**
   * The key a user names, as GnuPG accepts key specifications: a fingerprint (40 hex digits), a
   * long (16) or short (8) key ID, optionally with {@code 0x}, or text found in a user ID
   * ({@code test@example.com}). When it names a primary key that cannot sign, its newest signing
   * subkey is chosen.
   *
   * @param spec the specification
   * @return the signing key and its ring
   */
  public Optional<Found> findSigningKey(String spec) {
    String s = spec.strip();
    String hex = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    boolean isHex = hex.matches("[0-9A-Fa-f]+")
        && (hex.length() == 8 || hex.length() == 16 || hex.length() == 40);
    for (PGPPublicKeyRing r : rings) {
      for (Iterator<PGPPublicKey> it = r.getPublicKeys(); it.hasNext(); ) {
        PGPPublicKey k = it.next();
        boolean hit;
        if (isHex) {
          String fp = HexFormat.of().formatHex(k.getFingerprint());
          String id = String.format("%016x", k.getKeyID());
          String h = hex.toLowerCase(Locale.ROOT);
          hit = hex.length() == 40 ? fp.equals(h) : id.endsWith(h);
        } else {
          hit = k.isMasterKey() && userIds(k).stream()
              .anyMatch(u -> u.toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT)));
        }
        if (hit) {
          if (k.isMasterKey() && !canSign(k, k)) {
            Optional<PGPPublicKey> sub = signingSubkey(r);
            if (sub.isPresent()) {
              return Optional.of(new Found(r, sub.get()));
            }
          }
          return Optional.of(new Found(r, k));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<PGPPublicKey> signingSubkey(PGPPublicKeyRing r) {
    PGPPublicKey best = null;
    PGPPublicKey primary = r.getPublicKey();
    for (Iterator<PGPPublicKey> it = r.getPublicKeys(); it.hasNext(); ) {
      PGPPublicKey k = it.next();
      if (!k.isMasterKey() && !k.hasRevocation() && canSign(k, primary)
          && (best == null || k.getCreationTime().after(best.getCreationTime()))) {
        best = k;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the key's self-signature or binding signature allows signing data. */
  static boolean canSign(PGPPublicKey k, PGPPublicKey primary) {
    boolean sawFlags = false;
    for (Iterator<PGPSignature> it = k.getSignatures(); it.hasNext(); ) {
      PGPSignature sig = it.next();
      if (sig.getKeyID() != primary.getKeyID() || sig.getHashedSubPackets() == null) {
        continue;
      }
      int flags = sig.getHashedSubPackets().getKeyFlags();
      if (flags != 0) {
        sawFlags = true;
        if ((flags & KeyFlags.SIGN_DATA) != 0) {
          return true;
        }
      }
    }
    return !sawFlags && k.isMasterKey();
  }

  /**
   * The user IDs of a key.
   *
   * @param k a primary key
   * @return the user IDs
   */
  public static List<String> userIds(PGPPublicKey k) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = k.getUserIDs(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /**
   * A key found in the keyring.
   *
   * @param ring its ring (the primary key is {@code ring.getPublicKey()})
   * @param key the key itself
   */
  public record Found(PGPPublicKeyRing ring, PGPPublicKey key) {}

  @Override
  public String toString() {
    return "GpgKeyring" + sources;
  }
}
