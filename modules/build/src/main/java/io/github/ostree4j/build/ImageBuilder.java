package io.github.ostree4j.build;

import io.github.ostree4j.build.internal.BuildSession;
import java.io.IOException;
import java.util.Objects;

/**
 * Builds an OCI image from a Containerfile without a daemon, as {@code podman build} /
 * {@code buildah bud} do: stages, build arguments, RUN through runc with the changes captured as
 * layers, COPY/ADD from the context, other stages or images, the config and history as buildah
 * writes them, an optional layer cache, reproducible output with a fixed timestamp. Base images
 * are pulled into an ostree repository under the storage root and used as hardlink checkouts.
 * The image is written to its destinations only at the very end: a failed build writes nothing.
 *
 * <pre>{@code
 * BuildResult r = ImageBuilder.of(BuildOptions.builder(Path.of("."))
 *     .destination(ImageReference.parse("oci:/srv/images:custom"))
 *     .timestamp(0)
 *     .build()).build();
 * }</pre>
 */
public final class ImageBuilder {

  private final BuildOptions options;

  private ImageBuilder(BuildOptions options) {
    this.options = options;
  }

  /**
   * A builder for one set of options.
   *
   * @param options what to build
   * @return the builder
   */
  public static ImageBuilder of(BuildOptions options) {
    return new ImageBuilder(Objects.requireNonNull(options, "options"));
  }

  /**
   * Runs the build. Concurrent builds with the same storage root wait for each other.
   *
   * @return the manifest and config digests and where the image was written
   * @throws ContainerfileException when the Containerfile is invalid (file:line: why)
   * @throws BuildException when a step fails (file:line: what failed; a RUN's output tail)
   * @throws IOException when reading the context, pulling a base image or writing fails
   */
  public BuildResult build() throws IOException, ContainerfileException, BuildException {
    try (BuildSession s = new BuildSession(options)) {
      return s.run();
    }
  }
}
