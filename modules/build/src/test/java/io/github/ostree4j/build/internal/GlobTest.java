package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cases from Go's path/filepath match_test.go. */
class GlobTest {

  @Test
  void goMatchCases() {
    assertTrue(Glob.match("abc", "abc"));
    assertTrue(Glob.match("*", "abc"));
    assertTrue(Glob.match("*c", "abc"));
    assertFalse(Glob.match("a*", "ab/c"));
    assertTrue(Glob.match("a*b*c*d*e*", "axbxcxdxe"));
    assertTrue(Glob.match("ab[c]", "abc"));
    assertTrue(Glob.match("ab[b-d]", "abc"));
    assertFalse(Glob.match("ab[e-g]", "abc"));
    assertFalse(Glob.match("ab[^c]", "abc"));
    assertTrue(Glob.match("ab[^e-g]", "abc"));
    assertTrue(Glob.match("a\\*b", "a*b"));
    assertFalse(Glob.match("a\\*b", "ab"));
    assertTrue(Glob.match("a?b", "a☺b"));
    assertTrue(Glob.match("[\\-]", "-"));
    assertTrue(Glob.match("[x\\-]", "x"));
    assertFalse(Glob.match("[x\\-]", "z"));
    assertTrue(Glob.match("*.txt", "notes.txt"));
    assertFalse(Glob.match("*.txt", "notes.txt.bak"));
  }

  @Test
  void malformedPatternsFail() {
    assertThrows(IllegalArgumentException.class, () -> Glob.match("[", "a"));
    assertThrows(IllegalArgumentException.class, () -> Glob.match("a\\", "a"));
    assertThrows(IllegalArgumentException.class, () -> Glob.match("[a-", "a"));
  }

  @Test
  void meta() {
    assertTrue(Glob.hasMeta("*.txt"));
    assertTrue(Glob.hasMeta("a[bc]"));
    assertFalse(Glob.hasMeta("dir/file.txt"));
  }
}
