package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

  @Test
  void numbersCompareAsNumbers() {
    List<String> v = new ArrayList<>(List.of("10", "9", "2", "1", "1.10", "1.9", "abc", "ab"));
    v.sort(VersionOrder.INSTANCE);
    assertEquals(List.of("1", "1.9", "1.10", "2", "9", "10", "ab", "abc"), v);
    assertEquals(0, VersionOrder.INSTANCE.compare("3", "3"));
  }
}
