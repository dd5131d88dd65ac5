package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.miniisolate.fs.Quota;
import org.miniisolate.fs.QuotaFilesystem;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * Box semantics a judge relies on: locks, modes, owners, quotas, special files, state. Fresh
 * boxes only: these are the semantics of a box managed by init, run and cleanup (a pool holds its
 * boxes' locks, has one mode and owner, and wipes a box when its lease ends: WarmPoolTest); the
 * hand-back of special files runs pooled too, in LifecycleTest and AttackSuiteTest.
 */
class BoxSemanticsTest {
    static TestBoxes boxes;

    @BeforeAll
    static void open() {
        boxes = TestBoxes.open();
    }

    @AfterAll
    static void close() {
        if (boxes != null) {
            boxes.close();
        }
    }

    @Test
    void aSecondManagerIsRefusedWhileARunHoldsTheBoxAndWaitingSerializes() throws Exception {
        Box box = boxes.box(31);
        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> box.run(RunSpec.of("/bin/sleep", "1").build()));
        // wait until the first run holds the box
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (HostProcesses.withUid(60031).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").build()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("currently in use");
        assertThatThrownBy(box::cleanup).isInstanceOf(SandboxException.class).hasMessageContaining("currently in use");
        RunResult second = box.waitingForLock().run(RunSpec.of("/bin/true").build());
        assertThat(first.get(10, TimeUnit.SECONDS).verdict()).isEqualTo(Verdict.OK);
        assertThat(second.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aBoxServesOnlyTheModeItWasInitializedFor() {
        Box plain = boxes.box(32);
        assertThatThrownBy(() -> plain.run(RunSpec.of("/bin/true").cgroups(CgroupLimits.DEFAULTS).build()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("incompatible control group mode");
        Box cg = boxes.sandbox().box(33);
        cg.init(new InitOptions(true, Quota.NONE));
        assertThatThrownBy(() -> cg.run(RunSpec.of("/bin/true").build()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("incompatible control group mode");
        assertThat(cg.state()).hasValueSatisfying(s -> assertThat(s.cgroups()).isTrue());
    }

    @Test
    void aBoxOfAnotherOwnerIsRefusedAndRestrictedInitIsRootOnly() throws Exception {
        Box rootsBox = boxes.box(34);
        SandboxConfig asUser = boxes.sandbox().config().withOwner(1234, 1234);
        try (Sandbox userView = Sandbox.open(asUser)) {
            assertThatThrownBy(() -> userView.box(34).run(RunSpec.of("/bin/true").build()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("belongs to a different user (uid 0)");
            Box mine = userView.box(35);
            mine.init();
            assertThat(Files.getAttribute(mine.workDirectory(), "unix:uid")).isEqualTo(1234);
            Files.writeString(mine.workDirectory().resolve("in"), "x");
            Files.setAttribute(mine.workDirectory().resolve("in"), "unix:uid", 1234);
            assertThat(mine.run(RunSpec.of("/bin/sh", "-c", "echo y > out").build()).verdict()).isEqualTo(Verdict.OK);
            assertThat(Files.getAttribute(mine.workDirectory().resolve("out"), "unix:uid")).isEqualTo(1234);
            // root may use any box
            assertThat(boxes.sandbox().box(35).run(RunSpec.of("/bin/true").build()).verdict()).isEqualTo(Verdict.OK);
            assertThat(mine.cleanup()).isTrue();
        }
        SandboxConfig c = boxes.sandbox().config();
        SandboxConfig restricted = new SandboxConfig(c.boxRoot(), c.firstUid(), c.firstGid(), c.numBoxes(), c.launcherDir(),
                1234, 1234, c.cgroups(), c.lockRoot(), true);
        try (Sandbox userView = Sandbox.open(restricted)) {
            assertThatThrownBy(() -> userView.box(36).init()).hasMessageContaining("only by root");
        }
        assertThat(rootsBox.isInitialized()).isTrue();
    }

    @Test
    void bindsAreLookedUpAsTheCaller() throws Exception {
        Path secret = Files.createDirectories(boxes.root().resolve("private"));
        Files.writeString(secret.resolve("s"), "secret");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        SandboxConfig asUser = boxes.sandbox().config().withOwner(1234, 1234);
        try (Sandbox userView = Sandbox.open(asUser)) {
            Box mine = userView.box(37);
            mine.init();
            List<org.miniisolate.spec.DirRule> dirs = org.miniisolate.spec.DirRules.apply(org.miniisolate.spec.DirRules.defaults(),
                    List.of("/secret=" + secret));
            RunResult r = mine.run(RunSpec.of("/bin/true").dirs(dirs).build());
            assertThat(r.verdict()).isEqualTo(Verdict.INTERNAL_ERROR);
            assertThat(r.message()).contains("Cannot mount " + secret).contains("Permission denied");
            mine.cleanup();
        }
        // root reads it fine
        Box rootsBox = boxes.box(38);
        RunResult ok = rootsBox.run(RunSpec.of("/bin/true").dirs(org.miniisolate.spec.DirRules.apply(
                org.miniisolate.spec.DirRules.defaults(), List.of("/secret=" + secret))).build());
        assertThat(ok.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void anRwBindOfARootOwnedDirectoryStaysUnwritableForTheBoxUser() throws Exception {
        // As in isolate (ioi/isolate#92): rw lifts the read-only mount flag, not file permissions.
        Path shared = Files.createDirectories(boxes.root().resolve("shared-rw"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Box box = boxes.box(43);
        List<org.miniisolate.spec.DirRule> dirs = org.miniisolate.spec.DirRules.apply(org.miniisolate.spec.DirRules.defaults(),
                List.of("/shared=" + shared + ":rw"));
        RunResult r = box.run(RunSpec.of("/bin/sh", "-c", "echo x > /shared/f 2>/dev/null || exit 9").dirs(dirs).build());
        assertThat(r.exitCode()).hasValue(9);
        try (var left = Files.list(shared)) {
            assertThat(left).isEmpty();
        }
        // and the same bind is writable once the directory is the box user's
        Files.setAttribute(shared, "unix:uid", 60043);
        RunResult ok = box.run(RunSpec.of("/bin/sh", "-c", "echo x > /shared/f").dirs(dirs).build());
        assertThat(ok.verdict()).isEqualTo(Verdict.OK);
        assertThat(shared.resolve("f")).exists();
    }

    @Test
    void aQuotaStopsADiskFillerAndCleanupRemovesItsFilesystem() throws Exception {
        Box box = boxes.sandbox().box(39);
        box.init(new InitOptions(false, new Quota(1024, 100)));
        assertThat(QuotaFilesystem.isMountPoint(box.directory())).isTrue();
        assertThat(box.state()).hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo("1024,100"));
        // The filler is told "no space" (head fails), and never gets more than the quota.
        RunResult r = box.run(RunSpec.of("/bin/sh", "-c", "head -c 4000000 /dev/zero > big 2>/dev/null || exit 9")
                .limits(Limits.DEFAULTS.withProcesses(0)).build());
        assertThat(r.exitCode()).hasValue(9);
        assertThat(Files.size(box.workDirectory().resolve("big"))).isLessThanOrEqualTo(1024 * 1024);
        // /tmp shares the quota
        RunResult t = box.run(RunSpec.of("/bin/sh", "-c", "rm -f big; head -c 4000000 /dev/zero > /tmp/big 2>/dev/null || exit 9")
                .limits(Limits.DEFAULTS.withProcesses(0)).build());
        assertThat(t.exitCode()).hasValue(9);
        assertThat(box.cleanup()).isTrue();
        assertThat(box.directory()).doesNotExist();
        assertThat(Files.exists(box.directory().getParent())).isTrue();
    }

    @Test
    void specialFilesAreRemovedUnlessKept() throws Exception {
        Box box = boxes.box(40);
        RunSpec makeLinks = RunSpec.of("/bin/sh", "-c", "ln -s /etc/passwd link; mkfifo fifo; echo x > plain")
                .limits(Limits.DEFAULTS.withProcesses(0)).build();
        assertThat(box.run(makeLinks).verdict()).isEqualTo(Verdict.OK);
        assertThat(Files.exists(box.workDirectory().resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(box.workDirectory().resolve("fifo"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(box.workDirectory().resolve("plain")).exists();
        RunSpec keep = RunSpec.of("/bin/sh", "-c", "ln -s /etc/passwd link2").keepSpecialFiles(true)
                .limits(Limits.DEFAULTS.withProcesses(0)).build();
        assertThat(box.run(keep).verdict()).isEqualTo(Verdict.OK);
        assertThat(Files.isSymbolicLink(box.workDirectory().resolve("link2"))).isTrue();
    }

    @Test
    void tmpPersistsAcrossRunsOfOneInitialization() {
        Box box = boxes.box(41);
        Limits forks = Limits.DEFAULTS.withProcesses(0);
        assertThat(box.run(RunSpec.of("/bin/sh", "-c", "echo kept > /tmp/note").limits(forks).build()).verdict()).isEqualTo(Verdict.OK);
        assertThat(box.run(RunSpec.of("/bin/sh", "-c", "grep -q kept /tmp/note").limits(forks).build()).verdict()).isEqualTo(Verdict.OK);
        box.init();
        assertThat(box.run(RunSpec.of("/bin/sh", "-c", "test ! -e /tmp/note").limits(forks).build()).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void stateRecordsTheLastRunAndTheSandboxListsItsBoxes() {
        Box box = boxes.box(42);
        box.run(RunSpec.of("/bin/true").limits(Limits.DEFAULTS.withWallTime(Duration.ofSeconds(5))).build());
        assertThat(box.state()).hasValueSatisfying(s -> assertThat(s.lastRun()).startsWith("OK cpu="));
        assertThat(boxes.sandbox().knownBoxes()).containsKey(42);
        box.cleanup();
        assertThat(boxes.sandbox().knownBoxes()).doesNotContainKey(42);
        assertThat(box.cleanup()).isFalse();
    }
}
