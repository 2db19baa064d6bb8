package io.github.ostree4j.build.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Containers and overlay mounts that outlive a JVM unless removed: when the JVM exits normally or
 * on a signal (Ctrl-C) while a step runs, a shutdown hook deletes the containers still registered
 * and unmounts the overlays still mounted (lazily, so that a busy mount cannot hang the exit).
 */
final class LiveResources {

  /** A container started with {@code runc --root STATE run ... ID}. */
  record Container(Path runc, Path stateRoot, String id) {}

  private static final Map<String, Container> CONTAINERS = new LinkedHashMap<>();
  private static final Set<Path> MOUNTS = new LinkedHashSet<>();
  private static boolean hooked;

  private LiveResources() {}

  static synchronized void started(Container c) {
    hook();
    CONTAINERS.put(c.id(), c);
  }

  static synchronized void removed(Container c) {
    CONTAINERS.remove(c.id());
  }

  static synchronized void mounted(Path merged) {
    hook();
    MOUNTS.add(merged);
  }

  static synchronized void unmounted(Path merged) {
    MOUNTS.remove(merged);
  }

  private static void hook() {
    if (!hooked) {
      hooked = true;
      Runtime.getRuntime().addShutdownHook(new Thread(LiveResources::cleanUp, "ostree4j-step-cleanup"));
    }
  }

  private static void cleanUp() {
    List<Container> containers;
    List<Path> mounts;
    synchronized (LiveResources.class) {
      containers = new ArrayList<>(CONTAINERS.values());
      mounts = new ArrayList<>(MOUNTS);
    }
    for (Container c : containers) {
      try {
        HostCommand.run(List.of(c.runc().toString(), "--root", c.stateRoot().toString(), "delete", "--force",
            c.id()), null);
      } catch (Exception e) {
        // best effort at exit
      }
    }
    for (int i = mounts.size() - 1; i >= 0; i--) {
      try {
        HostCommand.run(List.of("umount", "-l", mounts.get(i).toString()), null);
      } catch (Exception e) {
        // best effort at exit
      }
    }
  }
}
