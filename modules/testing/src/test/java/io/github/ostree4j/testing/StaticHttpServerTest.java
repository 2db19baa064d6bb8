package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticHttpServerTest {

  @TempDir Path tmp;
  Path root;
  byte[] big;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(root.resolve("config"), "[core]\nrepo_version=1\nmode=archive-z2\n");
    Files.createDirectories(root.resolve("objects/ab"));
    big = new byte[3 * 1024 * 1024 + 5];
    new Random(7).nextBytes(big);
    Files.write(root.resolve("objects/ab/cdef.filez"), big);
    Files.write(root.resolve("empty"), new byte[0]);
    Files.writeString(tmp.resolve("secret"), "outside the root\n");
    Files.createSymbolicLink(root.resolve("escape-link"), Path.of("../secret"));
  }

  @Test
  void getServesFiles() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      HttpResponse<String> config = get(http.uri().resolve("config"));
      assertEquals(200, config.statusCode());
      assertEquals("[core]\nrepo_version=1\nmode=archive-z2\n", config.body());

      HttpResponse<byte[]> obj =
          client.send(
              HttpRequest.newBuilder(http.uri().resolve("objects/ab/cdef.filez")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, obj.statusCode());
      assertArrayEquals(big, obj.body());

      HttpResponse<String> empty = get(http.uri().resolve("empty"));
      assertEquals(200, empty.statusCode());
      assertEquals("", empty.body());

      assertTrue(http.url().startsWith("http://127.0.0.1:"), http.url());
      List<StaticHttpServer.Request> log = http.requests();
      assertEquals(3, log.size());
      assertEquals(new StaticHttpServer.Request("GET", "/config", 200, config.body().length()), log.get(0));
      assertEquals(
          new StaticHttpServer.Request("GET", "/objects/ab/cdef.filez", 200, big.length),
          log.get(1));
    }
  }

  @Test
  void missingFilesAndDirectoriesAre404() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      assertEquals(404, get(http.uri().resolve("refs/heads/main")).statusCode());
      assertEquals(404, get(http.uri().resolve("objects/")).statusCode());
      assertEquals(404, get(http.uri().resolve("objects")).statusCode());
      assertEquals(404, get(http.uri()).statusCode());
      assertTrue(http.requests().stream().allMatch(r -> r.status() == 404));
    }
  }

  @Test
  void headSendsLengthWithoutBody() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      String response = raw(http, "HEAD /objects/ab/cdef.filez HTTP/1.1");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(
          response.toLowerCase().contains("content-length: " + big.length), response);
      assertTrue(response.endsWith("\r\n\r\n"), "no body expected: " + response);
      HttpResponse<String> missing =
          client.send(
              HttpRequest.newBuilder(http.uri().resolve("nope"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
      assertEquals(
          List.of(
              new StaticHttpServer.Request("HEAD", "/objects/ab/cdef.filez", 200, 0),
              new StaticHttpServer.Request("HEAD", "/nope", 404, 0)),
          http.requests());
    }
  }

  @Test
  void dotDotEscapesAreRefused() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      assertTrue(raw(http, "GET /../secret HTTP/1.1").startsWith("HTTP/1.1 403"));
      assertTrue(raw(http, "GET /objects/../../secret HTTP/1.1").startsWith("HTTP/1.1 403"));
      assertTrue(raw(http, "GET /%2e%2e/secret HTTP/1.1").startsWith("HTTP/1.1 403"));
      assertTrue(raw(http, "GET /objects/%2E%2E/config HTTP/1.1").startsWith("HTTP/1.1 403"));
      // A symlink pointing out of the root is not followed out of it either.
      assertEquals(403, get(http.uri().resolve("escape-link")).statusCode());
      assertTrue(http.requests().stream().noneMatch(r -> r.status() == 200));
    }
  }

  @Test
  void otherMethodsAreRejected() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(http.uri().resolve("config"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, r.statusCode());
    }
  }

  @Test
  void clearRequests() throws Exception {
    try (StaticHttpServer http = StaticHttpServer.serve(root)) {
      get(http.uri().resolve("config"));
      http.clearRequests();
      assertEquals(List.of(), http.requests());
    }
  }

  @Test
  void realOstreeCanPullFromIt() {
    Peers.require("ostree");
    Path tree = TreeCorpus.write(tmp.resolve("tree"), "hardlinks");
    Path served = tmp.resolve("served");
    OstreeCli.init(served, "archive");
    String commit = OstreeCli.commit(served, List.of("--branch=test"), tree);
    Path local = tmp.resolve("local");
    OstreeCli.init(local, "bare-user");
    try (StaticHttpServer http = StaticHttpServer.serve(served)) {
      OstreeCli.run(
          "--repo=" + local, "remote", "add", "--no-gpg-verify", "origin", http.url());
      OstreeCli.run("--repo=" + local, "pull", "origin", "test");
      assertEquals(
          commit, OstreeCli.run("--repo=" + local, "rev-parse", "origin:test").stdout().trim());
      // ostree 2022.7 does not request /config; it starts with summary.sig, summary, the ref.
      List<StaticHttpServer.Request> log = http.requests();
      assertTrue(
          log.stream().anyMatch(r -> r.path().equals("/refs/heads/test") && r.status() == 200),
          log.toString());
      assertTrue(
          log.stream().anyMatch(r -> r.path().endsWith(".filez") && r.status() == 200),
          log.toString());
    }
    OstreeCli.run("--repo=" + local, "fsck");
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request line as-is (HTTP clients normalise away {@code ..}). */
  private static String raw(StaticHttpServer http, String requestLine) throws IOException {
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
