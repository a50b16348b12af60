package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bin/jsbi launcher's arguments, run in a copy of the checkout's layout whose "java" prints its arguments (and
 * whose jar is newer than every source, so the launcher builds nothing): the data beside the project are named
 * whatever the working directory, unless the user names them, and leading -D arguments reach the JVM.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "jsbi").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Path bin;

    @BeforeEach
    void layout() throws IOException {
        assumeTrue(Files.isRegularFile(LAUNCHER) && Files.isExecutable(Path.of("/bin/bash")), "needs bash and bin/jsbi");
        bin = Files.createDirectories(tmp.resolve("project/bin"));
        Files.copy(LAUNCHER, bin.resolve("jsbi"));
        Path java = Files.createDirectories(tmp.resolve("jdk/bin")).resolve("java");
        Files.writeString(bin.resolve("jdk25.sh"), "JAVA_HOME='" + tmp.resolve("jdk") + "'\n");
        Files.writeString(java, "#!/bin/bash\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createFile(Files.createDirectories(tmp.resolve("project/cli/target")).resolve("jsbi.jar"));
        Files.createDirectories(tmp.resolve("shared/reference"));
        Files.createDirectories(tmp.resolve("shared/paper-data/channels"));
        Files.createDirectories(tmp.resolve("elsewhere"));
    }

    /** The JVM's arguments as the launcher passes them, run from {@code tmp/elsewhere}. */
    private List<String> javaArgs(String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", bin.resolve("jsbi").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.resolve("elsewhere").toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("JSBI_JAVA_OPTS");
        if (javaOpts != null) env.put("JSBI_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void theDataBesideTheProjectAreNamedFromAnyWorkingDirectory() throws Exception {
        List<String> a = javaArgs(null, "npe", "--samples", "5");
        assertTrue(a.contains("-Djsbi.reference.dir=" + tmp.resolve("shared/reference")), a.toString());
        assertTrue(a.contains("-Djsbi.paperdata.dir=" + tmp.resolve("shared/paper-data")), a.toString());
        assertEquals(List.of("npe", "--samples", "5"), a.subList(a.indexOf("-jar") + 2, a.size()));
    }

    @Test
    void theUsersOwnSettingWinsAndLeadingDefinesReachTheJvm() throws Exception {
        List<String> a = javaArgs("-Djsbi.paperdata.dir=/p -Xmx1g", "-Djsbi.reference.dir=/r", "-Djsbi.threads=2",
                "npe", "-Dnot.for.java=1", "a b");
        int jar = a.indexOf("-jar");
        List<String> jvm = a.subList(0, jar);
        assertEquals(List.of("-Djsbi.reference.dir=/r"), jvm.stream().filter(s -> s.startsWith("-Djsbi.reference.dir")).toList());
        assertEquals(List.of("-Djsbi.paperdata.dir=/p"), jvm.stream().filter(s -> s.startsWith("-Djsbi.paperdata.dir")).toList());
        assertTrue(jvm.contains("-Djsbi.threads=2") && jvm.contains("-Xmx1g"), a.toString());
        assertEquals(List.of("npe", "-Dnot.for.java=1", "a b"), a.subList(jar + 2, a.size()));
    }

    @Test
    void missingDataAreLeftToTheSearch() throws Exception {
        Files.delete(tmp.resolve("shared/paper-data/channels"));
        Files.delete(tmp.resolve("shared/paper-data"));
        List<String> a = javaArgs(null, "info");
        assertTrue(a.stream().noneMatch(s -> s.startsWith("-Djsbi.paperdata.dir")), a.toString());
        assertTrue(a.stream().anyMatch(s -> s.startsWith("-Djsbi.reference.dir")), a.toString());
    }
}
