package org.miniisolate;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.miniisolate.launch.LauncherBinary;

/** Starts {@link BoxChildMain} in a JVM of its own: same java, same class path, same launcher. */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs test program {@code program} in box {@code boxId} of {@code boxes}' installation and
     * kind. The box is the child's from then on: this JVM gives up any pool of it first.
     */
    static ProcessBuilder builder(Boxes boxes, int boxId, String program, String... args) {
        assumeFalse(boxes.kind().cgroups(), "the child JVM runs plain boxes (cgroup mode does not change what it checks)");
        boxes.release(boxId);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String launcher = System.getProperty(LauncherBinary.PROPERTY);
        if (launcher != null) {
            cmd.add("-D" + LauncherBinary.PROPERTY + "=" + launcher);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BoxChildMain.class.getName());
        cmd.add(boxes.sandbox().config().boxRoot().toString());
        cmd.add(Integer.toString(boxId));
        cmd.add(boxes.kind().name());
        cmd.add(TestPrograms.binary(program).toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
}
