package io.github.ostree4j.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.SignatureSource;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The state of a node, in the shape of {@code bootc status} ({@code BootcHost}): {@code
 * spec.image} is the image the default deployment tracks, {@code status.booted}, {@code staged}
 * and {@code rollback} the deployments with image reference, version, timestamp, manifest digest
 * and ostree checksum, and {@code cachedUpdate} an update downloaded but not deployed.
 *
 * <p>In a sysroot that is not the running system (a {@code --sysroot} other than {@code /})
 * nothing is booted; there the default deployment, the one that boots next, is reported as
 * {@code booted} and the next one as {@code rollback}. On a running system a default deployment
 * that is not the booted one (written by an update, effective after a reboot) is reported as
 * {@code staged}. A deployment's {@code /etc} merge conflicts are added as {@code etcConflicts}.
 */
public final class HostStatus {

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final Sysroot sysroot;
  private final List<Deployment> all;
  private final Deployment booted;
  private final Deployment staged;
  private final Deployment rollback;
  private final boolean offline;
  private final ContainerStore.StoredImage cached;

  private HostStatus(Sysroot sysroot, List<Deployment> all, Deployment booted, Deployment staged,
      Deployment rollback, boolean offline, ContainerStore.StoredImage cached) {
    this.sysroot = sysroot;
    this.all = all;
    this.booted = booted;
    this.staged = staged;
    this.rollback = rollback;
    this.offline = offline;
    this.cached = cached;
  }

  /**
   * The status of a sysroot for one stateroot.
   *
   * @param s the sysroot
   * @param stateroot the stateroot whose deployments are booted/staged/rollback, or null
   * @return the status
   * @throws IOException when the container store cannot be read
   */
  public static HostStatus of(Sysroot s, String stateroot) throws IOException {
    List<Deployment> mine = s.deployments().stream()
        .filter(d -> d.stateroot().equals(stateroot)).toList();
    Optional<Deployment> realBooted = s.bootedDeployment();
    Deployment booted = realBooted.orElse(mine.isEmpty() ? null : mine.get(0));
    Deployment staged = null;
    Deployment rollback = null;
    if (booted != null) {
      int at = -1;
      for (int i = 0; i < mine.size(); i++) {
        if (mine.get(i).sameAs(booted)) {
          at = i;
        }
      }
      if (at > 0) {
        staged = mine.get(0);
      }
      if (at >= 0 && at + 1 < mine.size()) {
        rollback = mine.get(at + 1);
      } else if (at > 1) {
        rollback = mine.get(1);
      }
    }
    ContainerStore.StoredImage cached = null;
    Deployment tracking = staged != null ? staged : booted;
    if (tracking != null && tracking.imageReference().isPresent()) {
      Optional<ImageReference> img = image(tracking);
      if (img.isPresent()) {
        Optional<ContainerStore.StoredImage> si = new ContainerStore(s.repo()).query(img.get().toString());
        if (si.isPresent() && !tracking.imageDigest().equals(Optional.of(si.get().manifestDigest().toString()))) {
          cached = si.get();
        }
      }
    }
    return new HostStatus(s, s.deployments(), booted, staged, rollback, realBooted.isEmpty(), cached);
  }

  /** Every deployment of the sysroot, in boot order. */
  public List<Deployment> deployments() {
    return all;
  }

  /** The booted deployment (offline: the default one). */
  public Optional<Deployment> booted() {
    return Optional.ofNullable(booted);
  }

  /** The default deployment when it is not the booted one (running systems only). */
  public Optional<Deployment> staged() {
    return Optional.ofNullable(staged);
  }

  /** The deployment a rollback would make the default. */
  public Optional<Deployment> rollback() {
    return Optional.ofNullable(rollback);
  }

  /** The manifest digest of an update downloaded but not deployed. */
  public Optional<String> cachedUpdateDigest() {
    return Optional.ofNullable(cached).map(c -> c.manifestDigest().toString());
  }

  // ------------------------------------------------------------------ JSON

