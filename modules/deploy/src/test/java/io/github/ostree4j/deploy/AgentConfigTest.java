package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drop-in layout and precedence, key merging, and the errors of bad drop-ins. */
class AgentConfigTest {

  @TempDir Path tmp;
  private Path usr;
  private Path etc;
  private Path run;

  @BeforeEach
  void dirs() throws IOException {
    usr = Files.createDirectories(tmp.resolve("usr/lib/ostree4j/config.d"));
    etc = Files.createDirectories(tmp.resolve("etc/ostree4j/config.d"));
    run = tmp.resolve("run/ostree4j/config.d"); // missing: skipped
  }

  private AgentConfig load() throws IOException {
    return AgentConfig.load(List.of(usr, etc, run), tmp.resolve("no-localtime"));
  }

  private static Path write(Path dir, String name, String toml) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), toml);
  }

  private AgentConfigException failure(String name, String toml) throws IOException {
    Path f = write(etc, name, toml);
    AgentConfigException e = assertThrows(AgentConfigException.class, this::load);
    assertEquals(Optional.of(f), e.file(), e::getMessage);
    return e;
  }

  @Test
  void defaultsWithoutDropIns() throws IOException {
    AgentConfig c = load();
    assertTrue(c.enabled());
    assertEquals(UpdateStrategy.IMMEDIATE, c.strategy());
    assertFalse(c.allowDowngrade());
    assertEquals("default", c.group());
    assertEquals(Optional.empty(), c.nodeUuid());
    assertEquals(Duration.ofSeconds(300), c.pollInterval());
    assertEquals(List.of("systemctl", "reboot"), c.rebootCommand());
    assertEquals(List.of(), c.sources());
    assertEquals(ZoneId.of("UTC"), c.windows().zone());
    assertEquals(Optional.empty(), c.source("updates.strategy"));
  }

  @Test
  void laterFilesWinKeyByKeyInNameOrderAcrossDirectories() throws IOException {
    Path a = write(usr, "10-base.toml", "[updates]\nstrategy = \"periodic\"\nenabled = true\n"
        + "[[updates.periodic.window]]\ndays = [\"Sat\"]\nstart_time = \"22:00\"\nlength_minutes = 60\n"
        + "[identity]\ngroup = \"workers\"\n");
    Path b = write(etc, "50-site.toml", "[updates]\nenabled = false\n");
    Path c = write(usr, "90-late.toml", "[identity]\ngroup = \"canary\"\n");
    AgentConfig cfg = load();
    assertEquals(List.of(a, b, c), cfg.sources(), "sorted by file name, not by directory");
    assertEquals(UpdateStrategy.PERIODIC, cfg.strategy());
    assertFalse(cfg.enabled());
    assertEquals("canary", cfg.group());
    assertEquals(Optional.of(b), cfg.source("updates.enabled"));
    assertEquals(Optional.of(a), cfg.source("updates.strategy"));
    assertEquals(Optional.of(c), cfg.source("identity.group"));
  }

  @Test
  void sameNameInALaterDirectoryReplacesTheWholeFile() throws IOException {
    write(usr, "50-x.toml", "[updates]\nenabled = false\n[identity]\ngroup = \"from-usr\"\n");
    Path replacement = write(etc, "50-x.toml", "[identity]\nrollout_wariness = 0.25\n");
    Path fromRun = write(run, "50-x.toml", "[identity]\nrollout_wariness = 0.75\n");
    AgentConfig cfg = load();
    assertEquals(List.of(fromRun), cfg.sources());
    assertTrue(cfg.enabled(), "the /usr/lib file is replaced, not merged");
    assertEquals("default", cfg.group());
    assertEquals(Optional.of(0.75), cfg.rolloutWariness());
    Files.delete(fromRun);
    assertEquals(List.of(replacement), load().sources());
  }

  @Test
  void aSymlinkToDevNullMasksTheFile() throws IOException {
    write(usr, "40-disable.toml", "[updates]\nenabled = false\n");
    Files.createSymbolicLink(etc.resolve("40-disable.toml"), Path.of("/dev/null"));
    AgentConfig cfg = load();
    assertTrue(cfg.enabled());
    assertEquals(List.of(), cfg.sources());
  }

  @Test
  void onlyVisibleTomlFilesCount() throws IOException {
    write(etc, "10-a.conf", "not toml at all [[[");
    write(etc, ".20-hidden.toml", "[updates]\nenabled = false\n");
    Files.createDirectories(etc.resolve("30-dir.toml"));
    write(etc, "README", "x");
    AgentConfig cfg = load();
    assertTrue(cfg.enabled());
    assertEquals(List.of(), cfg.sources());
  }

  @Test
  void windowsAddUpAcrossFilesAndTheLastTimeZoneWins() throws IOException {
    write(etc, "10-a.toml", "[updates]\nstrategy = \"periodic\"\n[updates.periodic]\ntime_zone = \"UTC\"\n"
        + "[[updates.periodic.window]]\ndays = [\"Sat\", \"sunday\"]\nstart_time = \"22:30\"\nlength_minutes = 60\n");
    write(etc, "20-b.toml", "[updates.periodic]\ntime_zone = \"Europe/Berlin\"\n"
        + "[[updates.periodic.window]]\ndays = [\"WED\"]\nstart_time = \"3:05\"\nlength_minutes = 30\n"
        + "[[updates.periodic.window]]\ndays = [\"Mon\"]\nstart_time = \"00:00\"\nlength_minutes = 10080\n");
    AgentConfig cfg = load();
    assertEquals(List.of(
        new MaintenanceWindows.Window(DayOfWeek.SATURDAY, LocalTime.of(22, 30), 60),
        new MaintenanceWindows.Window(DayOfWeek.SUNDAY, LocalTime.of(22, 30), 60),
        new MaintenanceWindows.Window(DayOfWeek.WEDNESDAY, LocalTime.of(3, 5), 30),
        new MaintenanceWindows.Window(DayOfWeek.MONDAY, LocalTime.of(0, 0), 10080)),
        cfg.windows().windows());
    assertEquals(ZoneId.of("Europe/Berlin"), cfg.windows().zone());
    assertEquals("Europe/Berlin", cfg.timeZone());
  }

  @Test
  void localtimeFollowsTheLinkOrIsUtc() throws IOException {
    write(etc, "10.toml", "[updates.periodic]\ntime_zone = \"localtime\"\n");
    Path link = tmp.resolve("localtime");
    assertEquals(ZoneId.of("UTC"), AgentConfig.load(List.of(etc), link).windows().zone(), "no link");
    Files.createSymbolicLink(link, Path.of("../usr/share/zoneinfo/America/Toronto"));
    assertEquals(ZoneId.of("America/Toronto"), AgentConfig.load(List.of(etc), link).windows().zone());
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("/usr/share/zoneinfo/Nowhere/Atlantis"));
    AgentConfigException e = assertThrows(AgentConfigException.class,
        () -> AgentConfig.load(List.of(etc), link));
    assertEquals(Optional.of("updates.periodic.time_zone"), e.key());
  }

  @Test
  void pollIntervalWinsOverZincatisSteadyInterval() throws IOException {
    write(etc, "10.toml", "[agent]\npoll_interval_seconds = 7\n");
    write(etc, "20.toml", "[agent.timing]\nsteady_interval_secs = 60\n");
    assertEquals(Duration.ofSeconds(7), load().pollInterval());
    Files.delete(etc.resolve("10.toml"));
    assertEquals(Duration.ofSeconds(60), load().pollInterval());
  }

  @Test
  void fleetLockIdentityAndRebootCommand() throws IOException {
    write(etc, "10.toml", "[updates]\nstrategy = \"fleet_lock\"\nallow_downgrade = true\n"
        + "[updates.fleet_lock]\nbase_url = \"http://127.0.0.1:8080/${group}/${basearch}\"\n"
        + "[identity]\ngroup = \"db-1.eu\"\nnode_uuid = \"E0F3745B-108F-471C-BD48-83C6FBED8CDD\"\n"
        + "[agent]\nreboot_command = [\"/usr/local/bin/reboot-hook\", \"--now\"]\n");
    AgentConfig cfg = load();
    assertEquals(UpdateStrategy.FLEET_LOCK, cfg.strategy());
    assertTrue(cfg.allowDowngrade());
    assertEquals(Optional.of("http://127.0.0.1:8080/${group}/${basearch}"), cfg.fleetLockBaseUrl());
    assertEquals("db-1.eu", cfg.group());
    assertEquals(Optional.of("e0f3745b108f471cbd4883c6fbed8cdd"), cfg.nodeUuid());
    assertEquals(List.of("/usr/local/bin/reboot-hook", "--now"), cfg.rebootCommand());
  }

  @Test
  void unknownKeysAndCincinnatiAreWarningsOnly() throws IOException {
    Path f = write(etc, "10.toml", "[updates]\nenabeld = false\n[cincinnati]\nbase_url = \"http://x/\"\n"
        + "[whatever]\na = 1\n");
    AgentConfig cfg = load();
    assertTrue(cfg.enabled());
    assertEquals(List.of(f + ": unknown key updates.enabeld is ignored",
        f + ": [cincinnati] is ignored: the agent follows the image reference of the deployment",
        f + ": unknown key whatever is ignored"), cfg.warnings());
  }

  @Test
  void malformedTomlNamesFileLineAndColumn() throws IOException {
    AgentConfigException e = failure("10-broken.toml", "[updates]\nenabled = tru\n");
    assertEquals(Optional.empty(), e.key());
    assertEquals("not valid TOML: line 2, column 11: Unknown token", e.reason());
    assertEquals("reading the agent configuration " + etc.resolve("10-broken.toml")
        + ": not valid TOML: line 2, column 11: Unknown token", e.getMessage());
  }

  @Test
  void unknownStrategy() throws IOException {
    AgentConfigException e = failure("10.toml", "[updates]\nstrategy = \"sometimes\"\n");
    assertEquals(Optional.of("updates.strategy"), e.key());
    assertEquals("unknown strategy 'sometimes' (immediate, periodic or fleet_lock)", e.reason());
  }

  @Test
  void badWindowsNameTheWindowAndKey() throws IOException {
    String head = "[updates]\nstrategy = \"periodic\"\n"
        + "[[updates.periodic.window]]\ndays = [\"Sat\"]\nstart_time = \"22:00\"\nlength_minutes = 60\n";
    AgentConfigException e = failure("10.toml", head
        + "[[updates.periodic.window]]\ndays = [\"Sat\"]\nstart_time = \"24:00\"\nlength_minutes = 60\n");
    assertEquals(Optional.of("updates.periodic.window[1].start_time"), e.key());
    assertEquals("expected a time \"hh:mm\" (00:00 to 23:59), found \"24:00\"", e.reason());

    e = failure("10.toml", head + "[[updates.periodic.window]]\ndays = [\"Caturday\"]\n"
        + "start_time = \"10:00\"\nlength_minutes = 60\n");
    assertEquals(Optional.of("updates.periodic.window[1].days"), e.key());
    assertEquals("unknown weekday \"Caturday\" (Mon to Sun, or Monday to Sunday)", e.reason());

    e = failure("10.toml", head + "[[updates.periodic.window]]\ndays = [\"Mon\"]\n"
        + "start_time = \"10:00\"\nlength_minutes = 0\n");
    assertEquals(Optional.of("updates.periodic.window[1].length_minutes"), e.key());
    assertEquals("expected 1 to 10080 minutes, found 0", e.reason());

    e = failure("10.toml", head + "[[updates.periodic.window]]\ndays = [\"Mon\"]\n"
        + "start_time = \"10:00\"\nlength_minutes = 10081\n");
    assertEquals("expected 1 to 10080 minutes, found 10081", e.reason());

    e = failure("10.toml", head + "[[updates.periodic.window]]\ndays = []\n"
        + "start_time = \"10:00\"\nlength_minutes = 5\n");
    assertEquals(Optional.of("updates.periodic.window[1].days"), e.key());

    e = failure("10.toml", head + "[[updates.periodic.window]]\ndays = [\"Mon\"]\nlength_minutes = 5\n");
    assertEquals(Optional.of("updates.periodic.window[1].start_time"), e.key());
    assertEquals("missing", e.reason());

    e = failure("10.toml", "[updates.periodic]\nwindow = \"Sat 22:00\"\n");
    assertEquals(Optional.of("updates.periodic.window"), e.key());
  }

  @Test
  void strategiesMissingTheirSettingsNameTheFileThatChoseThem() throws IOException {
    Path chooser = write(etc, "10-strategy.toml", "[updates]\nstrategy = \"periodic\"\n");
    write(etc, "20-other.toml", "[identity]\ngroup = \"g\"\n");
    AgentConfigException e = assertThrows(AgentConfigException.class, this::load);
    assertEquals(Optional.of(chooser), e.file());
    assertEquals(Optional.of("updates.strategy"), e.key());
    assertEquals("the periodic strategy needs at least one [[updates.periodic.window]]", e.reason());

    Files.writeString(chooser, "[updates]\nstrategy = \"fleet_lock\"\n");
    e = assertThrows(AgentConfigException.class, this::load);
    assertEquals(Optional.of(chooser), e.file());
    assertEquals("the fleet_lock strategy needs [updates.fleet_lock] base_url", e.reason());
  }

  @Test
  void badValues() throws IOException {
    AgentConfigException e = failure("10.toml", "[updates]\nenabled = \"yes\"\n");
    assertEquals(Optional.of("updates.enabled"), e.key());
    assertEquals("expected true or false, found the string \"yes\"", e.reason());

    e = failure("10.toml", "[updates.fleet_lock]\nbase_url = \"http://x/${region}/\"\n");
    assertEquals(Optional.of("updates.fleet_lock.base_url"), e.key());
    assertEquals("unknown variable ${region} (known: basearch, group, platform, stream)", e.reason());

    e = failure("10.toml", "[updates.fleet_lock]\nbase_url = \"ftp://x/\"\n");
    assertEquals("not an http or https URL: ftp://x/", e.reason());

    e = failure("10.toml", "[identity]\ngroup = \"a b\"\n");
    assertEquals(Optional.of("identity.group"), e.key());

    e = failure("10.toml", "[identity]\nnode_uuid = \"xyz\"\n");
    assertEquals(Optional.of("identity.node_uuid"), e.key());

    e = failure("10.toml", "[identity]\nrollout_wariness = 1.5\n");
    assertEquals("expected a number from 0.0 to 1.0, found 1.5", e.reason());

    e = failure("10.toml", "[updates.periodic]\ntime_zone = \"Mars/Olympus\"\n");
    assertEquals(Optional.of("updates.periodic.time_zone"), e.key());

    e = failure("10.toml", "[agent]\npoll_interval_seconds = 0\n");
    assertEquals(Optional.of("agent.poll_interval_seconds"), e.key());

    e = failure("10.toml", "[agent]\nreboot_command = []\n");
    assertEquals(Optional.of("agent.reboot_command"), e.key());

    e = failure("10.toml", "updates = 5\n");
    assertEquals(Optional.of("updates"), e.key());
    assertEquals("expected a table, found 5", e.reason());
  }
}
