package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The path groups documented in {@link PathGroups}. */
class PathGroupsTest {

  @Test
  void directoriesAreCutToThreeLevels() {
    assertEquals("usr/bin", PathGroups.of("usr/bin/bash"));
    assertEquals("usr/lib/x86_64-linux-gnu", PathGroups.of("usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm"));
    assertEquals("usr/lib/modules/6.1.0-13-amd64", PathGroups.of("usr/lib/modules/6.1.0-13-amd64/vmlinuz"));
    assertEquals("usr/lib/firmware", PathGroups.of("usr/lib/firmware/intel/ibt-12-16.sfi"));
    assertEquals("usr/share/locale", PathGroups.of("usr/share/locale/de/LC_MESSAGES/dpkg.mo"));
    assertEquals("var/lib/apt", PathGroups.of("var/lib/apt/lists/x_Packages"));
  }

  @Test
  void shallowPathsAndConfigurationHaveGroupsWithASlash() {
    assertEquals("/", PathGroups.of("README"));
    assertEquals("opt/", PathGroups.of("opt/tool"));
    assertEquals("etc/", PathGroups.of("etc/ssh/sshd_config"));
    assertEquals("usr/etc/", PathGroups.of("usr/etc/passwd"));
  }

  @Test
  void generatedStateIsRecognised() {
    assertTrue(PathGroups.isGenerated("etc/ld.so.cache"));
    assertTrue(PathGroups.isGenerated("usr/etc/passwd"));
    assertTrue(PathGroups.isGenerated("var/log/dpkg.log"));
    assertFalse(PathGroups.isGenerated("usr/bin/bash"));
    assertFalse(PathGroups.isGenerated("etcetera/x"));
  }
}
