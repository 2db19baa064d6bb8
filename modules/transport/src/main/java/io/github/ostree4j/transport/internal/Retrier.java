package io.github.ostree4j.transport.internal;

import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import io.github.ostree4j.transport.AuthenticationFailedException;
import io.github.ostree4j.transport.CredentialException;
import io.github.ostree4j.transport.DigestMismatchException;
import io.github.ostree4j.transport.InsecureRegistryException;
import io.github.ostree4j.transport.RegistryException;
import io.github.ostree4j.transport.RegistryUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Runs registry calls with a bounded number of attempts and turns every failure into one of this
 * library's exceptions.
 *
 * <p>Transient failures are retried with exponential back-off (honouring a short {@code
 * Retry-After}): refused, reset or dropped connections, timeouts, HTTP 5xx and 429. Nothing else
 * is retried — in particular not 401, 403 or 404. After the last attempt a transient failure
 * becomes a {@link RegistryUnavailableException}.
 */
public final class Retrier {

  /** A registry call. */
  @FunctionalInterface
  public interface Call<T> {
    /**
     * Makes the call once.
     *
     * @return the result
     * @throws IOException on I/O or HTTP failure
     * @throws com.google.cloud.tools.jib.api.RegistryException on failures jib reports
     */
    T call() throws IOException, com.google.cloud.tools.jib.api.RegistryException;
  }

  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  private final String registry;
  private final boolean tlsVerify;
  private final int maxAttempts;
  private final Duration initialDelay;

