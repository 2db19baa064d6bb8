package io.github.ostree4j.transport.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.LocalRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The plain-HTTP probe against the real docker-registry and against endpoints that are not one. */
class PlainHttpProbeIT {

  @Test
  void realRegistryWithoutAuthIsPlainHttp() {
    try (LocalRegistry r = LocalRegistry.start()) {
      assertTrue(PlainHttpProbe.speaksPlainHttp("127.0.0.1", r.port(), 2000));
    }
  }

  @Test
  void realRegistryWithAuthIsPlainHttp() {
    try (LocalRegistry r = LocalRegistry.startWithAuth("u", "p")) {
      assertTrue(PlainHttpProbe.speaksPlainHttp("127.0.0.1", r.port(), 2000));
    }
  }

  @Test
  void closedPortIsNot() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertFalse(PlainHttpProbe.speaksPlainHttp("127.0.0.1", port, 1000));
  }

  /** What an HTTPS server written in Go answers to plain HTTP. */
  @Test
  void badRequestAnswerIsNot() throws Exception {
    assertFalse(probeAgainst("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"));
  }

  /** A TLS alert record (what many TLS servers send for a non-TLS first record). */
  @Test
  void tlsAlertIsNot() throws Exception {
    assertFalse(probeAgainst(new String(new byte[] {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x32},
        StandardCharsets.ISO_8859_1)));
  }

  @Test
  void silentServerTimesOut() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long t0 = System.nanoTime();
      assertFalse(PlainHttpProbe.speaksPlainHttp("127.0.0.1", s.getLocalPort(), 300));
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the probe must give up");
    }
  }

  private static boolean probeAgainst(String answer) throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket c = s.accept()) {
          c.getInputStream().read(new byte[512]);
          OutputStream out = c.getOutputStream();
          out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException e) {
          // the probe's verdict is what is tested
        }
      });
      t.start();
      boolean result = PlainHttpProbe.speaksPlainHttp("127.0.0.1", s.getLocalPort(), 2000);
      t.join(5000);
      return result;
    }
  }
}