  /**
   * The {@code bootc status --format=json} document.
   *
   * @return the JSON tree
   */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("apiVersion", "org.containers.bootc/v1");
    root.put("kind", "BootcHost");
    root.putObject("metadata").put("name", "host");
    ObjectNode spec = root.putObject("spec");
    Deployment tracking = staged != null ? staged : booted;
    Optional<ObjectNode> specImage = tracking == null ? Optional.empty() : imageReferenceJson(tracking);
    spec.set("image", specImage.map(n -> (JsonNode) n).orElse(f.nullNode()));
    spec.put("bootOrder", "default");
    ObjectNode status = root.putObject("status");
    status.set("staged", entry(staged));
    status.set("booted", entry(booted));
    status.set("rollback", entry(rollback));
    status.put("rollbackQueued", false);
    if (tracking != null && tracking.imageReference().isPresent()) {
      status.put("type", "bootcHost");
    } else {
      status.putNull("type");
    }
    return root;
  }

  private JsonNode entry(Deployment d) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (d == null) {
      return f.nullNode();
    }
    ObjectNode e = f.objectNode();
    Optional<ObjectNode> ref = imageReferenceJson(d);
    if (ref.isPresent()) {
      ObjectNode img = e.putObject("image");
      img.set("image", ref.get());
      img.put("version", d.version().orElse(null));
      img.put("timestamp", d.timestamp().map(HostStatus::rfc3339).orElse(null));
      img.put("imageDigest", d.imageDigest().orElse(null));
    } else {
      e.putNull("image");
    }
    if (cached != null && (d == staged || (staged == null && d == booted))) {
      ObjectNode c = e.putObject("cachedUpdate");
      c.set("image", ref.orElse(null));
      c.put("version", cachedVersion().orElse(null));
      c.put("timestamp", cached.config().created().map(HostStatus::normalizeTime).orElse(null));
      c.put("imageDigest", cached.manifestDigest().toString());
    } else {
      e.putNull("cachedUpdate");
    }
    e.put("incompatible", false);
    e.put("pinned", false);
    if (ref.isPresent()) {
      e.put("store", "ostreeContainer");
    } else {
      e.putNull("store");
    }
    ObjectNode o = e.putObject("ostree");
    o.put("stateroot", d.stateroot());
    o.put("checksum", d.commit().hex());
    o.put("deploySerial", d.deploySerial());
    if (!d.etcConflicts().isEmpty()) {
      ArrayNode a = e.putArray("etcConflicts");
      for (EtcConflict c : d.etcConflicts()) {
        a.addObject().put("path", c.path()).put("reason", c.reason());
      }
    }
    return e;
  }

  /** bootc's {@code ImageReference}: {@code {image, transport, signature}}. */
  private static Optional<ObjectNode> imageReferenceJson(Deployment d) {
    Optional<String> text = d.imageReference();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    OstreeImageReference r;
    try {
      r = OstreeImageReference.parse(text.get());
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ImageReference img = r.imageReference();
    n.put("image", img.name());
    n.put("transport", transportName(img.transport()));
    if (r.signatureSource() == SignatureSource.OSTREE_REMOTE) {
      n.putObject("signature").put("ostreeRemote", r.remote().orElse(""));
    } else if (r.signatureSource() == SignatureSource.CONTAINER_POLICY) {
      n.put("signature", "containerPolicy");
    } else {
      n.put("signature", "insecure");
    }
    return Optional.of(n);
  }

  private static String transportName(ImageReference.Transport t) {
    // bootc calls the docker transport "registry"
    return t == ImageReference.Transport.DOCKER ? "registry" : t.transportName();
  }

  private Optional<String> cachedVersion() {
    java.util.Map<String, String> labels = cached.config().labels();
    return Optional.ofNullable(labels.getOrDefault("org.opencontainers.image.version",
        labels.get("version")));
  }

  private static String rfc3339(Instant t) {
    return RFC3339.format(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String normalizeTime(String s) {
    try {
      return rfc3339(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      return s;
    }
  }

  private static Optional<ImageReference> image(Deployment d) {
    try {
      return Optional.of(OstreeImageReference.parse(d.imageReference().orElseThrow()).imageReference());
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  /**
   * The JSON document as text, indented.
   *
   * @return the text, newline terminated
   */
  public String toJsonText() {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ text

  /**
   * A human-readable listing like {@code rpm-ostree status}: every deployment in boot order with
   * its origin, digest, version, commit and {@code /etc} conflicts; {@code ●} marks the booted
   * one.
   *
   * @return the text, newline terminated
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    if (all.isEmpty()) {
      return "No deployments.\n";
    }
    sb.append("Deployments:\n");
    for (Deployment d : all) {
      sb.append(d.isBooted() ? "● " : "  ");
      sb.append(d.imageReference().orElse(d.refspec().map(r -> "refspec " + r).orElse("(no origin)")));
      if (d.index() == 0) {
        sb.append(" (default)");
      } else if (rollback != null && d.sameAs(rollback)) {
        sb.append(" (rollback)");
      }
      sb.append('\n');
      d.imageDigest().ifPresent(x -> line(sb, "Digest", x));
      if (d.version().isPresent() || d.timestamp().isPresent()) {
        line(sb, "Version", d.version().orElse("-")
            + d.timestamp().map(t -> " (" + rfc3339(t) + ")").orElse(""));
      }
      line(sb, "Commit", d.commit().hex() + "." + d.deploySerial());
      line(sb, "Stateroot", d.stateroot());
      for (EtcConflict c : d.etcConflicts()) {
        line(sb, "/etc conflict", c.toString());
      }
      if (cached != null && (d == staged || (staged == null && d == booted))) {
        line(sb, "Downloaded", cached.manifestDigest() + cachedVersion().map(v -> " (" + v + ")").orElse("")
            + "; run upgrade to deploy it");
      }
    }
    if (offline) {
      sb.append("(").append(sysroot.path()).append(" is not the running system: nothing is booted)\n");
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(" ".repeat(Math.max(0, 18 - key.length()))).append(key).append(": ").append(value)
        .append('\n');
  }
}
