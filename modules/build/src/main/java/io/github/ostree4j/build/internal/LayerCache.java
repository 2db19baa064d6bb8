package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.OciLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The layer cache ({@code --layers}): for each filesystem step, keyed by {@link #key}, the
 * compressed layer blob (in the blob store) and the step's change tree, so that a hit reuses both
 * without running anything.
 *
 * <p>An entry is a directory {@code cache/KEY/} with {@code layer.json} (diff ID and blob
 * descriptor) and {@code changes/}; it is assembled under a temporary name and renamed into place.
 */
public final class LayerCache {

  private static final String VERSION = "ostree4j-build-cache-1";

  private final Path dir;
  private final OciLayout blobs;

  /**
   * An entry.
   *
   * @param key its key
   * @param diffId the layer's diff ID
   * @param blob the compressed blob
   * @param changes the change tree, usable as an overlay lower
   */
  public record Entry(String key, Digest diffId, Descriptor blob, Path changes) {}

  /**
   * @param dir the cache directory
   * @param blobs the blob store holding the layers
   */
  public LayerCache(Path dir, OciLayout blobs) {
    this.dir = dir;
    this.blobs = blobs;
  }

  /**
   * The key of a step: sha256 over the parent's key and the step's own parts (instruction text
   * after expansion, build arguments in effect, content hashes of its sources, and whatever else
   * changes its result).
   *
   * @param parent the key of the previous step (or of the base)
   * @param parts the step's parts, in a fixed order
   * @return 64 hex digits
   */
  public static String key(String parent, String... parts) {
    MessageDigest md = Digest.newSha256();
    update(md, VERSION);
    update(md, parent);
    for (String p : parts) {
      update(md, p == null ? "" : p);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void update(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(Long.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    md.update((byte) ':');
    md.update(b);
  }

  /**
   * Looks a key up.
   *
   * @param key the key
   * @return the entry, when it and its blob are complete
   */
  public Optional<Entry> lookup(String key) {
    Path e = dir.resolve(key);
    Path meta = e.resolve("layer.json");
    Path changes = e.resolve("changes");
    if (!Files.isRegularFile(meta) || !Files.isDirectory(changes)) {
      return Optional.empty();
    }
    try {
      ObjectNode n = Json.parseObject(Files.readAllBytes(meta), "cache entry " + key);
      Digest diffId = Digest.parse(n.path("diffId").asText());
      Descriptor blob = Descriptor.fromJson(n.get("blob"), "cache entry " + key);
      if (!blobs.hasBlob(blob.digest()) || blobs.blobSize(blob.digest()) != blob.size()) {
        return Optional.empty();
      }
      return Optional.of(new Entry(key, diffId, blob, changes));
    } catch (IOException e2) {
      return Optional.empty();
    }
  }

  /**
   * Stores an entry, moving {@code changes} into it (same filesystem) and replacing an entry of
   * the same key.
   *
   * @param key the key
   * @param diffId the layer's diff ID
   * @param blob the blob, already in the blob store
   * @param changes the step's change tree (moved)
   * @return the stored entry (its change tree at the new place)
   * @throws IOException when storing fails
   */
  public Entry store(String key, Digest diffId, Descriptor blob, Path changes) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(".tmp-" + key + "-" + ProcessHandle.current().pid());
    Trees.deleteRecursively(tmp);
    Files.createDirectory(tmp);
    ObjectNode n = Json.object();
    n.put("diffId", diffId.toString());
    n.set("blob", blob.toJson());
    Files.write(tmp.resolve("layer.json"), Json.toBytes(n));
    Files.move(changes, tmp.resolve("changes"), StandardCopyOption.ATOMIC_MOVE);
    Path target = dir.resolve(key);
    if (Files.exists(target)) {
      Path old = dir.resolve(".old-" + key + "-" + ProcessHandle.current().pid());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      Trees.deleteRecursively(old);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return new Entry(key, diffId, blob, target.resolve("changes"));
  }
}
