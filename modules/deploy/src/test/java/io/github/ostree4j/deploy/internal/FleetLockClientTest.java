package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.ostree4j.testing.FleetLockStub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The FleetLock protocol on the wire, against an in-test HTTP server. */
class FleetLockClientTest {

  private static final Duration T = Duration.ofSeconds(10);

  @Test
  void preRebootAndSteadyStateCarryTheProtocolHeaderAndBody() throws IOException {
    try (FleetLockStub stub = FleetLockStub.start()) {
      FleetLockClient c = new FleetLockClient(stub.baseUrl() + "fleet", "e0f3745b108f471cbd4883c6fbed8cdd",
          "workers", T);
      FleetLockClient.Answer denied = c.preReboot();
      assertFalse(denied.ok());
      assertEquals(409, denied.status());
      assertEquals(FleetLockStub.DENIED_KIND, denied.kind());
      assertEquals("all reboot slots are taken", denied.value());
      stub.grant(true);
      assertTrue(c.preReboot().ok());
      assertTrue(c.steadyState().ok());

      assertEquals(3, stub.requests().size());
      for (FleetLockStub.Request r : stub.requests()) {
        assertEquals("POST", r.method());
        assertEquals("true", r.header("fleet-lock-protocol"));
        assertEquals("{\"client_params\":{\"id\":\"e0f3745b108f471cbd4883c6fbed8cdd\",\"group\":\"workers\"}}",
            r.body());
      }
      assertEquals("/fleet/v1/pre-reboot", stub.requests().get(0).path(),
          "a base URL without a trailing slash is a directory");
      assertEquals("/fleet/v1/pre-reboot", stub.requests().get(1).path());
      assertEquals("/fleet/v1/steady-state", stub.requests().get(2).path());
      assertEquals(URI.create(stub.baseUrl() + "fleet/v1/steady-state"), c.steadyState().endpoint());
    }
  }

  @Test
  void refusalsWithoutTheErrorDocumentGetAGenericKind() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext("/", ex -> {
      byte[] b = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(502, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    s.start();
    try {
      FleetLockClient c = new FleetLockClient("http://127.0.0.1:" + s.getAddress().getPort() + "/",
          "id", "default", T);
      FleetLockClient.Answer a = c.preReboot();
      assertEquals(502, a.status());
      assertEquals("generic_http_502", a.kind());
      assertEquals("(unknown server error)", a.value());
    } finally {
      s.stop(0);
    }
  }

  @Test
  void anUnreachableServerIsAnIoErrorNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    FleetLockClient c = new FleetLockClient("http://127.0.0.1:" + port + "/", "id", "default", T);
    IOException e = assertThrows(IOException.class, c::preReboot);
    assertEquals("POST http://127.0.0.1:" + port + "/v1/pre-reboot: connection refused", e.getMessage());
  }

  @Test
  void baseUrls() {
    assertEquals(URI.create("http://h:8080/"), FleetLockClient.directory("http://h:8080"));
    assertEquals(URI.create("https://h/a/b/"), FleetLockClient.directory("https://h/a/b"));
    assertEquals(URI.create("https://h/a/b/"), FleetLockClient.directory("HTTPS://h/a/b/"));
    assertThrows(IllegalArgumentException.class, () -> FleetLockClient.directory("file:///x/"));
    assertThrows(IllegalArgumentException.class, () -> FleetLockClient.directory("http://h/?x=1"));
    assertThrows(IllegalArgumentException.class, () -> FleetLockClient.directory("not a url"));
    assertThrows(IllegalArgumentException.class, () -> FleetLockClient.directory("/relative/"));
  }
}
