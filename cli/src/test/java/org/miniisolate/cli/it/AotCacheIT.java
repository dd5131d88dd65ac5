package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.instruction.ConstantInstruction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mini-isolate's AOT cache is made for one jar and never serves another: JDK 25.0.3 would run a cache's classes
 * after the jar changed (JDK-8377932), so the script names caches after the jar's content. The test runs a copy of
 * the script and the jar, lets the cache be made, then swaps in a jar whose {@code --version} text differs (same path,
 * same modification time) and checks that the new text is printed, then and once its own cache exists. The digest the
 * script records under the jar file's identity (to skip hashing) must not survive the swap either.
 */
class AotCacheIT {
    private static final String CLASS = "org/miniisolate/cli/isolate/VersionText.class";
    private static final long TRAINING_SECONDS = 240;

    @TempDir
    Path temp;

    @Test
    void aChangedJarIsNeverServedTheCacheOfTheOldOne() throws Exception {
        Path script = temp.resolve("bin/mini-isolate");
        Files.createDirectories(script.getParent());
        Files.copy(Cli.jar().toAbsolutePath().getParent().getParent().getParent().resolve("bin/mini-isolate"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = temp.resolve("cli/target/mini-isolate.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Cli.jar(), jar);
        Path cacheDir = jar.resolveSibling("aot-cache");

        // No cache yet: the run works without one and starts the training.
        assertThat(version(script, null)).startsWith("mini-isolate ");
        Path first = awaitCache(cacheDir, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir))).isEqualTo("rwx------");
        Path log = temp.resolve("classes-1.log");
        awaitSettled(jar);
        assertThat(version(script, log)).startsWith("mini-isolate ");
        assertThat(loadedFromCache(log)).as("the cache is used once made").isTrue();
        // The jar was copied more than 2 s ago (the training took longer): its digest is now recorded under its
        // identity, and the next start takes it from there instead of hashing the jar.
        List<Path> firstRecord = digestRecords(cacheDir);
        assertThat(firstRecord).hasSize(1);
        assertThat(Files.readString(firstRecord.get(0))).isEqualTo(first.getFileName().toString()
                .substring("mini-isolate-".length(), "mini-isolate-".length() + 64) + "\n");

        // The same path, the same modification time, other classes.
        FileTime mtime = Files.getLastModifiedTime(jar);
        Files.write(jar, changedJar(Cli.jar()));
        Files.setLastModifiedTime(jar, mtime);
        assertThat(version(script, null)).startsWith("mini-isolate, changed ");

        Path second = awaitCache(cacheDir, first);
        Path log2 = temp.resolve("classes-2.log");
        awaitSettled(jar);
        assertThat(version(script, log2)).startsWith("mini-isolate, changed ");
        assertThat(loadedFromCache(log2)).as("the new jar's own cache is used").isTrue();
        assertThat(second).isNotEqualTo(first);
        List<Path> secondRecord = digestRecords(cacheDir);
        assertThat(secondRecord).as("one record, the new jar's: its change time moved").hasSize(1)
                .doesNotContain(firstRecord.get(0));
        assertThat(first).as("the old jar's cache is gone").doesNotExist();
    }

    /** {@code bin/mini-isolate --version}; with {@code classLog}, the JVM logs where each class came from there. */
    private String version(Path script, Path classLog) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--version").redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("MINI_ISOLATE_AOT");
        if (classLog != null) {
            env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        }
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean loadedFromCache(Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream()
                .anyMatch(l -> l.contains("org.miniisolate.cli.isolate.VersionText source: shared objects file"));
    }

    /** Waits until {@code jar} changed at least 2 whole seconds ago: the script records its digest only then. */
    private static void awaitSettled(Path jar) throws IOException, InterruptedException {
        FileTime changed = (FileTime) Files.getAttribute(jar, "unix:ctime");
        long settled = (changed.toMillis() / 1000 + 2) * 1000 + 100;
        long now = System.currentTimeMillis();
        if (now < settled) {
            Thread.sleep(settled - now);
        }
    }

    /** The digests bin/mini-isolate recorded under a jar file's identity (device, inode, size, change time). */
    private static List<Path> digestRecords(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("jar-")).toList();
        }
    }

    /** Waits for the background training to install a cache other than {@code old}; returns it. */
    private static Path awaitCache(Path dir, Path old) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> caches = files.filter(f -> f.getFileName().toString().endsWith(".aot"))
                            .filter(f -> !f.equals(old)).toList();
                    boolean training;
                    try (Stream<Path> all = Files.list(dir)) {
                        training = all.anyMatch(f -> f.getFileName().toString().startsWith(".training-"));
                    }
                    if (!caches.isEmpty() && !training) {
                        return caches.get(0);
                    }
                }
            }
            Thread.sleep(250);
        }
        String log = Files.exists(dir.resolve("training.log")) ? Files.readString(dir.resolve("training.log")) : "(no log)";
        throw new AssertionError("no AOT cache within " + TRAINING_SECONDS + " s; training log:\n" + log);
    }

    /** {@code jar} with VersionText's "mini-isolate " replaced by "mini-isolate, changed ". */
    private static byte[] changedJar(Path jar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicBoolean changed = new AtomicBoolean();
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file);
                JarOutputStream out = new JarOutputStream(bytes, in.getManifest())) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                byte[] content = in.readAllBytes();
                if (e.getName().equals(CLASS)) {
                    content = changedClass(content, changed);
                }
                out.putNextEntry(new JarEntry(e.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        assertThat(changed).as("VersionText has the constant \"mini-isolate \"").isTrue();
        return bytes.toByteArray();
    }

    private static byte[] changedClass(byte[] content, AtomicBoolean changed) {
        ClassFile cf = ClassFile.of();
        return cf.transformClass(cf.parse(content), ClassTransform.transformingMethodBodies((code, element) -> {
            if (element instanceof ConstantInstruction.LoadConstantInstruction ldc
                    && "mini-isolate ".equals(ldc.constantValue())) {
                code.loadConstant("mini-isolate, changed ");
                changed.set(true);
            } else {
                code.with(element);
            }
        }));
    }
}
