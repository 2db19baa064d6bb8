package io.github.ostree4j.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import io.github.ostree4j.oci.BlobVerificationException;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.VerifyingInputStream;
import io.github.ostree4j.transport.internal.DockerNames;
import io.github.ostree4j.transport.internal.HttpSupport;
import io.github.ostree4j.transport.internal.PlainHttpProbe;
import io.github.ostree4j.transport.internal.RawManifestTemplate;
import io.github.ostree4j.transport.internal.RegistryAuth;
import io.github.ostree4j.transport.internal.RegistryAuth.Access;
import io.github.ostree4j.transport.internal.Retrier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.security.DigestException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * A client for one registry (distribution API v2): manifests as raw bytes, blobs as streams,
 * uploads with cross-repository mounts, Basic and Bearer authentication, bounded retries.
 *
 * <p>Create one client per registry host and reuse it: it keeps the connection settings it probed
 * (HTTPS, HTTPS without verification, plain HTTP), the authentication challenge, tokens and
 * credentials. Instances are thread-safe. Close it to release its connections.
 *
 * <pre>{@code
 * try (RegistryClient c = RegistryClient.builder("quay.io").build()) {
 *   ManifestResponse m = c.getManifest("fedora/fedora-coreos", "stable");
 *   try (InputStream layer = c.openBlob("fedora/fedora-coreos", someDigest)) { ... }
 * }
 * }</pre>
 *
 * <p>Implementation: blob existence checks, blob uploads (including mounts) and manifest uploads go
 * through jib-core's low-level registry client; a manifest upload is handed to jib as a template
 * that serializes to exactly the caller's bytes. Manifest and blob downloads, and the
 * authentication for them, are requests this class sends itself through jib's HTTP client,
 * because jib's manifest reader re-parses manifests into its own classes and drops the original
 * bytes, whose digest matters. jib-core only supports sha256 digests, so blob checks and uploads
 * do too; downloads also verify sha512. jib learns a token service only from {@code GET /v2/}: a
 * registry that answers it without authentication but wants tokens for a repository works for
 * reading, not for uploads.
 *
 * <p>With {@code tlsVerify(false)} the client falls back to HTTPS without certificate checks and
 * to plain HTTP, and then also sends credentials over plain HTTP — for that client only.
 */
public final class RegistryClient implements AutoCloseable {

  /** The manifest media types asked for (in the {@code Accept} header). */
  public static final List<String> MANIFEST_MEDIA_TYPES = List.of(
      MediaTypes.OCI_MANIFEST,
      MediaTypes.OCI_INDEX,
      MediaTypes.DOCKER_MANIFEST,
      MediaTypes.DOCKER_MANIFEST_LIST);

  /** The largest manifest accepted, as in containers-image. */
  public static final int MAX_MANIFEST_SIZE = 4 << 20;

  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*");
  private static final Pattern REGISTRY = Pattern.compile(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?"
          + "|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?");

  private final String registry;
  private final String apiHost;
  private final boolean tlsVerify;
  private final String userAgent;
  private final int timeoutMillis;
  private final FailoverHttpClient http;
  private final RegistryAuth auth;
  private final Retrier retrier;
  private final EventHandlers events;
  private final ConcurrentMap<String, com.google.cloud.tools.jib.registry.RegistryClient> jibClients =
      new ConcurrentHashMap<>();

