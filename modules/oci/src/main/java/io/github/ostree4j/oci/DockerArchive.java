package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.internal.AtomicFiles;
import io.github.ostree4j.oci.internal.BoundedReads;
import io.github.ostree4j.oci.internal.TarEntries;
import io.github.ostree4j.oci.internal.TarIndex;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code docker-archive:} files, the {@code docker save} format: a tar with {@code manifest.json}
 * ({@code [{"Config":"<hex>.json","RepoTags":["name:tag"],"Layers":["<id>/layer.tar", ...]}]}),
 * the config files, uncompressed layer tars, and optionally the legacy {@code repositories} file
 * and per-layer directories.
 *
 * <p><b>Reading</b> indexes the tar headers once and then reads config and layer files in place
 * (random access; nothing is extracted). Only a compressed archive (a {@code .tar.gz} or
 * {@code .tar.zst} of the whole thing) is first decompressed to a temporary file, which
 * {@link #close()} deletes. Each image is presented the way skopeo (containers/image) presents it:
 * a Docker schema 2 manifest synthesized byte for byte like skopeo's, so that
 * {@link Image#manifest()} has the digest {@code skopeo inspect docker-archive:F} reports. As in
 * skopeo, its layer descriptors name the <em>uncompressed</em> layers (digest = diff ID, size =
 * uncompressed size) even though their media type is the gzip one
 * ({@code application/vnd.docker.image.rootfs.diff.tar.gzip}); {@link Image#openBlob} always
 * returns the uncompressed, verified layer. Consumers must detect compression from the content
 * (see {@link Compression#detect}), not from these media types.
 *
 * <p><b>Writing</b> ({@link #write}) produces what skopeo and {@code docker load} read: the config
 * as {@code <config hex>.json}, every layer decompressed and verified against the config's diff ID
 * as {@code <diff id hex>.tar}, and {@code manifest.json} last; entries have mtime 0 and owner 0:0.
 * No legacy {@code repositories} file or per-layer directories are written.
 */
public final class DockerArchive implements Closeable {

  /** The name of the manifest file. */
  public static final String MANIFEST_FILE = "manifest.json";
  /** Upper bound for {@code manifest.json} and configs read whole (4 MiB). */
  public static final int MAX_DOCUMENT_SIZE = 4 << 20;

  private final Path archive;
  private final Path tempFile;
  private final TarIndex tar;
  private final String what;
  private final List<Image> images = new ArrayList<>();

  private DockerArchive(Path archive, Path tempFile, TarIndex tar) {
    this.archive = archive;
    this.tempFile = tempFile;
    this.tar = tar;
    this.what = "docker-archive " + archive;
  }

  /** Opens an archive; a compressed archive is decompressed into the default temporary directory. */
  public static DockerArchive open(Path archive) throws IOException {
    return open(archive, null);
  }

  /**
   * Opens an archive and reads its {@code manifest.json} and configs.
   *
   * @param tempDirOrNull where to decompress a compressed archive (null: the system default)
   * @throws OciFormatException for a missing or invalid {@code manifest.json} or config, layer
   *     counts that differ between the two, or unsafe entry names
   */
  public static DockerArchive open(Path archive, Path tempDirOrNull) throws IOException {
    String what = "docker-archive " + archive;
    Path temp = null;
    Compression c;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
      c = Compression.detect(in);
      if (c != Compression.NONE) {
        temp = tempDirOrNull == null ? Files.createTempFile("docker-archive-", ".tar")
            : Files.createTempFile(tempDirOrNull, "docker-archive-", ".tar");
        try (InputStream d = c.decompress(in); OutputStream out = Files.newOutputStream(temp)) {
          d.transferTo(out);
        }
      }
    } catch (IOException e) {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
      throw e;
    }
    try {
      DockerArchive a = new DockerArchive(archive, temp, TarIndex.open(temp != null ? temp : archive, what));
      a.readManifest();
      return a;
    } catch (IOException | RuntimeException e) {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
      throw e;
    }
  }

  private void readManifest() throws IOException {
    if (!tar.contains(MANIFEST_FILE)) {
      throw new OciFormatException(what + ": no " + MANIFEST_FILE
          + " (archives of Docker before 1.10 are not supported)");
    }
    byte[] raw;
    try (InputStream in = tar.open(MANIFEST_FILE)) {
      raw = BoundedReads.readAll(in, MAX_DOCUMENT_SIZE, what + ": " + MANIFEST_FILE);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(raw);
    } catch (IOException e) {
      throw new OciFormatException(what + ": " + MANIFEST_FILE + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isArray()) {
      throw new OciFormatException(what + ": " + MANIFEST_FILE + " is not a JSON array");
    }
    int i = 0;
    for (JsonNode item : root) {
      String w = what + ": " + MANIFEST_FILE + " entry " + i;
      if (!item.isObject() || !item.path("Config").isTextual() || !item.path("Layers").isArray()) {
        throw new OciFormatException(w + " lacks Config or Layers");
      }
      List<String> tags = new ArrayList<>();
      JsonNode rt = item.get("RepoTags");
      if (rt != null && !rt.isNull()) {
        if (!rt.isArray()) {
          throw new OciFormatException(w + ": RepoTags is not an array");
        }
        for (JsonNode t : rt) {
          tags.add(t.asText());
        }
      }
      List<String> layers = new ArrayList<>();
      for (JsonNode l : item.get("Layers")) {
        if (!l.isTextual()) {
          throw new OciFormatException(w + ": Layers holds a non-string");
        }
        layers.add(TarEntries.safeName(l.asText(), w));
      }
      images.add(new Image(i, TarEntries.safeName(item.get("Config").asText(), w), tags, layers));
      i++;
    }
    if (images.isEmpty()) {
      throw new OciFormatException(what + ": " + MANIFEST_FILE + " lists no images");
    }
  }

  /** The archive file. */
  public Path path() {
    return archive;
  }

  /** The images in {@code manifest.json} order. */
  public List<Image> images() {
    return Collections.unmodifiableList(images);
  }

  /**
   * Selects an image as skopeo's {@code docker-archive:FILE[:REF]} does.
   *
   * @param refOrNull null for the only image; {@code @N} for the N-th (from 0); otherwise a
   *     {@code name:tag} matched against RepoTags ({@code busybox:1} matches
   *     {@code docker.io/library/busybox:1})
   * @throws ImageNotFoundException if nothing matches
   * @throws OciFormatException if {@code refOrNull} is null and the archive holds several images
   */
  public Image image(String refOrNull) throws IOException {
    if (refOrNull == null) {
      if (images.size() > 1) {
        throw new OciFormatException(what + " holds " + images.size() + " images; choose one with name:tag or @N");
      }
      return images.get(0);
    }
    if (refOrNull.startsWith("@")) {
      int n;
      try {
        n = Integer.parseInt(refOrNull.substring(1));
      } catch (NumberFormatException e) {
        throw new ImageNotFoundException("invalid image index '" + refOrNull + "' for " + what);
      }
      if (n < 0 || n >= images.size()) {
        throw new ImageNotFoundException("no image " + refOrNull + " in " + what + " (it holds " + images.size() + ")");
      }
      return images.get(n);
    }
    String want = normalizeRef(refOrNull);
    for (Image im : images) {
      for (String t : im.repoTags) {
        if (t.equals(refOrNull) || normalizeRef(t).equals(want)) {
          return im;
        }
      }
    }
    throw new ImageNotFoundException("no image tagged '" + refOrNull + "' in " + what);
  }

  /** Deletes the temporary decompressed copy, if one was made. */
  @Override
  public void close() throws IOException {
    if (tempFile != null) {
      Files.deleteIfExists(tempFile);
    }
  }

  @Override
  public String toString() {
    return what;
  }

  /** One image of the archive: its config, its layers and the manifest skopeo would present. */
  public final class Image implements BlobSource {
    private final int index;
    private final String configPath;
    private final List<String> repoTags;
    private final List<String> layerPaths;
    private byte[] configBytes;
    private ImageConfig config;
    private ImageManifest manifest;
    private final Map<Digest, String> layerByDiffId = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();

    private Image(int index, String configPath, List<String> repoTags, List<String> layerPaths) {
      this.index = index;
      this.configPath = configPath;
      this.repoTags = List.copyOf(repoTags);
      this.layerPaths = List.copyOf(layerPaths);
    }

    /** The position in {@code manifest.json}. */
    public int index() {
      return index;
    }

    /** The RepoTags as written ({@code docker.io/library/busybox:1}, or short names from Docker). */
    public List<String> repoTags() {
      return repoTags;
    }

    /** The path of the config file in the archive. */
    public String configPath() {
      return configPath;
    }

    /** The paths of the layer files in the archive, base first. */
    public List<String> layerPaths() {
      return layerPaths;
    }

    /**
     * The image config (read on first use).
     *
     * @throws OciFormatException if it is missing, invalid, or its diff IDs do not match the layers
     */
    public synchronized ImageConfig config() throws IOException {
      if (config == null) {
        String w = what + ": config " + configPath;
        try (InputStream in = tar.open(configPath)) {
          configBytes = BoundedReads.readAll(in, MAX_DOCUMENT_SIZE, w);
        }
        ImageConfig c;
        try {
          c = ImageConfig.parse(configBytes);
        } catch (OciFormatException e) {
          throw new OciFormatException(w + ": " + e.getMessage(), e);
        }
        List<Digest> diffIds = c.diffIds();
        if (diffIds.size() != layerPaths.size()) {
          throw new OciFormatException(what + ": inconsistent layer count: " + layerPaths.size() + " in "
              + MANIFEST_FILE + ", " + diffIds.size() + " in config " + configPath);
        }
        Map<String, Digest> pathToDiffId = new HashMap<>();
        for (int i = 0; i < diffIds.size(); i++) {
          Digest d = diffIds.get(i);
          if (layerByDiffId.containsKey(d)) {
            continue;
          }
          String p = layerPaths.get(i);
          Digest other = pathToDiffId.put(p, d);
          if (other != null && !other.equals(d)) {
            throw new OciFormatException(what + ": layer file " + p + " is used for two different diff IDs");
          }
          tar.resolve(p);
          layerByDiffId.put(d, p);
        }
        config = c;
      }
      return config;
    }

    /** The config file's bytes (its digest is the image ID). */
    public byte[] configBytes() throws IOException {
      config();
      return configBytes.clone();
    }

    /**
     * The Docker schema 2 manifest skopeo synthesizes for this image (same bytes, same digest):
     * config type {@code application/vnd.docker.container.image.v1+json}, one layer per diff ID
     * with the diff ID as digest and the uncompressed size. Computing it decompresses layers that
     * are stored compressed, to learn their size.
     */
    public synchronized ImageManifest manifest() throws IOException {
      if (manifest == null) {
        ImageConfig c = config();
        ObjectNode n = Json.object();
        n.put("schemaVersion", 2);
        n.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        ObjectNode cfg = n.putObject("config");
        cfg.put("mediaType", MediaTypes.DOCKER_CONFIG);
        cfg.put("size", configBytes.length);
        cfg.put("digest", Digest.sha256(configBytes).toString());
        ArrayNode ls = n.putArray("layers");
        for (Digest d : c.diffIds()) {
          ObjectNode l = ls.addObject();
          l.put("mediaType", MediaTypes.DOCKER_LAYER_GZIP);
          l.put("size", uncompressedSize(layerByDiffId.get(d)));
          l.put("digest", d.toString());
        }
        manifest = ImageManifest.parse(Json.toBytes(n), MediaTypes.DOCKER_MANIFEST);
      }
      return manifest;
    }

    private long uncompressedSize(String path) throws IOException {
      Long known = sizes.get(path);
      if (known != null) {
        return known;
      }
      long size;
      try (InputStream raw = new BufferedInputStream(tar.open(path), 1 << 16)) {
        Compression c = Compression.detect(raw);
        if (c == Compression.NONE) {
          size = tar.size(path);
        } else {
          try (InputStream in = c.decompress(raw)) {
            size = in.transferTo(OutputStream.nullOutputStream());
          }
        }
      }
      sizes.put(path, size);
      return size;
    }

    /**
     * Opens the config (by its digest) or a layer (by its diff ID), uncompressed; a layer stream
     * fails with {@link BlobVerificationException} at its end if its content does not hash to the
     * diff ID.
     *
     * @throws MissingBlobException for any other digest
     */
    @Override
    public InputStream openBlob(Digest digest) throws IOException {
      config();
      if (digest.equals(Digest.sha256(configBytes))) {
        return new ByteArrayInputStream(configBytes);
      }
      String path = layerByDiffId.get(digest);
      if (path == null) {
        throw new MissingBlobException(digest, what + " (image " + index + ")");
      }
      Long size;
      synchronized (this) {
        size = sizes.get(path);
      }
      InputStream in = Compression.decompressDetected(tar.open(path));
      return new VerifyingInputStream(in, digest, size == null ? -1 : size);
    }

    /** Opens layer {@code i} (base first), uncompressed and verified like {@link #openBlob}. */
    public InputStream openLayer(int i) throws IOException {
      return openBlob(config().diffIds().get(i));
    }

    @Override
    public String toString() {
      return what + " image " + index + (repoTags.isEmpty() ? "" : " " + repoTags);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Writes the image tagged {@code tagOrNull} in {@code layout} as a docker archive (see
   * {@link #write(Path, ImageManifest, BlobSource, List)}).
   *
   * @throws OciFormatException if the tag names an index rather than a single image
   */
  public static void write(OciLayout layout, String tagOrNull, Path archive, List<String> repoTags)
      throws IOException {
    Descriptor d = layout.findManifest(tagOrNull);
    if (!MediaTypes.isManifest(d.mediaType())) {
      throw new OciFormatException(layout + ": " + (tagOrNull == null ? "the image" : "'" + tagOrNull + "'")
          + " is a " + d.mediaType() + ", not a single-platform image manifest");
    }
    write(archive, layout.readManifest(d), layout, repoTags);
  }

  /**
   * Writes one image as a docker archive: a temporary file next to {@code archive}, renamed over
   * it at the end. Every blob read from {@code source} is verified against the manifest, and every
   * decompressed layer against the config's diff ID. A compressed layer is read twice (once to
   * learn its uncompressed size for the tar header), so {@code source} should be local.
   *
   * @param manifest the image manifest (OCI or Docker); its config must list one diff ID per layer
   * @param repoTags names for RepoTags, each {@code name:tag} (no digest), e.g.
   *     {@code docker.io/library/busybox:latest}; may be empty
   * @throws OciFormatException if the manifest and config disagree
   * @throws BlobVerificationException if a blob or an uncompressed layer has the wrong digest
   * @throws IllegalArgumentException if a repo tag lacks a tag or contains a digest
   */
  public static void write(Path archive, ImageManifest manifest, BlobSource source, List<String> repoTags)
      throws IOException {
    for (String t : repoTags) {
      int slash = t.lastIndexOf('/');
      if (t.contains("@") || t.indexOf(':', slash + 1) <= slash + 1 || t.endsWith(":")) {
        throw new IllegalArgumentException("repo tag '" + t + "' must be name:tag without a digest");
      }
    }
    Descriptor cd = manifest.config();
    byte[] configBytes;
    try (VerifyingInputStream in = new VerifyingInputStream(source.openBlob(cd.digest()), cd)) {
      configBytes = BoundedReads.readAll(in, MAX_DOCUMENT_SIZE, "config " + cd.digest());
      in.verify();
    }
    ImageConfig config = ImageConfig.parse(configBytes);
    List<Digest> diffIds = config.diffIds();
    List<Descriptor> layers = manifest.layers();
    if (diffIds.size() != layers.size()) {
      throw new OciFormatException("cannot write docker-archive " + archive + ": manifest has " + layers.size()
          + " layers but config " + cd.digest() + " has " + diffIds.size() + " diff IDs");
    }
    Map<Digest, Long> sizes = new LinkedHashMap<>();
    Map<Digest, Descriptor> sourceOf = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Digest diffId = diffIds.get(i);
      if (!sizes.containsKey(diffId)) {
        sizes.put(diffId, measure(source, layers.get(i), diffId));
        sourceOf.put(diffId, layers.get(i));
      }
    }
    String configName = cd.digest().hex() + ".json";
    AtomicFiles.write(archive.toAbsolutePath(), out -> {
      TarArchiveOutputStream tar = TarEntries.newWriter(out);
      TarEntries.putBytes(tar, configName, configBytes);
      Set<Digest> written = new HashSet<>();
      ArrayNode layerNames = Json.MAPPER.createArrayNode();
      for (Digest diffId : diffIds) {
        String name = diffId.hex() + ".tar";
        layerNames.add(name);
        if (!written.add(diffId)) {
          continue;
        }
        long size = sizes.get(diffId);
        Descriptor src = sourceOf.get(diffId);
        tar.putArchiveEntry(TarEntries.file(name, size));
        try (VerifyingInputStream raw = new VerifyingInputStream(source.openBlob(src.digest()), src);
            VerifyingInputStream layer = new VerifyingInputStream(Compression.decompressDetected(raw), diffId, size)) {
          layer.transferTo(tar);
          layer.verify();
          raw.verify();
        }
        tar.closeArchiveEntry();
      }
      ArrayNode root = Json.MAPPER.createArrayNode();
      ObjectNode item = root.addObject();
      item.put("Config", configName);
      ArrayNode rt = item.putArray("RepoTags");
      repoTags.forEach(rt::add);
      item.set("Layers", layerNames);
      TarEntries.putBytes(tar, MANIFEST_FILE, Json.toBytes(root));
      tar.finish();
      return null;
    });
  }

  /** Reads a layer once to learn (and check) its uncompressed size and digest. */
  private static long measure(BlobSource source, Descriptor layer, Digest diffId) throws IOException {
    try (VerifyingInputStream raw = new VerifyingInputStream(source.openBlob(layer.digest()), layer)) {
      BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
      Compression c = Compression.detect(b);
      if (c == Compression.NONE) {
        if (!layer.digest().equals(diffId)) {
          throw new OciFormatException("layer " + layer.digest() + " is uncompressed but its diff ID in the config is "
              + diffId);
        }
        return layer.size();
      }
      try (DigestingInputStream in = new DigestingInputStream(c.decompress(b), diffId.newDigester())) {
        in.transferTo(OutputStream.nullOutputStream());
        raw.verify();
        if (!in.digest().equals(diffId)) {
          throw BlobVerificationException.digestMismatch(diffId, in.digest(), in.size());
        }
        return in.size();
      }
    }
  }

  private static String normalizeRef(String ref) {
    String name = ref;
    String tag = "latest";
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      name = ref.substring(0, colon);
      tag = ref.substring(colon + 1);
    }
    int first = name.indexOf('/');
    String head = first < 0 ? "" : name.substring(0, first);
    if (first < 0 || !(head.contains(".") || head.contains(":") || head.equals("localhost"))) {
      name = "docker.io/" + (first < 0 ? "library/" : "") + name;
    }
    return name + ":" + tag;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