  /**
   * Creates a retrier for one registry.
   *
   * @param registry {@code HOST[:PORT]} as the user named it
   * @param tlsVerify whether TLS verification is on (TLS failures then mean "use
   *     --tls-verify=false")
   * @param maxAttempts attempts per call, at least 1
   * @param initialDelay the pause before the second attempt; it grows fourfold per attempt
   */
  public Retrier(String registry, boolean tlsVerify, int maxAttempts, Duration initialDelay) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.registry = registry;
    this.tlsVerify = tlsVerify;
    this.maxAttempts = maxAttempts;
    this.initialDelay = initialDelay;
  }

  /**
   * Runs a call.
   *
   * @param <T> the result type
   * @param action what is being done, e.g. {@code "fetching manifest HOST/REPO:TAG"}; starts
   *     every message
   * @param call the call
   * @return the call's result
   * @throws IOException a {@link RegistryException} (or subclass), {@link
   *     DigestMismatchException} or {@link CredentialException} describing the failure
   */
  public <T> T run(String action, Call<T> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Failure f;
      try {
        return call.call();
      } catch (IOException | com.google.cloud.tools.jib.api.RegistryException e) {
        f = classify(action, e);
      } catch (RuntimeException e) {
        IOException direct = findCause(e, DigestMismatchException.class);
        if (direct != null) {
          throw direct;
        }
        throw e;
      }
      if (!f.transientFailure) {
        throw f.exception;
      }
      if (attempt >= maxAttempts) {
        throw new RegistryUnavailableException(action + ": " + f.reason
            + (maxAttempts > 1 ? " (gave up after " + maxAttempts + " attempts)" : ""),
            f.exception);
      }
      sleep(delay(attempt, f.retryAfter), action);
    }
  }

  private Duration delay(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    long ms = initialDelay.toMillis();
    for (int i = 1; i < attempt; i++) {
      ms = Math.min(ms * 4, 10_000);
    }
    return Duration.ofMillis(ms);
  }

  private static void sleep(Duration d, String action) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException(action + ": interrupted");
      ie.initCause(e);
      throw ie;
    }
  }

  private static final class Failure {
    final IOException exception;
    final boolean transientFailure;
    final String reason;
    final Duration retryAfter;

    Failure(IOException exception) {
      this(exception, false, null, null);
    }

    Failure(IOException exception, boolean transientFailure, String reason, Duration retryAfter) {
      this.exception = exception;
      this.transientFailure = transientFailure;
      this.reason = reason;
      this.retryAfter = retryAfter;
    }
  }

  /**
   * Maps a failure to this library's exception and says whether to retry.
   *
   * @param action what was being done
   * @param e the failure
   * @return the classification
   */
  private Failure classify(String action, Exception e) {
    // Our own exceptions, possibly thrown from inside a jib call, pass through unchanged.
    IOException own = findCause(e, DigestMismatchException.class);
    if (own == null) {
      own = findCause(e, RegistryException.class);
    }
    if (own == null) {
      own = findCause(e, CredentialException.class);
    }
    if (own != null) {
      return new Failure(own);
    }
    if (e instanceof ResponseException) {
      return classifyStatus(action, (ResponseException) e);
    }
    if (e instanceof RegistryUnauthorizedException) {
      int code = ((RegistryUnauthorizedException) e).getHttpResponseException().getStatusCode();
      return new Failure(code == 403
          ? new RegistryException(action + ": access denied (HTTP 403)", e)
          : new AuthenticationFailedException(registry, e));
    }
    if (e instanceof RegistryCredentialsNotSentException
        || e instanceof RegistryAuthenticationFailedException) {
      return new Failure(new AuthenticationFailedException(registry, e));
    }
    if (e instanceof com.google.cloud.tools.jib.api.InsecureRegistryException
        || (e instanceof SSLException && tlsVerify)) {
      return new Failure(new InsecureRegistryException(registry, e));
    }
    if (e instanceof com.google.cloud.tools.jib.api.RegistryException) {
      // jib's RegistryErrorException and friends: an HTTP error with a parsed reason.
      ResponseException re = findCause(e, ResponseException.class);
      if (re != null && (re.getStatusCode() >= 500 || re.getStatusCode() == 429)) {
        return classifyStatus(action, re);
      }
      return new Failure(new RegistryException(action + ": " + jibReason(e), e));
    }
    if (e instanceof SSLException) {
      return new Failure(new RegistryException(action + ": TLS failure: " + e.getMessage(), e));
    }
    if (e instanceof UnknownHostException) {
      return new Failure(new RegistryUnavailableException(
          action + ": unknown host " + e.getMessage(), e));
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return new Failure((IOException) e);
    }
    String transientReason = transientReason(e);
    if (transientReason != null) {
      return new Failure(new RegistryException(action + ": " + transientReason, e), true,
          transientReason, null);
    }
    return new Failure(new RegistryException(action + ": " + describe(e), e));
  }

  private Failure classifyStatus(String action, ResponseException e) {
    int code = e.getStatusCode();
    String summary = HttpSupport.errorSummary(e);
    String detail = "HTTP " + code + (summary.isEmpty() ? "" : " (" + summary + ")");
    if (code == 401) {
      return new Failure(new AuthenticationFailedException(registry, e));
    }
    if (code == 403) {
      return new Failure(new RegistryException(action + ": access denied, " + detail, e));
    }
    if (code == 429 || code >= 500) {
      return new Failure(new RegistryException(action + ": " + detail, e), true, detail,
          retryAfter(e));
    }
    return new Failure(new RegistryException(action + ": " + detail, e));
  }

  private static Duration retryAfter(ResponseException e) {
    String v = HttpSupport.header(e, "Retry-After");
    if (v == null) {
      return null;
    }
    try {
      long s = Long.parseLong(v.trim());
      return s >= 0 ? Duration.ofSeconds(s) : null;
    } catch (NumberFormatException ex) {
      return null; // an HTTP date: use the normal back-off
    }
  }

  private static String transientReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName();
      String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SocketTimeoutException) {
        return "timed out";
      }
      if (name.equals("org.apache.http.NoHttpResponseException")) {
        return "no response from the server";
      }
      if (name.equals("org.apache.http.ConnectionClosedException")
          || name.equals("org.apache.http.TruncatedChunkException")) {
        return "connection closed early";
      }
      if (t instanceof SocketException
          && (msg.contains("reset") || msg.contains("broken pipe") || msg.contains("abort"))) {
        return "connection reset";
      }
    }
    return null;
  }

  private static String jibReason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int i = m.indexOf("failed because: ");
    if (i >= 0) {
      m = m.substring(i + "failed because: ".length());
    }
    return m.strip().replaceAll("\\s+", " ");
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().replaceAll("\\s+", " ");
  }

  static <X extends Throwable> X findCause(Throwable e, Class<X> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
