package io.github.ostree4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageIndex;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciFormatException;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.oci.VerifyingInputStream;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.ManifestResponse;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ostree4j inspect IMAGE}: show an image's manifest, config or summary, like {@code skopeo inspect}. */
@Command(name = "inspect", description = "Inspect an image: summary, raw manifest or config.")
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE",
      description = "docker://HOST/REPO[:TAG|@DIGEST], oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG]")
  String image;

  @Option(names = "--raw", description = "Print the manifest (or with --config the config) exactly as stored.")
  boolean raw;

  @Option(names = "--config", description = "Print the image's config instead of the summary.")
  boolean config;

  @picocli.CommandLine.Mixin RegistryOptions registry;

  @Override
  public Integer call() throws Exception {
    ImageReference ref = ImageAccess.parse(image);
    TransportOptions opts = registry.options();
    PrintWriter out = spec.commandLine().getOut();
    try (ImageSource src = ImageTransports.openSource(ref, opts)) {
      ManifestResponse top = src.manifest();
      if (raw && !config) {
        out.print(new String(top.bytes(), StandardCharsets.UTF_8));
        out.flush();
        return 0;
      }
      ManifestResponse m = top;
      if (MediaTypes.isIndex(top.mediaType())) {
        ImageIndex idx = ImageIndex.parse(top.bytes(), top.mediaType());
        Platform p = Platform.current();
        Descriptor d = idx.forPlatform(p).orElseThrow(() -> new OciFormatException(
            "the image index has no image for " + p));
        m = src.manifest(d.digest());
      }
      ImageManifest manifest = ImageManifest.parse(m.bytes(), m.mediaType());
      byte[] configBytes = readConfig(src, manifest.config());
      if (config) {
        if (raw) {
          out.print(new String(configBytes, StandardCharsets.UTF_8));
        } else {
          out.println(indent(Json.MAPPER.readTree(configBytes)));
        }
        out.flush();
        return 0;
      }
      ImageConfig cfg = ImageConfig.parse(configBytes);
      JsonNodeFactory f = JsonNodeFactory.instance;
      ObjectNode o = f.objectNode();
      if (ref.isRegistry()) {
        o.put("Name", ref.registry() + "/" + ref.repository());
      }
      o.put("Digest", top.digest().toString());
      ArrayNode tags = o.putArray("RepoTags");
      src.repositoryTags().forEach(tags::add);
      JsonNode cj = cfg.json();
      putText(o, "Created", cj.get("created"));
      o.put("DockerVersion", cj.path("docker_version").asText(""));
      JsonNode inner = cj.path("config");
      putOrNull(o, "Labels", inner.get("Labels"));
      o.put("Architecture", cfg.platform().architecture());
      if (cfg.platform().variant() != null && !cfg.platform().variant().isEmpty()) {
        o.put("Variant", cfg.platform().variant());
      }
      o.put("Os", cfg.platform().os());
      ArrayNode layers = o.putArray("Layers");
      ArrayNode data = o.putArray("LayersData");
      for (Descriptor l : manifest.layers()) {
        layers.add(l.digest().toString());
        ObjectNode ld = data.addObject();
        ld.put("MIMEType", l.mediaType());
        ld.put("Digest", l.digest().toString());
        ld.put("Size", l.size());
        if (l.annotations().isEmpty()) {
          ld.putNull("Annotations");
        } else {
          ObjectNode a = ld.putObject("Annotations");
          for (Map.Entry<String, String> e : l.annotations().entrySet()) {
            a.put(e.getKey(), e.getValue());
          }
        }
      }
      putOrNull(o, "Env", inner.get("Env"));
      out.println(indent(o));
      out.flush();
      return 0;
    } catch (IOException e) {
      throw new IOException("inspecting " + image + ": " + e.getMessage(), e);
    }
  }

  private static void putText(ObjectNode o, String k, JsonNode v) {
    if (v != null && v.isTextual()) {
      o.put(k, v.asText());
    }
  }

  private static void putOrNull(ObjectNode o, String k, JsonNode v) {
    if (v == null || v.isNull() || (v.isContainerNode() && v.size() == 0)) {
      o.putNull(k);
    } else {
      o.set(k, v.deepCopy());
    }
  }

  private static byte[] readConfig(ImageSource src, Descriptor d) throws IOException {
    if (d.size() > 64L << 20) {
      throw new OciFormatException("config " + d.digest() + " is too large (" + d.size() + " bytes)");
    }
    try (VerifyingInputStream in = new VerifyingInputStream(src.openBlob(d), d)) {
      byte[] b = in.readNBytes((int) d.size() + 1);
      in.verify();
      return b;
    }
  }

  /** JSON indented with four spaces, as Go's {@code json.MarshalIndent} (skopeo) writes it. */
  static String indent(JsonNode n) throws IOException {
    StringBuilder sb = new StringBuilder();
    write(sb, n, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode n, int depth) throws IOException {
    if (n.isObject()) {
      if (n.size() == 0) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        sb.append("    ".repeat(depth + 1)).append(Json.MAPPER.writeValueAsString(e.getKey()))
            .append(": ");
        write(sb, e.getValue(), depth + 1);
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      sb.append("    ".repeat(depth)).append('}');
    } else if (n.isArray()) {
      if (n.size() == 0) {
        sb.append("[]");
        return;
      }
      sb.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        sb.append("    ".repeat(depth + 1));
        write(sb, n.get(i), depth + 1);
        sb.append(i + 1 < n.size() ? ",\n" : "\n");
      }
      sb.append("    ".repeat(depth)).append(']');
    } else {
      sb.append(Json.MAPPER.writeValueAsString(n));
    }
  }

}
