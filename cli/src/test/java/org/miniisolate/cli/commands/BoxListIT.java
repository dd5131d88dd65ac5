package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.miniisolate.box.BoxState;

import tools.jackson.databind.JsonNode;

/** list and status show ready, busy and stale boxes; cleanup clears a stale one. */
class BoxListIT {
    private static Jar jar;

    @BeforeAll
    static void open() {
        jar = Jar.open(65300);
    }

    @AfterAll
    static void close() {
        if (jar != null) {
            jar.close();
        }
    }

    private static JsonNode box(JsonNode list, int id) {
        for (JsonNode b : list) {
            if (b.get("box").asInt() == id) {
                return b;
            }
        }
        throw new AssertionError("box " + id + " not listed: " + list);
    }

    @Test
    void crashedAndRemovedBoxesAreStale() throws Exception {
        jar.init(1);
        jar.init(2);
        // A directory removed by hand: the state still says initialized.
        Jar.deleteTree(jar.boxRoot().resolve("2"));
        // A crash mid-init: the state says not initialized, the directory is there.
        Files.createDirectories(jar.boxRoot().resolve("3/box"));
        new BoxState(0, 0, true, "", false, Instant.now(), "").write(jar.lockRoot().resolve("3.state"));
        // A directory without any state.
        Files.createDirectories(jar.boxRoot().resolve("4/box"));

        Jar.Result text = jar.run("list");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).containsPattern("(?m)^1 +ready ").containsPattern("(?m)^2 +stale ")
                .containsPattern("(?m)^3 +stale ").containsPattern("(?m)^4 +stale ");

        JsonNode list = jar.run("list", "--json").json();
        assertThat(box(list, 1).get("condition").asString()).isEqualTo("ready");
        assertThat(box(list, 2).get("problem").asString()).contains("missing");
        assertThat(box(list, 3).get("problem").asString()).contains("did not complete");
        assertThat(box(list, 4).get("problem").asString()).contains("without state");
        assertThat(box(list, 4).get("ownerUid").isNull()).isTrue();

        Jar.Result status = jar.run("status", "--box-id", "2");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.stdout()).startsWith("box 2: stale").contains("cleanup --box-id 2");

        for (String id : new String[] {"2", "3", "4"}) {
            assertThat(jar.run("cleanup", "--box-id", id).exitCode()).isZero();
        }
        JsonNode after = jar.run("list", "--json").json();
        for (JsonNode b : after) {
            assertThat(b.get("box").asInt()).isNotIn(2, 3, 4);
        }
        assertThat(box(after, 1).get("condition").asString()).isEqualTo("ready");
        assertThat(jar.run("cleanup", "--box-id", "1").exitCode()).isZero();
    }

    @Test
    void aRunningBoxIsBusyAndListingItDoesNotDisturbIt() throws Exception {
        jar.init(7);
        Jar.Running running = jar.start("run", "--box-id", "7", "/bin/sleep", "3");
        JsonNode st = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            st = jar.run("status", "--box-id", "7", "--json").json();
            if (st.get("condition").asString().equals("busy")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(st.get("condition").asString()).isEqualTo("busy");
        assertThat(st.get("lockHolderPid").asLong()).isEqualTo(running.process().pid());
        Jar.Result done = running.await();
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(jar.run("status", "--box-id", "7").exitCode()).isZero();
    }
}
