package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {

  private final HttpClient client = HttpClient.newHttpClient();

  private int get(String url, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void servesTheApiLogsRequestsAndSurvivesRestart() throws Exception {
    Path storage;
    try (LocalRegistry reg = LocalRegistry.start()) {
      assertTrue(reg.host().startsWith("127.0.0.1:"));
      assertEquals(200, get("http://" + reg.host() + "/v2/", null));
      assertEquals(404, get("http://" + reg.host() + "/v2/no/such/manifests/latest", null));
      assertTrue(reg.awaitLogLine(l -> l.contains("\"GET /v2/no/such/manifests/latest HTTP/1.1\" 404"),
          Duration.ofSeconds(10)), () -> String.join("\n", reg.logLines()));
      assertTrue(reg.logLines().size() > 1);

      reg.stop();
      assertFalse(reg.isRunning());
      assertThrows(IOException.class, () -> get("http://" + reg.host() + "/v2/", null));

      reg.restart();
      assertTrue(reg.isRunning());
      assertEquals(200, get("http://" + reg.host() + "/v2/", null));
      storage = reg.storage();
      assertTrue(Files.isDirectory(storage));
    }
    assertFalse(Files.exists(storage), "storage is deleted on close");
  }

  @Test
  void htpasswdAuthentication() throws Exception {
    try (LocalRegistry reg = LocalRegistry.startWithAuth("alice", "s3cret")) {
      String url = "http://" + reg.host() + "/v2/";
      assertEquals(401, get(url, null));
      assertEquals(401, get(url, basic("alice", "wrong")));
      assertEquals(200, get(url, basic("alice", "s3cret")));
      assertEquals("alice", reg.user());
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
