package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who owns a box (--as-uid/--as-gid, restricted_init), and which files it keeps (--special-files). */
class OwnershipIT {
    private static final int FIRST_UID = 64400;
    /** Users the tests act for; they need no account, only numbers. */
    private static final int ALICE = 64490;
    private static final int ALICE_GROUP = 64491;
    private static final int BOB = 64495;

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_UID, "num_boxes = 10");
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    private static Object owner(Path p, String attribute) throws Exception {
        return Files.getAttribute(p, "unix:" + attribute, LinkOption.NOFOLLOW_LINKS);
    }

    private static String[] asAlice(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--as-uid=" + ALICE;
        all[1] = "--as-gid=" + ALICE_GROUP;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    void actingForAUserMakesTheBoxTheirsBetweenRunsAndRefusesOthers() throws Exception {
        assertThat(cli.run(asAlice("-b", "1", "--init")).exitCode()).isZero();
        Path box = cli.workDir(1);
        assertThat(owner(box, "uid")).isEqualTo(ALICE);
        assertThat(owner(box, "gid")).isEqualTo(ALICE_GROUP);

        Cli.Result run = cli.run(asAlice("-b", "1", "--run", "--", "/bin/sh", "-c", "echo made > out.txt"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(owner(box, "uid")).isEqualTo(ALICE);
        assertThat(owner(box.resolve("out.txt"), "uid")).isEqualTo(ALICE);
        assertThat(owner(box.resolve("out.txt"), "gid")).isEqualTo(ALICE_GROUP);

        String bob = "--as-uid=" + BOB;
        String bobGroup = "--as-gid=" + BOB;
        for (String command : new String[] {"--init", "--cleanup"}) {
            Cli.Result refused = cli.run(bob, bobGroup, "-b", "1", command);
            assertThat(refused.exitCode()).as(command).isEqualTo(2);
            assertThat(refused.stderr()).as(command).isEqualTo("This box belongs to a different user (uid " + ALICE + ")\n");
        }
        Cli.Result refusedRun = cli.run(bob, bobGroup, "-b", "1", "--run", "--", "/bin/true");
        assertThat(refusedRun.exitCode()).isEqualTo(2);
        assertThat(refusedRun.stderr()).isEqualTo("This box belongs to a different user (uid " + ALICE + ")\n");
        assertThat(box.resolve("out.txt")).hasContent("made");

        // Root acting for itself may use any box, as in isolate, and gets the files back as isolate gives them: to
        // whoever ran the command.
        assertThat(cli.run("-b", "1", "--run", "--", "/bin/true").exitCode()).isZero();
        assertThat(owner(box.resolve("out.txt"), "uid")).isEqualTo(0);
        assertThat(cli.run(asAlice("-b", "1", "--cleanup")).exitCode()).isZero();
        assertThat(cli.boxDir(1)).doesNotExist();
    }

    @Test
    void onlyRootMayInitializeWhenRestricted() throws Exception {
        Path restricted = Files.writeString(cli.scratch().resolve("restricted.conf"), "box_root = " + cli.boxRoot()
                + "\nlock_root = " + cli.scratch().resolve("locks") + "\nfirst_uid = " + FIRST_UID + "\nfirst_gid = "
                + FIRST_UID + "\nnum_boxes = 10\nrestricted_init = 1\n");
        Cli.Result refused = cli.run(asAlice("--config=" + restricted, "-b", "2", "--init"));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).startsWith("New sandboxes can be created only by root");
        assertThat(cli.workDir(2)).doesNotExist();
        assertThat(cli.run("--config=" + restricted, "-b", "2", "--init").exitCode()).isZero();
        assertThat(cli.run("--config=" + restricted, "-b", "2", "--cleanup").exitCode()).isZero();
    }

    @Test
    void specialFilesAreRemovedAfterARunUnlessKept() throws Exception {
        cli.init(3);
        String makeThem = "ln -s /etc/passwd link && mkfifo fifo && mkdir d && ln -s ../link d/inner && echo x > plain";
        assertThat(cli.run("-b", "3", "-p", "--run", "--", "/bin/sh", "-c", makeThem).exitCode()).isZero();
        Path box = cli.workDir(3);
        assertThat(box.resolve("plain")).hasContent("x");
        assertThat(box.resolve("link")).doesNotExist();
        assertThat(Files.exists(box.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(box.resolve("fifo"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(box.resolve("d/inner"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        cli.init(3);
        assertThat(cli.run("-b", "3", "-p", "--special-files", "--run", "--", "/bin/sh", "-c", makeThem).exitCode())
                .isZero();
        assertThat(Files.readSymbolicLink(box.resolve("link"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.readSymbolicLink(box.resolve("d/inner"))).isEqualTo(Path.of("../link"));
        assertThat(Files.getAttribute(box.resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .satisfies(mode -> assertThat(((Integer) mode) & 0170000).isEqualTo(0010000));
        // Kept links are handed back like every file, without following them: /etc/passwd keeps its owner.
        assertThat(owner(box.resolve("link"), "uid")).isEqualTo(0);
        assertThat(owner(Path.of("/etc/passwd"), "uid")).isEqualTo(0);
        assertThat(cli.run("-b", "3", "--cleanup").exitCode()).isZero();
    }

    @Test
    void asUidNeedsAsGid() {
        Cli.Result r = cli.run("--as-uid=" + ALICE, "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("--as-uid and --as-gid must be used either both or none\n");
    }

    @Test
    void aUserCannotBindAHostDirectoryThroughTheBoxsOwnPaths() throws Exception {
        // A directory the users cannot reach (its parent is root's alone) with a readable file inside.
        Path hidden = Files.createDirectories(cli.scratch().resolve("root-only/readable"));
        Files.setPosixFilePermissions(hidden.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(hidden.resolve("f"), "hidden\n");
        assertThat(cli.run(asAlice("-b", "4", "--init")).exitCode()).isZero();

        // Named directly, the directory is opened as Alice: refused by the kernel.
        Cli.Result direct = cli.run(asAlice("-b", "4", "-d", "/x=" + hidden, "--run", "--", "/bin/cat", "/x/f"));
        assertThat(direct.exitCode()).isEqualTo(2);
        assertThat(direct.stdout()).isEmpty();

        // Through the box directory ("./" paths are the box's own, opened as root): neither ".." ...
        Cli.Result up = cli.run(asAlice("-b", "4", "-d", "/x=./../../root-only/readable", "--run", "--", "/bin/cat",
                "/x/f"));
        assertThat(up.exitCode()).isEqualTo(2);
        assertThat(up.stderr()).startsWith("Right-hand side must stay inside the box directory");
        assertThat(up.stdout()).isEmpty();

        // ... nor a symbolic link Alice (or a program kept with --special-files) left in box/.
        Files.createSymbolicLink(cli.workDir(4).resolve("link"), hidden);
        Cli.Result link = cli.run(asAlice("-b", "4", "-d", "/x=./box/link", "--run", "--", "/bin/cat", "/x/f"));
        assertThat(link.exitCode()).isEqualTo(2);
        assertThat(link.stderr()).contains("./box/link is a symbolic link");
        assertThat(link.stdout()).isEmpty();
        assertThat(cli.run(asAlice("-b", "4", "--cleanup")).exitCode()).isZero();
    }
}
