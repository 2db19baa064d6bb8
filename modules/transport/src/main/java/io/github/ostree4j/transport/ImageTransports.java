package io.github.ostree4j.transport;

import io.github.ostree4j.oci.OciArchive;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.internal.DockerArchiveDestination;
import io.github.ostree4j.transport.internal.DockerArchiveSource;
import io.github.ostree4j.transport.internal.LayoutDestination;
import io.github.ostree4j.transport.internal.LayoutSource;
import io.github.ostree4j.transport.internal.RegistryDestination;
import io.github.ostree4j.transport.internal.RegistrySource;
import io.github.ostree4j.transport.internal.TempDir;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@link ImageSource}s and {@link ImageDestination}s for image references:
 *
 * <ul>
 *   <li>{@code docker://} through a {@link RegistryClient} built from the options;
 *   <li>{@code oci:DIR[:TAG]} on the layout directory (created when writing);
 *   <li>{@code oci-archive:FILE[:TAG]}: read from a temporary extraction; written as a temporary
 *       layout archived to a temporary file renamed over FILE at commit;
 *   <li>{@code docker-archive:FILE[:NAME:TAG]}: read in place; written at commit.
 * </ul>
 */
public final class ImageTransports {

  private ImageTransports() {}

  /**
   * Opens an image for reading.
   *
   * @param ref the image
   * @param options credentials, TLS, retries, temporary directory
   * @return the source; close it
   * @throws IOException when the image cannot be opened (a missing layout or archive, an
   *     unreadable archive)
   */
  public static ImageSource openSource(ImageReference ref, TransportOptions options)
      throws IOException {
    switch (ref.transport()) {
      case DOCKER:
        return new RegistrySource(ref, client(ref, options));
      case OCI:
        return new LayoutSource(ref, OciLayout.open(ref.path()), ref.tag().orElse(null), null);
      case OCI_ARCHIVE: {
        TempDir temp = TempDir.create(options.tempDir(), "oci-archive-");
        try {
          OciLayout layout = OciArchive.extract(ref.path(), temp.path().resolve("layout"));
          return new LayoutSource(ref, layout, ref.tag().orElse(null), temp);
        } catch (IOException | RuntimeException e) {
          temp.close();
          throw e;
        }
      }
      case DOCKER_ARCHIVE:
        return new DockerArchiveSource(ref, options.tempDir());
      default:
        throw new IllegalArgumentException("unsupported transport " + ref.transport());
    }
  }

  /**
   * Opens an image for writing. Nothing visible changes before {@link
   * ImageDestination#putManifest} of the tagged manifest (registries, {@code oci:}) or {@link
   * ImageDestination#commit()} (archives).
   *
   * @param ref the image
   * @param options credentials, TLS, retries, temporary directory
   * @return the destination; close it
   * @throws IOException when the destination cannot be prepared
   */
  public static ImageDestination openDestination(ImageReference ref, TransportOptions options)
      throws IOException {
    switch (ref.transport()) {
      case DOCKER:
        return new RegistryDestination(ref, client(ref, options));
      case OCI:
        return new LayoutDestination(ref, OciLayout.create(ref.path()), ref.tag().orElse(null),
            null, null);
      case OCI_ARCHIVE: {
        Path target = ref.path().toAbsolutePath();
        TempDir temp = TempDir.create(options.tempDir(), "oci-archive-");
        try {
          OciLayout layout = OciLayout.create(temp.path().resolve("layout"));
          return new LayoutDestination(ref, layout, ref.tag().orElse(null), target, temp);
        } catch (IOException | RuntimeException e) {
          temp.close();
          throw e;
        }
      }
      case DOCKER_ARCHIVE:
        return new DockerArchiveDestination(ref, options.tempDir());
      default:
        throw new IllegalArgumentException("unsupported transport " + ref.transport());
    }
  }

  /**
   * A registry client for a reference's registry, configured from the options.
   *
   * @param ref a registry reference
   * @param options the options
   * @return the client; close it
   */
  public static RegistryClient client(ImageReference ref, TransportOptions options) {
    return RegistryClient.builder(ref.registry())
        .credentials(options.credentials())
        .tlsVerify(options.tlsVerify())
        .retries(options.attempts(), options.retryDelay())
        .build();
  }
}
