package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node id a FleetLock server knows a node by: systemd's application-specific machine id
 * ({@code sd_id128_get_machine_app_specific}, {@code systemd-id128 machine-id --app-specific=APP}),
 * HMAC-SHA256 keyed with the 16 bytes of {@code /etc/machine-id} over the 16 bytes of an
 * application id, cut to 16 bytes and marked as a version 4 UUID; written as 32 lowercase hex
 * digits. Zincati uses the application id {@value #ZINCATI_APP_ID}; so does the ostree4j agent, so
 * that a node keeps its identity when it moves from Zincati to ostree4j.
 */
public final class NodeIdentity {

  /** Zincati's application id. */
  public static final String ZINCATI_APP_ID = "de35106b6ec24688b63afddaa156679b";

  private static final Pattern ID128 = Pattern.compile("[0-9a-f]{32}");

  private NodeIdentity() {}

  /**
   * Reads a machine id file ({@code /etc/machine-id}: 32 hex digits and a newline).
   *
   * @param file the file
   * @return the id, lowercase
   * @throws IOException when it cannot be read or does not hold an id
   */
  public static String readMachineId(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip().toLowerCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      throw new IOException("reading the machine id " + file + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    if (!isId128(text)) {
      throw new IOException("reading the machine id " + file + ": not 32 hex digits");
    }
    return text;
  }

  /**
   * Whether {@code s} is a 128-bit id in lowercase hex, as node ids are written.
   *
   * @param s the text
   * @return whether it is one
   */
  public static boolean isId128(String s) {
    return s != null && ID128.matcher(s).matches();
  }

  /**
   * The application-specific id of a machine.
   *
   * @param machineId the machine id, 32 hex digits
   * @param appId the application id, 32 hex digits
   * @return the id, 32 lowercase hex digits
   */
  public static String appSpecific(String machineId, String appId) {
    HexFormat hex = HexFormat.of();
    byte[] key = hex.parseHex(machineId.toLowerCase(java.util.Locale.ROOT));
    byte[] app = hex.parseHex(appId.toLowerCase(java.util.Locale.ROOT));
    if (key.length != 16 || app.length != 16) {
      throw new IllegalArgumentException("ids are 16 bytes: " + machineId + ", " + appId);
    }
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac = hmac.doFinal(app);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    byte[] id = java.util.Arrays.copyOf(mac, 16);
    id[6] = (byte) ((id[6] & 0x0F) | 0x40);
    id[8] = (byte) ((id[8] & 0x3F) | 0x80);
    return hex.formatHex(id);
  }
}
