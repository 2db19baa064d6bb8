package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/** An image platform: os, architecture and optional variant. */
public final class Platform {

  private final String os;
  private final String architecture;
  private final String variant;

  /** A platform; {@code variant} may be null. */
  public Platform(String os, String architecture, String variant) {
    this.os = Objects.requireNonNull(os);
    this.architecture = Objects.requireNonNull(architecture);
    this.variant = variant;
  }

  /** The platform of the running JVM, in Go's GOARCH names (amd64, arm64, ppc64le, s390x). */
  public static Platform current() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        arch = "amd64";
        break;
      case "aarch64":
        arch = "arm64";
        break;
      default:
        break;
    }
    return new Platform("linux", arch, arch.equals("arm64") ? "v8" : null);
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String s) {
    String[] p = s.split("/");
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("invalid platform '" + s + "' (expected os/arch[/variant], e.g. linux/amd64)");
    }
    return new Platform(p[0], p[1], p.length == 3 ? p[2] : null);
  }

  static Platform fromJson(JsonNode n) {
    JsonNode v = n.get("variant");
    return new Platform(n.path("os").asText(""), n.path("architecture").asText(""),
        v == null || v.isNull() ? null : v.asText());
  }

  /** JSON object form. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("architecture", architecture);
    n.put("os", os);
    if (variant != null) {
      n.put("variant", variant);
    }
    return n;
  }

  /** Operating system. */
  public String os() {
    return os;
  }

  /** CPU architecture (GOARCH). */
  public String architecture() {
    return architecture;
  }

  /** Variant, or null. */
  public String variant() {
    return variant;
  }

  /** Whether an image for {@code other} runs here (variant ignored when either has none). */
  public boolean matches(Platform other) {
    return os.equals(other.os) && architecture.equals(other.architecture)
        && (variant == null || other.variant == null || variant.equals(other.variant));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Platform && ((Platform) o).os.equals(os)
        && ((Platform) o).architecture.equals(architecture) && Objects.equals(((Platform) o).variant, variant);
  }

  @Override
  public int hashCode() {
    return Objects.hash(os, architecture, variant);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
