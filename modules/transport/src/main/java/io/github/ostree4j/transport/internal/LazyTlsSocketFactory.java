package io.github.ostree4j.transport.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.LayeredConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

/**
 * A TLS socket factory that is built on the first HTTPS connection, not when the HTTP client is.
 *
 * <p>Building one sets up the JDK's TLS machinery (and, for verified TLS, reads the system trust
 * store), which a command talking plain HTTP to a local registry never needs and which costs a
 * short-lived JVM a noticeable part of its run time.
 */
final class LazyTlsSocketFactory implements LayeredConnectionSocketFactory {

  private final Supplier<LayeredConnectionSocketFactory> factory;
  private volatile LayeredConnectionSocketFactory delegate;

  LazyTlsSocketFactory(Supplier<LayeredConnectionSocketFactory> factory) {
    this.factory = factory;
  }

  private LayeredConnectionSocketFactory delegate() {
    LayeredConnectionSocketFactory d = delegate;
    if (d == null) {
      synchronized (this) {
        d = delegate;
        if (d == null) {
          d = factory.get();
          delegate = d;
        }
      }
    }
    return d;
  }

  @Override
  public Socket createSocket(HttpContext context) throws IOException {
    return delegate().createSocket(context);
  }

  @Override
  public Socket connectSocket(int connectTimeout, Socket sock, HttpHost host,
      InetSocketAddress remoteAddress, InetSocketAddress localAddress, HttpContext context)
      throws IOException {
    return delegate().connectSocket(connectTimeout, sock, host, remoteAddress, localAddress, context);
  }

  @Override
  public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context)
      throws IOException {
    return delegate().createLayeredSocket(socket, target, port, context);
  }
}
