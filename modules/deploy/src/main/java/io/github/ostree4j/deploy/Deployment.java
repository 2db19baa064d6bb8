package io.github.ostree4j.deploy;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.KeyFile;
import io.github.ostree4j.ostree.OstreeException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment of a sysroot, as {@code ostree admin status} sees it: a checkout of a commit in
 * {@code ostree/deploy/STATEROOT/deploy/COMMIT.SERIAL}, booted through a boot loader entry.
 * Immutable; obtained from {@link Sysroot#deployments()}.
 *
 * <p>Index 0 is the default (booted next), index 1 the rollback target. The version and timestamp
 * come from the commit ({@code version} metadata, commit time) or, for a container image, from
 * the image ({@code org.opencontainers.image.version} label, config {@code created}); the image
 * reference from the origin and the manifest digest from the image's merge commit.
 */
public final class Deployment {

  private final String stateroot;
  private final Checksum commit;
  private final int deploySerial;
  private final String bootcsum;
  private final int bootSerial;
  private final int index;
  private final List<String> kernelArgs;
  private final String originText;
  private final String version;
  private final Instant timestamp;
  private final String imageDigest;
  private final boolean booted;

  Deployment(String stateroot, Checksum commit, int deploySerial, String bootcsum, int bootSerial,
      int index, List<String> kernelArgs, String originText, String version, Instant timestamp,
      String imageDigest, boolean booted) {
    this.stateroot = Objects.requireNonNull(stateroot);
    this.commit = Objects.requireNonNull(commit);
    this.deploySerial = deploySerial;
    this.bootcsum = Objects.requireNonNull(bootcsum);
    this.bootSerial = bootSerial;
    this.index = index;
    this.kernelArgs = List.copyOf(kernelArgs);
    this.originText = originText;
    this.version = version;
    this.timestamp = timestamp;
    this.imageDigest = imageDigest;
    this.booted = booted;
  }

  /** The stateroot ("os name"), e.g. {@code fedora-coreos}. */
  public String stateroot() {
    return stateroot;
  }

  /** The deployed commit. */
  public Checksum commit() {
    return commit;
  }

  /** The deployment serial: how many earlier deployments of the same commit there were. */
  public int deploySerial() {
    return deploySerial;
  }

  /** The boot checksum: SHA-256 of kernel, initramfs (and devicetree). */
  public String bootcsum() {
    return bootcsum;
  }

  /** The boot serial: the position among the deployments sharing this boot checksum. */
  public int bootSerial() {
    return bootSerial;
  }

  /** The position in the boot order, 0 being the default. */
  public int index() {
    return index;
  }

  /** The kernel arguments of its boot entry, without {@code ostree=}. */
  public List<String> kernelArgs() {
    return kernelArgs;
  }

  /** The directory name: {@code COMMIT.SERIAL}. */
  public String dirName() {
    return commit.hex() + "." + deploySerial;
  }

  /** The directory relative to the sysroot: {@code ostree/deploy/STATEROOT/deploy/COMMIT.SERIAL}. */
  public String relativePath() {
    return "ostree/deploy/" + stateroot + "/deploy/" + dirName();
  }

  /**
   * A copy of the origin key file.
   *
   * @return the origin, or empty when the deployment has none
   */
  public Optional<KeyFile> origin() {
    if (originText == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(KeyFile.parse(originText));
    } catch (OstreeException e) {
      return Optional.empty();
    }
  }

  /** The origin's {@code refspec}, for a deployment of an ostree ref. */
  public Optional<String> refspec() {
    return origin().flatMap(Origins::refspec);
  }

  /**
   * The origin's container image reference, e.g. {@code ostree-unverified-registry:quay.io/x:1}.
   */
  public Optional<String> imageReference() {
    return origin().flatMap(Origins::imageReference);
  }

  /** The image's manifest digest ({@code sha256:…}), for a container image deployment. */
  public Optional<String> imageDigest() {
    return Optional.ofNullable(imageDigest);
  }

  /** The version: commit {@code version} metadata, else the image's version label. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** When the commit or image was made. */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** The {@code /etc} merge conflicts recorded when the deployment was written. */
  public List<EtcConflict> etcConflicts() {
    return origin().map(Origins::conflicts).orElse(List.of());
  }

  /** Whether the running system was booted from this deployment. */
  public boolean isBooted() {
    return booted;
  }

  /** Same stateroot, commit and serial. */
  public boolean sameAs(Deployment o) {
    return o != null && o.stateroot.equals(stateroot) && o.commit.equals(commit)
        && o.deploySerial == deploySerial;
  }

  @Override
  public String toString() {
    return stateroot + " " + dirName() + " (index " + index + ")";
  }
}
