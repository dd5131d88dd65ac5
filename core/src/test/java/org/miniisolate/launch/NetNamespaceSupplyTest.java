package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;

/** The namespaces made ahead of time: each fresh, each handed out once, none left open when closed. */
class NetNamespaceSupplyTest {

    @BeforeEach
    void needsRoot() {
        assumeTrue(Libc.geteuid() == 0, "needs root: making network namespaces needs CAP_SYS_ADMIN");
    }

    @Test
    void handsOutDistinctNamespacesNoneOfThemTheJvmsOwn() throws Exception {
        Set<String> before = netNamespaceFds();
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        try (NetNamespaceSupply supply = new NetNamespaceSupply(2)) {
            int a = takeReady(supply);
            int b = takeReady(supply);
            try {
                String na = link(a);
                String nb = link(b);
                // Both open at once, so equal inodes could only mean the same namespace.
                assertThat(na).startsWith("net:[").isNotEqualTo(nb).isNotEqualTo(own);
                assertThat(nb).startsWith("net:[").isNotEqualTo(own);
                assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()).isEqualTo(own);
            } finally {
                Libc.close(a);
                Libc.close(b);
            }
        }
        assertThat(netNamespaceFds()).isSubsetOf(before);
    }

    @Test
    void closingLeavesNoNamespaceOpenAndHandsOutNoMore() throws Exception {
        Set<String> before = netNamespaceFds();
        NetNamespaceSupply supply = new NetNamespaceSupply(2);
        Libc.close(takeReady(supply));
        // Give the maker time to fill up again, so close has something to close.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (netNamespaceFds().size() < before.size() + 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        supply.close();
        assertThat(netNamespaceFds()).isSubsetOf(before);
        // The maker's own descriptor to the JVM's namespace is among those closed: it has ended.
        assertThat(supply.take()).isEqualTo(-1);
    }

    /** The first take starts the maker and finds nothing; later ones find a namespace within seconds. */
    private static int takeReady(NetNamespaceSupply supply) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            int fd = supply.take();
            if (fd >= 0) {
                return fd;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no network namespace made within 10 s");
    }

    private static String link(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    /** This JVM's descriptors that are network namespaces, as "fd -> net:[inode]". */
    private static Set<String> netNamespaceFds() throws IOException {
        Set<String> found = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("net:[")) {
                        found.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed while listing (the directory stream's own descriptor, say)
                }
            }
        }
        return found;
    }
}
