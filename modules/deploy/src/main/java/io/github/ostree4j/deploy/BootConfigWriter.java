package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.BootEntry;
import io.github.ostree4j.deploy.internal.FileOps;
import io.github.ostree4j.deploy.internal.KernelLayout;
import io.github.ostree4j.deploy.internal.OsRelease;
import io.github.ostree4j.deploy.internal.RootedPaths;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes the boot configuration for a list of deployments and makes it current with one atomic
 * rename, as libostree does for a "bootconfig swap":
 *
 * <ol>
 *   <li>leftovers of an interrupted attempt for the other boot version N' are removed;
 *   <li>kernel, initramfs (and devicetree) of each deployment go to {@code
 *       boot/ostree/STATEROOT-BOOTCSUM/} (hard links, else copies renamed into place);
 *   <li>one entry per deployment goes to {@code boot/loader.N'/entries/};
 *   <li>the links {@code ostree/boot.N'.1/STATEROOT/BOOTCSUM/BOOTSERIAL} and {@code ostree/boot.N'
 *       -> boot.N'.1} are made;
 *   <li>the GC anchor refs {@code ostree/N'/1/INDEX} are written (the old ones stay until the
 *       switch is done, so every deployment stays protected from a prune throughout);
 *   <li>{@code boot/loader.tmp -> loader.N'} is made, the filesystems are synced, and it is renamed
 *       over {@code boot/loader}; the boot directory is synced.
 * </ol>
 *
 * <p>Until the rename nothing the current configuration uses is touched, so a crash leaves the
 * previous state bootable; {@link SysrootCleaner} removes what is left over, before the next
 * write and after each switch.
 */
final class BootConfigWriter {

  /** A deployment of the list to write. */
  record Planned(String stateroot, Checksum commit, int deploySerial, KernelLayout kernel,
      List<String> kernelArgs) {

    String dirName() {
      return commit.hex() + "." + deploySerial;
    }
  }

  private final Sysroot sysroot;
  private final Consumer<String> messages;

  BootConfigWriter(Sysroot sysroot, Consumer<String> messages) {
    this.sysroot = sysroot;
    this.messages = messages;
  }

  /**
   * Writes and switches to the list; returns the sysroot as it is afterwards, cleaned.
   *
   * @param list the deployments in boot order, the default first
   * @return the new snapshot
   * @throws IOException when writing fails (the previous configuration stays current)
   */
  Sysroot write(List<Planned> list) throws IOException {
    Path dir = sysroot.path();
    Path boot = dir.resolve("boot");
    Path ostree = dir.resolve("ostree");
    int nb = sysroot.bootVersion() == 0 ? 1 : 0;
    OstreeRepo repo = sysroot.repo();

    FileOps.deleteTree(boot.resolve("loader." + nb));
    FileOps.deleteTree(boot.resolve("loader.tmp"));
    for (String s : List.of("boot." + nb, "boot." + nb + ".tmp", "boot." + nb + ".0", "boot." + nb + ".1")) {
      FileOps.deleteTree(ostree.resolve(s));
    }

    int[] bootSerials = bootSerials(list);
    boolean showOsname = list.stream().map(Planned::stateroot).distinct().count() > 1;
    Path entries = Files.createDirectories(boot.resolve("loader." + nb + "/entries"));
    int n = list.size();
    for (int i = 0; i < n; i++) {
      Planned p = list.get(i);
      Path deployDir = deploymentDir(p);
      String bootDirName = p.stateroot() + "-" + p.kernel().bootcsum();
      installKernel(p.kernel(), Files.createDirectories(boot.resolve("ostree").resolve(bootDirName)));
      BootEntry e = new BootEntry();
      e.set("title", title(deployDir, p, i, showOsname));
      e.set("version", Integer.toString(n - i));
      List<String> args = BootEntry.replaceArg(p.kernelArgs(), "ostree=/ostree/boot." + nb + "/"
          + p.stateroot() + "/" + p.kernel().bootcsum() + "/" + bootSerials[i]);
      e.set("options", String.join(" ", args));
      e.set("linux", "/ostree/" + bootDirName + "/" + p.kernel().kernelName());
      if (p.kernel().initramfs() != null) {
        e.set("initrd", "/ostree/" + bootDirName + "/" + p.kernel().initramfsName());
      }
      if (p.kernel().devicetree()) {
        e.set("devicetree", "/ostree/" + bootDirName + "/" + p.kernel().devicetreeName());
      }
      Files.writeString(entries.resolve("ostree-" + (n - i) + "-" + p.stateroot() + ".conf"),
          e.toText(), StandardCharsets.UTF_8);
    }

    Path sub = ostree.resolve("boot." + nb + ".1");
    for (int i = 0; i < n; i++) {
      Planned p = list.get(i);
      Path parent = Files.createDirectories(sub.resolve(p.stateroot()).resolve(p.kernel().bootcsum()));
      FileOps.replaceSymlink(parent.resolve(Integer.toString(bootSerials[i])),
          "../../../deploy/" + p.stateroot() + "/deploy/" + p.dirName());
    }
    FileOps.replaceSymlink(ostree.resolve("boot." + nb), "boot." + nb + ".1");

    for (int i = 0; i < n; i++) {
      repo.refs().set("ostree/" + nb + "/1/" + i, list.get(i).commit());
    }

    if (!Files.exists(boot.resolve("boot"), LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(boot.resolve("boot"), Path.of("."));
    }
    Path tmpLink = boot.resolve("loader.tmp");
    Files.createSymbolicLink(tmpLink, Path.of("loader." + nb));
    FileOps.syncFilesystems(dir, boot);
    Files.move(tmpLink, boot.resolve("loader"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    FileOps.fsync(boot);
    messages.accept("Bootloader updated; bootconfig swap: yes; bootversion: boot." + nb
        + ".1, deployment count change: " + (n - sysroot.deployments().size()));

    Sysroot after = sysroot.reload();
    SysrootCleaner.clean(after);
    return after;
  }

  private Path deploymentDir(Planned p) {
    return sysroot.path().resolve("ostree/deploy").resolve(p.stateroot()).resolve("deploy")
        .resolve(p.dirName());
  }

  /** Boot serials: the position among the deployments sharing a boot checksum. */
  private static int[] bootSerials(List<Planned> list) {
    Map<String, Integer> seen = new HashMap<>();
    int[] out = new int[list.size()];
    for (int i = 0; i < list.size(); i++) {
      String csum = list.get(i).kernel().bootcsum();
      int c = seen.getOrDefault(csum, 0);
      out[i] = c;
      seen.put(csum, c + 1);
    }
    return out;
  }

  /** Hard links (else copies) the kernel files into the boot checksum directory, if missing. */
  private static void installKernel(KernelLayout k, Path bootDir) throws IOException {
    for (KernelLayout.BootFile f : k.files()) {
      Path dest = bootDir.resolve(f.name());
      if (Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.deleteIfExists(dest);
      try {
        Files.createLink(dest, f.source());
        continue;
      } catch (FileSystemException | UnsupportedOperationException e) {
        // another filesystem (or too many links): copy
      }
      Path tmp = bootDir.resolve("." + f.name() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.copy(f.source(), tmp, LinkOption.NOFOLLOW_LINKS);
      FileOps.copyMetadata(f.source(), tmp);
      FileOps.fsync(tmp);
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** {@code PRETTY_NAME [VERSION] (ostree[:STATEROOT]:INDEX)}, as libostree titles entries. */
  private String title(Path deployDir, Planned p, int index, boolean showOsname) throws IOException {
    Optional<Path> f = RootedPaths.resolve(deployDir, "usr/lib/os-release");
    if (f.isEmpty() || !Files.isRegularFile(f.get())) {
      f = RootedPaths.resolve(deployDir, "etc/os-release");
    }
    if (f.isEmpty() || !Files.isRegularFile(f.get())) {
      throw new DeployException("writing the boot entry of " + p.dirName()
          + ": the tree has no /usr/lib/os-release or /etc/os-release");
    }
    OsRelease os = OsRelease.parse(Files.readString(f.get(), StandardCharsets.UTF_8));
    String name = os.get("PRETTY_NAME").or(() -> os.get("ID")).orElseThrow(() ->
        new DeployException("writing the boot entry of " + p.dirName()
            + ": no PRETTY_NAME or ID in os-release"));
    StringBuilder t = new StringBuilder(name);
    Optional<String> version = commitVersion(p.commit());
    if (version.isPresent() && !version.get().isEmpty() && !name.contains(version.get())) {
      t.append(' ').append(version.get());
    }
    t.append(" (ostree");
    if (showOsname) {
      t.append(':').append(p.stateroot());
    }
    t.append(':').append(index).append(')');
    return t.toString().replace('\n', ' ');
  }

  private Optional<String> commitVersion(Checksum c) throws IOException {
    OstreeRepo repo = sysroot.repo();
    if (!repo.hasObject(c, ObjectType.COMMIT)) {
      return Optional.empty();
    }
    return repo.readCommit(c).version();
  }

  /** The planned form of an existing deployment, for rewriting its entry. */
  static Planned existing(Sysroot s, Deployment d) throws IOException {
    Path dir = s.deploymentPath(d);
    KernelLayout k = KernelLayout.find(dir, d.bootcsum()).orElseThrow(() -> new DeployException(
        "reading deployment " + d.dirName() + ": no kernel in usr/lib/modules"));
    return new Planned(d.stateroot(), d.commit(), d.deploySerial(), k, d.kernelArgs());
  }

  static List<Planned> existing(Sysroot s, List<Deployment> ds) throws IOException {
    List<Planned> out = new ArrayList<>();
    for (Deployment d : ds) {
      out.add(existing(s, d));
    }
    return out;
  }
}
