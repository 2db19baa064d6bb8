package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.DigestingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * ADD of an http or https URL: downloads to a file, streaming, with its sha256 digest and the
 * server's {@code Last-Modified} time (as Docker uses it for the file's modification time).
 */
public final class UrlFetch {

  /**
   * A downloaded file.
   *
   * @param file where it is
   * @param digest its sha256 digest
   * @param lastModifiedMillis the Last-Modified time, or empty
   * @param fileName the name from the URL's path (last segment, decoded), or empty
   */
  public record Download(Path file, Digest digest, Optional<Long> lastModifiedMillis,
      String fileName) {}

  private UrlFetch() {}

  /**
   * Whether a source is a URL ADD downloads.
   *
   * @param source the source as written
   * @return true for http and https URLs
   */
  public static boolean isUrl(String source) {
    return source.startsWith("http://") || source.startsWith("https://");
  }

  /**
   * Downloads a URL.
   *
   * @param url the URL
   * @param dir where the file is created
   * @return the download
   * @throws StepFailedException when the server answers with an error status
   * @throws IOException when the download fails
   */
  public static Download fetch(String url, Path dir) throws StepFailedException, IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException("invalid URL " + url + ": " + e.getMessage());
    }
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpRequest req = HttpRequest.newBuilder(uri).GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("downloading " + url);
    }
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "add-", ".download");
    try (InputStream in = resp.body()) {
      if (resp.statusCode() / 100 != 2) {
        throw new StepFailedException("downloading " + url + ": HTTP status " + resp.statusCode());
      }
      DigestingOutputStream d;
      try (OutputStream out = Files.newOutputStream(file);
          DigestingOutputStream dd = new DigestingOutputStream(out)) {
        d = dd;
        in.transferTo(dd);
      }
      Optional<Long> lm = resp.headers().firstValue("Last-Modified").flatMap(UrlFetch::parseDate);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      name = URLDecoder.decode(name, StandardCharsets.UTF_8);
      return new Download(file, d.digest(), lm, name);
    } catch (StepFailedException | IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private static Optional<Long> parseDate(String s) {
    try {
      return Optional.of(ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