  private RegistryClient(Builder b) {
    this.registry = b.registry;
    this.apiHost = DockerNames.apiHost(b.registry);
    this.tlsVerify = b.tlsVerify;
    this.userAgent = b.userAgent;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.timeout.toMillis());
    this.http = HttpSupport.newHttpClient(b.tlsVerify);
    if (!b.tlsVerify) {
      presetPlainHttp();
    }
    this.auth = new RegistryAuth(http, registry, apiHost, b.credentials, userAgent, timeoutMillis);
    this.retrier = new Retrier(registry, b.tlsVerify, b.maxAttempts, b.retryDelay);
    this.events = EventHandlers.builder().add(LogEvent.class, HttpSupport::log).build();
  }

  /**
   * With TLS verification off, asks the registry once in plain HTTP whether it speaks it, and if
   * so sends every request there directly (see {@link PlainHttpProbe}). Only for an explicit
   * port: without one, HTTPS (443) and HTTP (80) are different endpoints.
   */
  private void presetPlainHttp() {
    try {
      URL u = new URL("https://" + apiHost + "/");
      if (u.getPort() > 0
          && PlainHttpProbe.speaksPlainHttp(u.getHost(), u.getPort(), Math.min(timeoutMillis, 2000))) {
        HttpSupport.preferPlainHttp(http, u.getHost(), u.getPort());
      }
    } catch (IOException | RuntimeException e) {
      // the usual HTTPS-first sequence decides
    }
  }

  /**
   * Starts configuring a client.
   *
   * @param registry {@code HOST[:PORT]} as in image names; {@code docker.io} is served by {@code
   *     registry-1.docker.io}
   * @return a builder with the defaults: TLS verified, the user's auth files ({@link
   *     CredentialResolver#forUser()}), 3 attempts per request
   */
  public static Builder builder(String registry) {
    return new Builder(registry);
  }

  /**
   * The registry this client talks to.
   *
   * @return {@code HOST[:PORT]}
   */
  public String registry() {
    return registry;
  }

  /**
   * Whether TLS is verified.
   *
   * @return false when plain HTTP and unverified HTTPS are allowed
   */
  public boolean tlsVerify() {
    return tlsVerify;
  }

  /**
   * Fetches a manifest or index with its exact bytes. When {@code tagOrDigest} is a digest, the
   * bytes are checked against it; for a tag, against the registry's {@code
   * Docker-Content-Digest} header when it sends one.
   *
   * @param repository the repository, e.g. {@code fedora/fedora-coreos}
   * @param tagOrDigest a tag, or a digest {@code sha256:…}
   * @return the manifest, or empty when the registry does not know the tag, digest or repository
   * @throws IOException {@link AuthenticationFailedException}, {@link
   *     RegistryUnavailableException}, {@link InsecureRegistryException}, {@link
   *     DigestMismatchException}, or another {@link RegistryException}
   */
  public Optional<ManifestResponse> fetchManifest(String repository, String tagOrDigest)
      throws IOException {
    checkRepository(repository);
    Digest wanted = referenceDigest(tagOrDigest);
    String action = "fetching manifest " + image(repository, tagOrDigest);
    URL url = url(repository, "manifests/" + tagOrDigest);
    return retrier.run(action, () -> withAuth(repository, Access.PULL, null, a -> {
      Response r;
      try {
        r = http.get(url, request(a, MANIFEST_MEDIA_TYPES));
      } catch (ResponseException e) {
        if (e.getStatusCode() == 404) {
          return Optional.empty();
        }
        throw e;
      }
      try (Response resp = r) {
        byte[] body = HttpSupport.readBounded(resp.getBody(), MAX_MANIFEST_SIZE, action);
        Digest actual;
        if (wanted != null) {
          MessageDigest md = wanted.newDigester();
          md.update(body);
          actual = Digest.of(md);
          if (!actual.equals(wanted)) {
            throw new DigestMismatchException(action, wanted, actual, body.length);
          }
        } else {
          actual = Digest.sha256(body);
          String header = first(resp.getHeader("Docker-Content-Digest"));
          if (header != null && header.startsWith("sha256:") && Digest.isValid(header)
              && !Digest.parse(header).equals(actual)) {
            throw new DigestMismatchException(action + " (Docker-Content-Digest)",
                Digest.parse(header), actual, body.length);
          }
        }
        String mediaType = mediaType(first(resp.getHeader("Content-Type")), body);
        return Optional.of(new ManifestResponse(body, mediaType, actual));
      }
    }));
  }

  /**
   * Fetches a manifest that must exist.
   *
   * @param repository the repository
   * @param tagOrDigest a tag or a digest
   * @return the manifest
   * @throws ManifestNotFoundException when the registry does not know it
   * @throws IOException as for {@link #fetchManifest(String, String)}
   */
  public ManifestResponse getManifest(String repository, String tagOrDigest) throws IOException {
    return fetchManifest(repository, tagOrDigest)
        .orElseThrow(() -> new ManifestNotFoundException(image(repository, tagOrDigest)));
  }

  /**
   * Checks whether the registry has a blob in a repository.
   *
   * @param repository the repository
   * @param digest the blob digest (sha256)
   * @return the blob size when present, else empty
   * @throws IOException as for {@link #fetchManifest(String, String)}
   */
  public Optional<Long> blobExists(String repository, Digest digest) throws IOException {
    checkRepository(repository);
    String action = "checking blob " + digest + " in " + registry + "/" + repository;
    DescriptorDigest dd = jibDigest(digest, action);
    return retrier.run(action,
        () -> jibClient(repository, Access.PULL, null).checkBlob(dd).map(b -> b.getSize()));
  }

  /**
   * Opens a blob for reading. The stream verifies the digest when it reaches its end and throws
   * {@link BlobVerificationException} ("blob sha256:…: digest mismatch, got sha256:…") instead of
   * reporting the end when the content is wrong.
   * Establishing the download is retried; a failure while reading is not (open the blob again).
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return the blob content; close it
   * @throws IOException as for {@link #fetchManifest(String, String)}; a {@link RegistryException}
   *     when the blob is unknown
   */
  public VerifyingInputStream openBlob(String repository, Digest digest) throws IOException {
    return openBlob(repository, digest, -1);
  }

  /**
   * Opens a blob for reading, also checking its size.
   *
   * @param repository the repository
   * @param digest the blob digest
   * @param size the expected size in bytes, or -1 when unknown
   * @return the blob content; close it
   * @throws IOException as for {@link #openBlob(String, Digest)}
   */
  public VerifyingInputStream openBlob(String repository, Digest digest, long size)
      throws IOException {
    checkRepository(repository);
    Objects.requireNonNull(digest, "digest");
    String action = "fetching blob " + digest + " from " + registry + "/" + repository;
    URL url = url(repository, "blobs/" + digest);
    Response r = retrier.run(action, () -> withAuth(repository, Access.PULL, null, a -> {
      try {
        return http.get(url, request(a, List.of("*/*")));
      } catch (ResponseException e) {
        if (e.getStatusCode() == 404) {
          throw new RegistryException(action + ": blob unknown to the registry", e);
        }
        throw e;
      }
    }));
    try {
      InputStream body = new java.io.FilterInputStream(r.getBody()) {
        private boolean closed;

        @Override
        public void close() throws IOException {
          if (!closed) {
            closed = true;
            try {
              super.close();
            } finally {
              r.close();
            }
          }
        }
      };
      return new VerifyingInputStream(body, digest, size);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /**
   * Uploads a blob unless the repository has it already. With {@code mountFrom}, the registry is
   * first asked to mount the blob from that repository of the same registry, which copies
   * nothing. The content is hashed while it is sent; when it does not match {@code digest} and
   * {@code size} the upload fails with {@link DigestMismatchException} and the registry does not
   * keep it.
   *
   * @param repository the repository
   * @param digest the blob digest (sha256)
   * @param size the blob size, or -1 when unknown
   * @param content opens the content; called again for each attempt
   * @param mountFrom a repository on this registry that has the blob, or null
   * @param progress receives the number of bytes sent so far in the current attempt; may be null
   * @return true when nothing was uploaded (the blob was present or got mounted), false when the
   *     content was sent
   * @throws IOException as for {@link #fetchManifest(String, String)}, or from {@code content}
   */
  public boolean pushBlob(String repository, Digest digest, long size, StreamSupplier content,
      String mountFrom, LongConsumer progress) throws IOException {
    checkRepository(repository);
    Objects.requireNonNull(content, "content");
    if (mountFrom != null) {
      checkRepository(mountFrom);
    }
    String action = "pushing blob " + digest + " to " + registry + "/" + repository;
    DescriptorDigest dd = jibDigest(digest, action);
    String from = mountFrom == null || mountFrom.equals(repository) ? null : mountFrom;
    LongConsumer sink = progress == null ? n -> { } : progress;
    return retrier.run(action, () -> {
      com.google.cloud.tools.jib.registry.RegistryClient jc =
          jibClient(repository, Access.PUSH, from);
      if (jc.checkBlob(dd).isPresent()) {
        return true;
      }
      Blob blob = Blobs.from(out -> writeVerified(content, digest, size, out, sink, action), true);
      return jc.pushBlob(dd, blob, from, n -> { });
    });
  }

  /**
   * Asks the registry to mount a blob from another repository of the same registry into {@code
   * repository} (a cross-repository mount), which copies nothing.
   *
   * @param repository the repository that should get the blob
   * @param digest the blob digest
   * @param fromRepository a repository of this registry that has the blob
   * @return true when the blob is now in {@code repository}; false when the registry declined
   *     (then the blob has to be uploaded)
   * @throws IOException as for {@link #fetchManifest(String, String)}
   */
  public boolean mountBlob(String repository, Digest digest, String fromRepository)
      throws IOException {
    checkRepository(repository);
    checkRepository(fromRepository);
    Objects.requireNonNull(digest, "digest");
    String action = "mounting blob " + digest + " from " + registry + "/" + fromRepository
        + " into " + repository;
    URL url = new URL("https://" + apiHost + "/v2/" + repository + "/blobs/uploads/?mount="
        + digest + "&from=" + fromRepository);
    return retrier.run(action, () -> withAuth(repository, Access.PUSH, fromRepository, a -> {
      try (Response r = http.post(url, request(a, List.of("*/*")))) {
        if (r.getStatusCode() == 201) {
          return true;
        }
        // 202: the registry opened an upload session instead; drop it
        String location = first(r.getHeader("Location"));
        if (location != null) {
          try {
            URL cancel = new URL(url, location);
            http.call("DELETE", cancel, request(a, List.of("*/*"))).close();
          } catch (IOException e) {
            // the registry expires abandoned sessions itself
          }
        }
        return false;
      }
    }));
  }

  /**
   * Lists the tags of a repository ({@code GET /v2/REPOSITORY/tags/list}, following {@code
   * Link} headers for further pages).
   *
   * @param repository the repository
   * @return the tags in the registry's order; empty for an unknown repository
   * @throws IOException as for {@link #fetchManifest(String, String)}
   */
  public List<String> listTags(String repository) throws IOException {
    checkRepository(repository);
    String action = "listing tags of " + registry + "/" + repository;
    List<String> tags = new java.util.ArrayList<>();
    URL next = url(repository, "tags/list");
    for (int page = 0; next != null && page < 10_000; page++) {
      URL url = next;
      next = retrier.run(action, () -> withAuth(repository, Access.PULL, null, a -> {
        Response r;
        try {
          r = http.get(url, request(a, List.of("application/json")));
        } catch (ResponseException e) {
          if (e.getStatusCode() == 404) {
            return null;
          }
          throw e;
        }
        try (Response resp = r) {
          byte[] body = HttpSupport.readBounded(resp.getBody(), MAX_MANIFEST_SIZE, action);
          JsonNode n = Json.MAPPER.readTree(body);
          JsonNode ts = n == null ? null : n.get("tags");
          if (ts != null && ts.isArray()) {
            ts.forEach(t -> tags.add(t.asText()));
          }
          String link = first(resp.getHeader("Link"));
          if (link == null) {
            return null;
          }
          int lt = link.indexOf('<');
          int gt = link.indexOf('>');
          return lt >= 0 && gt > lt ? new URL(url, link.substring(lt + 1, gt)) : null;
        }
      }));
    }
    return List.copyOf(tags);
  }

  /**
   * Uploads a manifest under a tag (or under its digest). The registry receives exactly {@code
   * manifest}; the digest returned is the sha256 of those bytes.
   *
   * @param repository the repository
   * @param tagOrDigest the tag, or the manifest's own digest
   * @param manifest the manifest bytes (UTF-8 JSON, at most {@link #MAX_MANIFEST_SIZE} bytes)
   * @param mediaType the manifest media type, sent as {@code Content-Type}
   * @return the manifest digest
   * @throws IllegalArgumentException when the bytes are not UTF-8 or too large, or a digest given
   *     as {@code tagOrDigest} is not theirs
   * @throws IOException as for {@link #fetchManifest(String, String)}
   */
  public Digest pushManifest(String repository, String tagOrDigest, byte[] manifest,
      String mediaType) throws IOException {
    checkRepository(repository);
    Objects.requireNonNull(mediaType, "mediaType");
    if (manifest.length > MAX_MANIFEST_SIZE) {
      throw new IllegalArgumentException("manifest larger than " + MAX_MANIFEST_SIZE + " bytes");
    }
    Digest digest = Digest.sha256(manifest);
    Digest asDigest = referenceDigest(tagOrDigest);
    if (asDigest != null && !asDigest.equals(digest)) {
      throw new IllegalArgumentException("pushing manifest by digest " + asDigest
          + ": the manifest's digest is " + digest);
    }
    RawManifestTemplate template = new RawManifestTemplate(manifest, mediaType);
    String action = "pushing manifest " + image(repository, tagOrDigest);
    return retrier.run(action, () -> {
      DescriptorDigest pushed =
          jibClient(repository, Access.PUSH, null).pushManifest(template, tagOrDigest);
      if (!pushed.toString().equals(digest.toString())) {
        throw new IllegalStateException(action + ": the bytes sent have digest " + pushed
            + ", not " + digest);
      }
      return digest;
    });
  }

  /** Releases the client's connections. */
  @Override
  public void close() {
    try {
      http.shutDown();
    } catch (IOException e) {
      // nothing useful to do: connections are dropped with the client
    }
  }

  @Override
  public String toString() {
    return "RegistryClient[" + registry + (tlsVerify ? "" : ", tls-verify=false") + "]";
  }

  // ---------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface AuthedCall<T> {
    T call(Authorization a) throws IOException;
  }

  /** Runs a request with authentication; after a 401 from a token registry, once more. */
  private <T> T withAuth(String repository, Access access, String mountFrom, AuthedCall<T> call)
      throws IOException {
    Authorization a = auth.authorization(repository, access, mountFrom);
    try {
      return call.call(a);
    } catch (ResponseException e) {
      if (e.getStatusCode() == 401
          && auth.invalidate(HttpSupport.header(e, "WWW-Authenticate"))) {
        jibClients.clear(); // they were set up for the old challenge
        return call.call(auth.authorization(repository, access, mountFrom));
      }
      throw e;
    }
  }

  private com.google.cloud.tools.jib.registry.RegistryClient jibClient(String repository,
      Access access, String mountFrom)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException {
    String key = access + " " + repository + " " + (mountFrom == null ? "" : mountFrom);
    com.google.cloud.tools.jib.registry.RegistryClient existing = jibClients.get(key);
    if (existing != null) {
      return existing;
    }
    Optional<Credentials> cr = auth.credentials(repository);
    com.google.cloud.tools.jib.registry.RegistryClient.Factory f = mountFrom == null
        ? com.google.cloud.tools.jib.registry.RegistryClient.factory(events, apiHost, repository, http)
        : com.google.cloud.tools.jib.registry.RegistryClient.factory(
            events, apiHost, repository, mountFrom, http);
    f.setUserAgent(userAgent);
    cr.ifPresent(c -> f.setCredential(c.identityToken().isPresent()
        ? Credential.from(Credential.OAUTH2_TOKEN_USER_NAME, c.identityToken().get())
        : Credential.from(c.username(), c.password())));
    com.google.cloud.tools.jib.registry.RegistryClient jc = f.newRegistryClient();
    switch (auth.scheme()) {
      case BASIC:
        if (cr.isPresent()) {
          // checks the password once, so that a wrong one is reported the same way everywhere
          auth.authorization(repository, access, mountFrom);
          jc.configureBasicAuth();
        }
        break;
      case BEARER: {
        boolean done = access == Access.PUSH ? jc.doPushBearerAuth() : jc.doPullBearerAuth();
        if (!done && access == Access.PULL) {
          // jib learns the challenge from /v2/ only; this registry let /v2/ through anonymously
          jc.authPullByWwwAuthenticate(auth.bearerChallenge());
        }
        break;
      }
      default:
        break;
    }
    existing = jibClients.putIfAbsent(key, jc);
    return existing != null ? existing : jc;
  }

  private static void writeVerified(StreamSupplier content, Digest digest, long size,
      OutputStream out, LongConsumer progress, String action) throws IOException {
    byte[] buf = new byte[64 * 1024];
    try (InputStream raw = content.open();
        VerifyingInputStream in = alreadyVerifying(raw, digest, size)
            ? (VerifyingInputStream) raw : new VerifyingInputStream(raw, digest, size)) {
      long count = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        count += n;
        out.write(buf, 0, n);
        progress.accept(count);
      }
    } catch (BlobVerificationException e) {
      throw new DigestMismatchException(action, e);
    }
  }

  /** Whether a stream checks the same digest and size already, so it need not be hashed twice. */
  private static boolean alreadyVerifying(InputStream in, Digest digest, long size) {
    return in instanceof VerifyingInputStream
        && ((VerifyingInputStream) in).expectedDigest().equals(digest)
        && (size < 0 || ((VerifyingInputStream) in).expectedSize() == size);
  }

  private Request request(Authorization a, List<String> accept) {
    return Request.builder()
        .setUserAgent(userAgent)
        .setHttpTimeout(timeoutMillis)
        .setAuthorization(a)
        .setAccept(accept)
        .build();
  }

  private URL url(String repository, String rest) throws IOException {
    return new URL("https://" + apiHost + "/v2/" + repository + "/" + rest);
  }

  private String image(String repository, String tagOrDigest) {
    return registry + "/" + repository + (tagOrDigest.indexOf(':') >= 0 ? "@" : ":") + tagOrDigest;
  }

  private static DescriptorDigest jibDigest(Digest digest, String action) throws RegistryException {
    Objects.requireNonNull(digest, "digest");
    if (!digest.algorithm().equals("sha256")) {
      throw new RegistryException(action + ": only sha256 digests are supported here");
    }
    try {
      return DescriptorDigest.fromDigest(digest.toString());
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkRepository(String repository) {
    Objects.requireNonNull(repository, "repository");
    if (repository.length() > DockerNames.MAX_NAME_LENGTH
        || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("invalid repository name '" + repository + "'");
    }
  }

  /** The digest a reference names, or null for a tag; rejects anything else. */
  private static Digest referenceDigest(String tagOrDigest) throws IOException {
    Objects.requireNonNull(tagOrDigest, "tagOrDigest");
    if (tagOrDigest.indexOf(':') >= 0) {
      if (!Digest.isValid(tagOrDigest)) {
        throw new IllegalArgumentException("invalid digest '" + tagOrDigest + "'");
      }
      return Digest.parse(tagOrDigest);
    }
    if (!DockerNames.isValidTag(tagOrDigest)) {
      throw new IllegalArgumentException("invalid tag '" + tagOrDigest + "'");
    }
    return null;
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * The media type of a manifest: the Content-Type unless it is missing or generic, else the
   * document's {@code mediaType}, else guessed from its fields.
   */
  static String mediaType(String contentType, byte[] body) {
    return io.github.ostree4j.transport.internal.Manifests.mediaType(contentType, body);
  }


  /** Configures a {@link RegistryClient}. */
  public static final class Builder {
    private final String registry;
    private boolean tlsVerify = true;
    private CredentialResolver credentials;
    private String userAgent = "ostree4j";
    private Duration timeout = Duration.ofSeconds(60);
    private int maxAttempts = 3;
    private Duration retryDelay = Duration.ofMillis(500);

    private Builder(String registry) {
      Objects.requireNonNull(registry, "registry");
      if (!REGISTRY.matcher(registry).matches()) {
        throw new IllegalArgumentException("invalid registry '" + registry
            + "' (expected HOST[:PORT])");
      }
      this.registry = registry.equals("index.docker.io") ? DockerNames.DOCKER_HUB : registry;
    }

    /**
     * Whether TLS must be verified ({@code --tls-verify}); default true.
     *
     * @param verify false to allow plain HTTP and unverified HTTPS
     * @return this
     */
    public Builder tlsVerify(boolean verify) {
      this.tlsVerify = verify;
      return this;
    }

    /**
     * Where credentials come from; default {@link CredentialResolver#forUser()}.
     *
     * @param resolver the resolver
     * @return this
     */
    public Builder credentials(CredentialResolver resolver) {
      this.credentials = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The User-Agent header; default {@code ostree4j}.
     *
     * @param agent the header value
     * @return this
     */
    public Builder userAgent(String agent) {
      this.userAgent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * The connect and read timeout of the requests this client sends itself (manifest and blob
     * downloads, authentication); default 60 s. Requests made through jib use jib's {@code
     * jib.httpTimeout} system property (default 20 s).
     *
     * @param t the timeout
     * @return this
     */
    public Builder timeout(Duration t) {
      if (t.isNegative()) {
        throw new IllegalArgumentException("negative timeout");
      }
      this.timeout = t;
      return this;
    }

    /**
     * How often a request is tried when it fails transiently (connection refused or reset,
     * timeouts, HTTP 5xx and 429), and the pause before the second attempt, growing fourfold per
     * attempt; default 3 attempts, 500 ms.
     *
     * @param attempts attempts per request, at least 1
     * @param firstDelay the first pause
     * @return this
     */
    public Builder retries(int attempts, Duration firstDelay) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
      this.maxAttempts = attempts;
      this.retryDelay = Objects.requireNonNull(firstDelay, "firstDelay");
      return this;
    }

    /**
     * Creates the client.
     *
     * @return the client; close it
     */
    public RegistryClient build() {
      if (credentials == null) {
        credentials = CredentialResolver.forUser();
      }
      return new RegistryClient(this);
    }
  }
}
