package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** USER values resolved as runc's GetExecUser (and so podman and buildah) resolve them. */
class UserResolverTest {

  @TempDir Path root;

  private Path etc() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), BusyboxRootfs.PASSWD + "# comment\n\nbroken:x:abc:1::/:\n");
    Files.writeString(root.resolve("etc/group"), BusyboxRootfs.GROUP);
    return root;
  }

  private static UserResolver.ResolvedUser user(int uid, int gid, List<Integer> groups, String home) {
    return new UserResolver.ResolvedUser(uid, gid, groups, home);
  }

  @Test
  void namesAndNumbers() throws Exception {
    etc();
    assertEquals(user(1000, 1000, List.of(10, 50), "/home/builder"), UserResolver.resolve(root, "builder"));
    assertEquals(user(1000, 1000, List.of(10, 50), "/home/builder"), UserResolver.resolve(root, "1000"));
    assertEquals(user(0, 0, List.of(), "/root"), UserResolver.resolve(root, "root"));
    assertEquals(user(0, 0, List.of(), "/"), UserResolver.resolve(root, ""));
    assertEquals(user(4242, 0, List.of(), "/"), UserResolver.resolve(root, "4242"));
    assertEquals(user(4242, 4343, List.of(), "/"), UserResolver.resolve(root, "4242:4343"));
  }

  @Test
  void explicitGroupReplacesGroupAndSupplementaryGroups() throws Exception {
    etc();
    assertEquals(user(1000, 50, List.of(), "/home/builder"), UserResolver.resolve(root, "builder:staff"));
    assertEquals(user(1000, 60, List.of(), "/home/builder"), UserResolver.resolve(root, "builder:60"));
    assertEquals(user(65534, 10, List.of(), "/nonexistent"), UserResolver.resolve(root, "nobody:wheel"));
  }

  @Test
  void unknownNamesFailWithPodmansWording() throws Exception {
    etc();
    IOException u = assertThrows(IOException.class, () -> UserResolver.resolve(root, "nosuch"));
    assertEquals("unable to find user nosuch: no matching entries in passwd file", u.getMessage());
    IOException g = assertThrows(IOException.class, () -> UserResolver.resolve(root, "builder:nogrp"));
    assertEquals("unable to find group nogrp: no matching entries in group file", g.getMessage());
  }

  @Test
  void missingFilesAllowNumbersOnly() throws Exception {
    assertEquals(user(7, 8, List.of(), "/"), UserResolver.resolve(root, "7:8"));
    IOException e = assertThrows(IOException.class, () -> UserResolver.resolve(root, "root"));
    assertEquals("unable to find user root: no matching entries in passwd file", e.getMessage());
  }

  @Test
  void symlinksResolveInsideTheRoot() throws Exception {
    Files.createDirectories(root.resolve("inside"));
    Files.writeString(root.resolve("inside/passwd"), "evil:x:7:7::/evil:/bin/sh\n");
    Files.createSymbolicLink(root.resolve("etc"), Path.of("../../../../../inside"));
    assertEquals(user(7, 7, List.of(), "/evil"), UserResolver.resolve(root, "evil"));
    Files.delete(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/inside"));
    assertEquals(user(7, 7, List.of(), "/evil"), UserResolver.resolve(root, "evil"));
    // the host's /etc/passwd (which has root) is never read
    Files.delete(root.resolve("etc"));
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd"));
    assertThrows(IOException.class, () -> UserResolver.resolve(root, "root"));
  }
}
