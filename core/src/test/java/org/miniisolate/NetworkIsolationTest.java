package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.RunSpec;

/**
 * Every run gets a network namespace no other run ever had, with only loopback, up: whether the
 * launcher made it in clone (the first run of a sandbox) or joined one made ahead of time (later
 * runs). Namespaces are told apart by their cookie (SO_NETNS_COOKIE), which the kernel never
 * reuses, unlike the inode numbers of /proc/self/ns/net.
 */
class NetworkIsolationTest {
    private static final int BOX = 14;
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
    void consecutiveRunsEachGetANewNamespaceWithOnlyLoopbackUp() throws Exception {
        String host = hostCookie();
        Box box = boxes.box(BOX);
        TestPrograms.install("net_probe", box);
        Set<String> cookies = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            Captured c = Captured.run(box, "./net_probe");
            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            assertThat(c.outLines()).as("%s", c).hasSize(2).element(1).isEqualTo("lo up");
            String cookie = c.outLines().getFirst();
            assertThat(cookie).isNotEqualTo(host);
            assertThat(cookies.add(cookie)).as("run %d reused %s", i, cookie).isTrue();
            Thread.sleep(i % 2 * 20); // now and then give the supply time to refill
        }
    }

    @Test
    void concurrentRunsNeverShareANamespace() throws Exception {
        int n = 3;
        List<Box> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Box b = boxes.box(BOX - 1 - i);
            TestPrograms.install("net_probe", b);
            list.add(b);
        }
        Set<String> cookies = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<Captured>> runs = new ArrayList<>();
                for (Box b : list) {
                    // Each holds its namespace for 300 ms, so all of a round are alive at once.
                    runs.add(pool.submit(() -> Captured.run(b, RunSpec.of("./net_probe", "300"))));
                }
                for (Future<Captured> f : runs) {
                    Captured c = f.get();
                    assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
                    assertThat(c.outLines()).as("%s", c).hasSize(2).element(1).isEqualTo("lo up");
                    assertThat(cookies.add(c.outLines().getFirst())).as("shared %s", c.out()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cookies).hasSize(3 * n);
    }

    @Test
    void aRunSharingTheHostNetworkGetsNoPreparedNamespaceNorItsDescriptor() throws Exception {
        String host = hostCookie();
        Box box = boxes.box(BOX);
        TestPrograms.install("net_probe", box);
        TestPrograms.install("list_fds", box);
        // Private and shared runs alternate, so shared ones meet launchers started with a namespace ready.
        for (int i = 0; i < 4; i++) {
            Captured own = Captured.run(box, "./net_probe");
            assertThat(own.outLines()).as("%s", own).element(0).isNotEqualTo(host);

            Captured shared = Captured.run(box, RunSpec.of("./net_probe").shareNetwork(true));
            assertThat(shared.outLines()).as("%s", shared).element(0).isEqualTo(host);

            Captured fds = Captured.run(box, RunSpec.of("./list_fds").shareNetwork(i % 2 == 0));
            assertThat(fds.outLines()).as("%s", fds).containsExactly("0", "1", "2");
        }
    }

    /** The host's own namespace cookie, from the same probe run outside any box. */
    private static String hostCookie() throws Exception {
        Process p = new ProcessBuilder(TestPrograms.binary("net_probe").toString()).redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
        assertThat(p.waitFor()).isZero();
        assertThat(first).startsWith("cookie ");
        return first;
    }
}
