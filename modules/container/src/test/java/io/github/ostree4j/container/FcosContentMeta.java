package io.github.ostree4j.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The real Fedora CoreOS content metadata of the ostree-ext fixtures (396 packages with sizes and
 * change frequencies), as components with one synthetic object each.
 */
final class FcosContentMeta {

  final List<UpstreamPackingModel.Sized> sized = new ArrayList<>();
  final List<Component> components = new ArrayList<>();
  final Map<Checksum, ChunkObject> objects = new LinkedHashMap<>();

  private FcosContentMeta() {}

  static FcosContentMeta load() throws IOException {
    FcosContentMeta m = new FcosContentMeta();
    JsonNode root;
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(SharedTestData.require("ostree-ext-fixtures/fedora-coreos-contentmeta.json.gz")))) {
      root = new ObjectMapper().readTree(in);
    }
    for (JsonNode n : root) {
      String name = n.get("name").asText();
      long size = n.get("size").asLong();
      m.sized.add(new UpstreamPackingModel.Sized(name, size, n.get("change_frequency").asLong()));
      Checksum cs = objectFor(name, "1");
      m.components.add(new Component(name, Set.of(cs), size));
      m.objects.put(cs, new ChunkObject(cs, size, List.of("usr/share/fixture/" + name)));
    }
    return m;
  }

  /** A synthetic object checksum for one version of a component. */
  static Checksum objectFor(String name, String version) {
    try {
      return Checksum.fromBytes(MessageDigest.getInstance("SHA-256")
          .digest((name + "\0" + version).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
